package dev.infermint.tenants.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.infermint.auth.Caller;
import dev.infermint.tenants.service.AuditService;
import dev.infermint.tenants.service.TenantService;

/** A tenant's audit log, for its admins and platform staff. */
@Path("/api/v1/tenants/{tenantId}/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

  @Inject
  Caller caller;

  @Inject
  CurrentActor actor;

  @Inject
  TenantService tenants;

  @Inject
  AuditService audit;

  /**
   * @param tenantId the tenant
   * @param limit page size, 1 to 200, default 50
   * @param before an event id from the previous page: only older events
   * @return {@code {"events": [...]}}, newest first
   */
  @GET
  public AuditPageResponse list(@PathParam("tenantId") String tenantId, @QueryParam("limit") String limit,
      @QueryParam("before") String before) {
    caller.requireTenantAdmin(tenantId);
    tenants.requireReadable(tenantId, actor.get());
    return audit.list(tenantId, limit, before);
  }
}
