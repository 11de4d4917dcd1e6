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
import dev.infermint.auth.Roles;
import dev.infermint.tenants.service.TenantService;

/**
 * The management API for tenants: platform admins create, suspend, reactivate and delete them; tenant users read
 * their own. Who may do what is checked here, first thing in every method, through {@link Caller} (docs/roles.md).
 */
@Path("/api/v1/tenants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TenantResource {

  @Inject
  Caller caller;

  @Inject
  CurrentActor actor;

  @Inject
  TenantService tenants;

  /**
   * Creates a tenant and its Keycloak organization (platform-admin).
   *
   * @param request {@code {name, slug, plan?}}
   * @return 201 with the tenant and its {@code Location}
   */
  @POST
  public Response create(CreateTenantRequest request) {
    caller.requirePlatformAdmin();
    TenantResponse tenant = tenants.create(request, actor.get());
    return Response.created(URI.create("/api/v1/tenants/" + tenant.id())).entity(tenant).build();
  }

  /**
   * @return every tenant (deleted ones included) for a platform admin; otherwise the caller's own tenant, if it has
   *     a role there and the tenant is not deleted
   */
  @GET
  public List<TenantResponse> list() {
    caller.requireAuthenticated();
    if (caller.platformAdmin()) {
      return tenants.listAll();
    }
    boolean member = caller.roles().contains(Roles.TENANT_ADMIN) || caller.roles().contains(Roles.TENANT_MEMBER);
    if (caller.tenantId() == null || !member) {
      return List.of();
    }
    return tenants.findLive(caller.tenantId()).map(List::of).orElse(List.of());
  }

  /**
   * @param tenantId the tenant id
   * @return the tenant; 404 for a tenant that does not exist, is not the caller's, or is deleted (platform staff
   *     see deleted tenants)
   */
  @GET
  @Path("/{tenantId}")
  public TenantResponse get(@PathParam("tenantId") String tenantId) {
    caller.requireTenantRead(tenantId);
    return tenants.get(tenantId, actor.get());
  }

  /**
   * Suspends a tenant (platform-admin): the gateway refuses its API keys with 403 {@code tenant_suspended}.
   *
   * @param tenantId the tenant id
   * @return the tenant, status {@code suspended}
   */
  @POST
  @Path("/{tenantId}/suspend")
  public TenantResponse suspend(@PathParam("tenantId") String tenantId) {
    // Read access first, so that other tenants' ids answer 404 like everywhere else.
    caller.requireTenantRead(tenantId).requirePlatformAdmin();
    return tenants.suspend(tenantId, actor.get());
  }

  /**
   * Reactivates a suspended tenant (platform-admin).
   *
   * @param tenantId the tenant id
   * @return the tenant, status {@code active}; 409 for a deleted tenant
   */
  @POST
  @Path("/{tenantId}/reactivate")
  public TenantResponse reactivate(@PathParam("tenantId") String tenantId) {
    caller.requireTenantRead(tenantId).requirePlatformAdmin();
    return tenants.reactivate(tenantId, actor.get());
  }

  /**
   * Deletes a tenant (platform-admin): keys revoked, status {@code deleted}, Keycloak organization removed, rows
   * kept for audit and billing.
   *
   * @param tenantId the tenant id
   */
  @DELETE
  @Path("/{tenantId}")
  public void delete(@PathParam("tenantId") String tenantId) {
    caller.requireTenantRead(tenantId).requirePlatformAdmin();
    tenants.delete(tenantId, actor.get());
  }
}
