package dev.infermint.admin.keys;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.quarkus.qute.TemplateInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.infermint.admin.client.GatewayClient;
import dev.infermint.admin.client.GatewayException;
import dev.infermint.admin.web.Form;
import dev.infermint.admin.web.Pages;

/**
 * A tenant's API keys: the list (prefix, scopes, last use, expiry, status), create (the secret shown once, on the
 * answer to the form, never in a URL or stored by the console) and revoke with confirmation.
 */
@Path("/tenants/{tenantId}/keys")
@Produces(MediaType.TEXT_HTML)
public class KeyPages {

  /** Scopes a key can have (SPEC §2, §5). */
  static final List<String> SCOPES = List.of("inference", "admin");

  private final GatewayClient gateway;
  private final Pages pages;

  KeyPages(GatewayClient gateway, Pages pages) {
    this.gateway = gateway;
    this.pages = pages;
  }

  /**
   * @param tenantId the tenant
   * @return its keys and the form to create one
   */
  @GET
  public TemplateInstance list(@PathParam("tenantId") String tenantId) {
    return listPage(tenantId, Form.empty().with("scopes", "inference"));
  }

  /**
   * @param tenantId the tenant
   * @param name the key's name
   * @param scopes the scopes checked
   * @param expiresOn an optional last day (UTC) the key works
   * @return the new key's secret, shown this once; or the form again with the problem next to the field
   */
  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response create(@PathParam("tenantId") String tenantId, @RestForm String name,
      @RestForm List<String> scopes, @RestForm String expiresOn) {
    Form form = Form.empty().with("name", name).with("scopes", String.join(",", scopes == null ? List.of() : scopes))
        .with("expiresAt", expiresOn);
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("name", name);
    ArrayNode scopeList = body.putArray("scopes");
    (scopes == null ? List.<String>of() : scopes).forEach(scopeList::add);
    if (expiresOn != null && !expiresOn.isBlank()) {
      try {
        // The key works through the whole day chosen.
        body.put("expiresAt", LocalDate.parse(expiresOn.trim()).plusDays(1).atStartOfDay(ZoneOffset.UTC)
            .toInstant().toString());
      } catch (DateTimeParseException e) {
        return Pages.status(422, listPage(tenantId, form.error("expiresAt", "must be a date, e.g. 2030-01-31")));
      }
    }
    try {
      JsonNode created = gateway.write((api, auth) -> api.createKey(auth, tenantId, body));
      return Response.status(201).entity(pages.tenantPage("keys/created", tenantId).data("key", Pages.map(created)))
          .type("text/html;charset=UTF-8").header("Cache-Control", "no-store").build();
    } catch (GatewayException.Refused e) {
      if (e.status() == 404 || e.status() == 403) {
        throw e;
      }
      return Pages.status(e.status(), listPage(tenantId, form.error(e)));
    }
  }

  /**
   * @param tenantId the tenant
   * @param keyId the key
   * @return the confirmation asked before a key is revoked
   */
  @GET
  @Path("{keyId}/revoke")
  public TemplateInstance confirmRevoke(@PathParam("tenantId") String tenantId, @PathParam("keyId") String keyId) {
    TemplateInstance page = pages.tenantPage("keys/revoke", tenantId);
    for (JsonNode k : gateway.read((api, auth) -> api.keys(auth, tenantId))) {
      if (keyId.equals(k.path("id").asText())) {
        return page.data("key", Pages.map(k));
      }
    }
    throw new GatewayException.Refused(404, "No API key " + keyId + " in this tenant", "not_found", null);
  }

  /**
   * @param tenantId the tenant
   * @param keyId the key
   * @return 303 to the list; the gateway refuses the key within 5 s
   */
  @POST
  @Path("{keyId}/revoke")
  public Response revoke(@PathParam("tenantId") String tenantId, @PathParam("keyId") String keyId) {
    gateway.write((api, auth) -> {
      api.revokeKey(auth, tenantId, keyId);
      return null;
    });
    return Pages.seeOther("/tenants/" + tenantId + "/keys");
  }

  private TemplateInstance listPage(String tenantId, Form form) {
    TemplateInstance page = pages.tenantPage("keys/list", tenantId);
    List<Map<String, Object>> keys = new java.util.ArrayList<>();
    for (JsonNode k : gateway.read((api, auth) -> api.keys(auth, tenantId))) {
      keys.add(Pages.map(k));
    }
    return page.data("keys", keys).data("scopes", SCOPES).data("form", form);
  }
}
