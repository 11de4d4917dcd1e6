package dev.infermint.billing.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.databind.JsonNode;

import dev.infermint.auth.InternalHeaders;
import dev.infermint.problem.RequestIds;

/** The tenants service's internal API, as billing calls it; wrapped by {@link TenantsClient}. */
@RegisterRestClient(configKey = "tenants")
@Path("/internal/tenants")
interface TenantsRestClient {

  /** {@code PUT /internal/tenants/{tenantId}/plan}. */
  @PUT
  @Path("/{tenantId}/plan")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  JsonNode changePlan(@PathParam("tenantId") String tenantId, PlanChange change,
      @HeaderParam(InternalHeaders.INTERNAL_TOKEN) String internalToken,
      @HeaderParam(RequestIds.HEADER) String requestId);

  /** The body of a plan change. */
  record PlanChange(String plan) {
  }
}
