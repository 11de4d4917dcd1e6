package dev.infermint.registry.client;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.oidc.client.filter.OidcClientFilter;

/**
 * The tenants service's audit intake, {@code POST /internal/audit} ({@code quarkus.rest-client.tenants.url}). Each
 * call carries the registry's service token (quarkus-oidc-client, configured in libs/service-client).
 */
@RegisterRestClient(configKey = "tenants")
@OidcClientFilter
@Path("/internal/audit")
public interface TenantsAuditClient {

  /**
   * Sends one audit event; the tenants service stores each event id once.
   *
   * @param event {@code {id, tenantId, actor, actorKind, action, target, requestId, occurredAt, details}}
   * @return 201 when stored, 200 when it was stored before; an error status otherwise
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  Response record(Map<String, Object> event);
}
