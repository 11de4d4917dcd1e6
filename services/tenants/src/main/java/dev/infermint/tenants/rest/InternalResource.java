package dev.infermint.tenants.rest;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.infermint.problem.Problems;
import dev.infermint.tenants.service.ApiKeyService;
import dev.infermint.tenants.service.AuditService;
import dev.infermint.tenants.service.TenantService;

/**
 * Calls from the other services (the gateway, billing and the model registry). {@code InternalEndpointFilter} from auth-context refuses
 * every call here without a service token (realm role {@code infermint-service}).
 */
@Path("/internal")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InternalResource {

  @Inject
  ApiKeyService keys;

  @Inject
  TenantService tenants;

  @Inject
  CurrentActor actor;

  @Inject
  AuditService audit;

  /**
   * @param keyHash lower-case hex SHA-256 of the full {@code imk_} key
   * @return who the key acts for, with the tenant's status; 404 when the key is unknown, revoked or expired, or its
   *     tenant is deleted
   */
  @GET
  @Path("/api-keys/{keyHash}")
  public ApiKeyLookupResponse apiKey(@PathParam("keyHash") String keyHash) {
    return keys.lookup(keyHash).orElseThrow(() -> Problems.notFound("api key", "sha256:" + keyHash));
  }

  /**
   * Records when keys were last used; the gateway sends what it saw every ~30 s.
   *
   * @param uses {@code {"<keyId>": "<ISO-8601 instant>", ...}}
   */
  @POST
  @Path("/api-keys/last-used")
  public void lastUsed(Map<String, String> uses) {
    keys.recordLastUsed(uses);
  }

  /**
   * {@code GET /internal/tenants?after=&limit=}: every tenant, by id, deleted ones included (billing's customer
   * backfill).
   *
   * @param after the last id of the previous page
   * @param limit page size, 1 to 500 (default 200)
   * @return {@code {tenants:[{id, slug, name, plan, status}], next}}
   */
  @GET
  @Path("/tenants")
  public TenantService.TenantPage tenants(@QueryParam("after") String after,
      @QueryParam("limit") @DefaultValue("200") int limit) {
    return tenants.page(after, limit);
  }

  /**
   * @param tenantId the tenant id
   * @return the tenant, deleted or not; 404 when there is none
   */
  @GET
  @Path("/tenants/{tenantId}")
  public TenantResponse tenant(@PathParam("tenantId") String tenantId) {
    return tenants.get(tenantId);
  }

  /**
   * Moves a tenant to another plan; billing calls this for {@code PUT /api/v1/tenants/{id}/plan}.
   *
   * @param tenantId the tenant id
   * @param request {@code {plan}}
   * @return the tenant
   */
  @PUT
  @Path("/tenants/{tenantId}/plan")
  public TenantResponse changePlan(@PathParam("tenantId") String tenantId, ChangePlanRequest request) {
    return tenants.changePlan(tenantId, request, actor.get());
  }

  /**
   * Records an audit event of another service (the model registry's outbox relay). Idempotent on the event's id:
   * the sender retries until it gets a 2xx, so a repeated id answers 200 with the event stored the first time.
   *
   * @param request the event
   * @return 201 with the stored event, or 200 when an event with that id exists already; 422 naming a missing or
   *     malformed field
   */
  @POST
  @Path("/audit")
  public Response recordAudit(RecordAuditRequest request) {
    UUID id = AuditService.validate(request);
    AuditService.Stored stored;
    try {
      stored = audit.recordForeign(request);
    } catch (RuntimeException e) {
      // A concurrent delivery of the same event won the unique event_id; answer as for any repeat.
      return audit.findForeign(id).map(event -> Response.ok(event).build()).orElseThrow(() -> e);
    }
    return Response.status(stored.created() ? Response.Status.CREATED : Response.Status.OK)
        .entity(stored.event()).build();
  }
}
