package dev.infermint.tenants.rest;

import java.net.URI;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
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

/** The management API for tenants: platform admins create and list them, tenant users read their own. */
@Path("/api/v1/tenants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TenantResource {

  @Inject
  Caller caller;

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
    caller().requirePlatformAdmin();
    TenantResponse tenant = tenants.create(request);
    return Response.created(URI.create("/api/v1/tenants/" + tenant.id())).entity(tenant).build();
  }

  /** @return every tenant for a platform admin; otherwise the caller's own tenant, if it has a role there */
  @GET
  public List<TenantResponse> list() {
    Caller caller = caller().requireAuthenticated();
    if (caller.platformAdmin()) {
      return tenants.listAll();
    }
    boolean member = caller.roles().contains(Roles.TENANT_ADMIN) || caller.roles().contains(Roles.TENANT_MEMBER);
    if (caller.tenantId() == null || !member) {
      return List.of();
    }
    return tenants.find(caller.tenantId()).map(List::of).orElse(List.of());
  }

  /**
   * @param tenantId the tenant id
   * @return the tenant; 404 for a tenant that does not exist or is not the caller's
   */
  @GET
  @Path("/{tenantId}")
  public TenantResponse get(@PathParam("tenantId") String tenantId) {
    caller().requireTenantRead(tenantId);
    return tenants.get(tenantId);
  }

  private Caller caller() {
    return caller;
  }
}
