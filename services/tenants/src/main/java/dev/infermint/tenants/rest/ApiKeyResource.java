package dev.infermint.tenants.rest;

import java.net.URI;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.infermint.auth.Caller;
import dev.infermint.tenants.service.ApiKeyService;

/** The management API for a tenant's API keys: tenant admins issue and revoke them, tenant users list them. */
@Path("/api/v1/tenants/{tenantId}/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ApiKeyResource {

  @Inject
  Caller caller;

  @Inject
  CurrentActor actor;

  @Inject
  ApiKeyService keys;

  /**
   * Issues a key; the answer is the only place its secret ever appears.
   *
   * @param tenantId the owning tenant
   * @param request {@code {name, scopes?, expiresAt?}}
   * @return 201 with the key and its secret
   */
  @POST
  public Response create(@PathParam("tenantId") String tenantId, CreateApiKeyRequest request) {
    caller().requireTenantAdmin(tenantId);
    CreatedApiKeyResponse key = keys.create(tenantId, request, actor.get());
    return Response.created(URI.create("/api/v1/tenants/" + tenantId + "/api-keys/" + key.id())).entity(key).build();
  }

  /**
   * @param tenantId the owning tenant
   * @return the tenant's keys with their status, without secrets or hashes
   */
  @GET
  public List<ApiKeyResponse> list(@PathParam("tenantId") String tenantId) {
    caller().requireTenantRead(tenantId);
    return keys.list(tenantId, actor.get());
  }

  /**
   * Revokes a key; the gateways hear of it at once ({@code NOTIFY}) and stop accepting it within their cache time
   * (2 s) at the latest.
   *
   * @param tenantId the owning tenant
   * @param keyId the key id
   */
  @DELETE
  @Path("/{keyId}")
  public void revoke(@PathParam("tenantId") String tenantId, @PathParam("keyId") String keyId) {
    caller().requireTenantAdmin(tenantId);
    keys.revoke(tenantId, keyId, actor.get());
  }

  private Caller caller() {
    return caller;
  }
}
