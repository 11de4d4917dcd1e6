package dev.infermint.tenants.client;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.oidc.client.filter.OidcClientFilter;

/**
 * Billing's API, as the tenants service calls it; wrapped by {@link BillingClient}. Each call carries this service's
 * token (quarkus-oidc-client, configured in libs/service-client), although the plan catalog itself is public.
 */
@RegisterRestClient(configKey = "billing")
@OidcClientFilter
@Path("/api/v1/plans")
interface BillingRestClient {

  /** {@code GET /api/v1/plans}: billing's plan catalog, cheapest first. */
  @GET
  @Produces(MediaType.APPLICATION_JSON)
  List<CatalogPlan> plans();

  /**
   * The part of a catalog entry this service uses; the other members (prices, limits) are billing's business.
   *
   * @param id the plan id tenants are put on
   * @param name the name shown to people
   */
  record CatalogPlan(String id, String name) {
  }
}
