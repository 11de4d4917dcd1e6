package dev.infermint.tenants.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.infermint.problem.Problems;
import dev.infermint.tenants.service.ApiKeyService;
import dev.infermint.tenants.service.TenantService;

/**
 * Lookups for the other services (the gateway above all). {@code InternalEndpointFilter} from auth-context refuses
 * every call here without {@code X-Infermint-Internal-Token}.
 */
@Path("/internal")
@Produces(MediaType.APPLICATION_JSON)
public class InternalResource {

  @Inject
  ApiKeyService keys;

  @Inject
  TenantService tenants;

  /**
   * @param keyHash lower-case hex SHA-256 of the full {@code imk_} key
   * @return who the key acts for; 404 when the key is unknown, revoked or expired
   */
  @GET
  @Path("/api-keys/{keyHash}")
  public ApiKeyLookupResponse apiKey(@PathParam("keyHash") String keyHash) {
    return keys.lookup(keyHash).orElseThrow(() -> Problems.notFound("api key", "sha256:" + keyHash));
  }

  /**
   * @param tenantId the tenant id
   * @return the tenant; 404 when there is none
   */
  @GET
  @Path("/tenants/{tenantId}")
  public TenantResponse tenant(@PathParam("tenantId") String tenantId) {
    return tenants.get(tenantId);
  }
}
