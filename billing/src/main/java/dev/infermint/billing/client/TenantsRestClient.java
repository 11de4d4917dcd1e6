package dev.infermint.billing.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.oidc.client.filter.OidcClientFilter;

import com.fasterxml.jackson.databind.JsonNode;

import dev.infermint.problem.RequestIds;

/**
 * The tenants service's internal API, as billing calls it; wrapped by {@link TenantsClient}. Each call carries
 * billing's service token (quarkus-oidc-client, configured in libs/service-client).
 */
@RegisterRestClient(configKey = "tenants")
@OidcClientFilter
@Path("/internal/tenants")
interface TenantsRestClient {

  /** {@code PUT /internal/tenants/{tenantId}/plan}. */
  @PUT
  @Path("/{tenantId}/plan")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  JsonNode changePlan(@PathParam("tenantId") String tenantId, PlanChange change,
      @HeaderParam(RequestIds.HEADER) String requestId);

  /** {@code GET /internal/tenants/{tenantId}}: {@code {id, slug, name, plan, status}}, deleted tenants too. */
  @GET
  @Path("/{tenantId}")
  @Produces(MediaType.APPLICATION_JSON)
  JsonNode tenant(@PathParam("tenantId") String tenantId);

  /** {@code GET /internal/tenants?after=&limit=}: a page of tenants by id, {@code {tenants:[…], next}}. */
  @GET
  @Produces(MediaType.APPLICATION_JSON)
  JsonNode list(@QueryParam("after") String after, @QueryParam("limit") int limit);

  /** The body of a plan change. */
  record PlanChange(String plan) {
  }
}
