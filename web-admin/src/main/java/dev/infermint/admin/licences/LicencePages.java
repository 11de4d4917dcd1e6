package dev.infermint.admin.licences;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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
import dev.infermint.admin.web.ConsoleUser;
import dev.infermint.admin.web.Form;
import dev.infermint.admin.web.Pages;

/**
 * Licences: the list (the user's tenant's; every tenant's for a platform-admin, optionally one tenant's), issue
 * (platform-admin; the key shown once), a licence's machines, suspend and reinstate, and the licence file (the
 * Ed25519-signed JWS) as a download.
 */
@Path("/licences")
@Produces(MediaType.TEXT_HTML)
public class LicencePages {

  private final GatewayClient gateway;
  private final Pages pages;
  private final ConsoleUser user;

  LicencePages(GatewayClient gateway, Pages pages, ConsoleUser user) {
    this.gateway = gateway;
    this.pages = pages;
    this.user = user;
  }

  /**
   * @param tenant only this tenant's licences
   * @return the list and, for a platform-admin, the form to issue one
   */
  @GET
  public TemplateInstance list(@QueryParam("tenant") String tenant) {
    return listPage(tenant, Form.empty().with("tenantId", tenant).with("maxMachines", "1"));
  }

  /**
   * @param tenantId the tenant the licence is for
   * @param product the product
   * @param maxMachines machines it may be activated on
   * @param expiresOn an optional last day (UTC)
   * @param entitlements comma-separated, e.g. {@code model:all-minilm-l6-v2}
   * @return the new licence with its key, shown this once; or the form again with the problem
   */
  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response issue(@RestForm String tenantId, @RestForm String product, @RestForm String maxMachines,
      @RestForm String expiresOn, @RestForm String entitlements) {
    Form form = Form.empty().with("tenantId", tenantId).with("product", product).with("maxMachines", maxMachines)
        .with("expiresAt", expiresOn).with("entitlements", entitlements);
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("tenantId", tenantId).put("product", product);
    try {
      body.put("maxMachines", Integer.parseInt(maxMachines == null ? "" : maxMachines.trim()));
    } catch (NumberFormatException e) {
      form.error("maxMachines", "must be a whole number");
    }
    if (expiresOn != null && !expiresOn.isBlank()) {
      try {
        body.put("expiresAt", LocalDate.parse(expiresOn.trim()).plusDays(1).atStartOfDay(ZoneOffset.UTC)
            .toInstant().toString());
      } catch (DateTimeParseException e) {
        form.error("expiresAt", "must be a date, e.g. 2030-01-31");
      }
    }
    ArrayNode list = body.putArray("entitlements");
    for (String e : (entitlements == null ? "" : entitlements).split(",")) {
      if (!e.isBlank()) {
        list.add(e.trim());
      }
    }
    if (form.failed()) {
      return Pages.status(422, listPage(null, form));
    }
    try {
      JsonNode issued = gateway.write((api, auth) -> api.issueLicence(auth, body));
      return Response.status(201).entity(pages.page("licences/issued").data("licence", Pages.map(issued)))
          .type("text/html;charset=UTF-8").header("Cache-Control", "no-store").build();
    } catch (GatewayException.Refused e) {
      return Pages.status(e.status(), listPage(null, form.error(e)));
    }
  }

  /**
   * @param id the licence
   * @return the licence with its machines
   */
  @GET
  @Path("{id}")
  public TemplateInstance licence(@PathParam("id") String id) {
    JsonNode licence = gateway.read((api, auth) -> api.licence(auth, id));
    return pages.page("licences/licence").data("licence", Pages.map(licence))
        .data("machines", Pages.tree(gateway.read((api, auth) -> api.machines(auth, id))));
  }

  /**
   * @param id the licence
   * @param action {@code suspend} or {@code reinstate}
   * @return 303 back to the licence
   */
  @POST
  @Path("{id}/{action:suspend|reinstate}")
  public Response changeStatus(@PathParam("id") String id, @PathParam("action") String action) {
    gateway.write((api, auth) -> api.licenceAction(auth, id, action));
    return Pages.seeOther("/licences/" + id);
  }

  /**
   * @param id the licence
   * @return its licence file: the compact JWS (EdDSA) any JOSE library verifies offline with the public key
   */
  @GET
  @Path("{id}/file")
  @Produces("application/octet-stream")
  public Response file(@PathParam("id") String id) {
    JsonNode licence = gateway.read((api, auth) -> api.licence(auth, id));
    String jws = licence.path("license").asText("");
    if (jws.isEmpty()) {
      throw new GatewayException.Refused(404, "This licence has no licence file", "not_found", null);
    }
    return Response.ok((jws + "\n").getBytes(StandardCharsets.US_ASCII), "application/octet-stream")
        .header("Content-Disposition", "attachment; filename=\"licence-" + licence.path("id").asText() + ".lic\"")
        .build();
  }

  private TemplateInstance listPage(String tenant, Form form) {
    List<Map<String, Object>> licences = new ArrayList<>();
    for (JsonNode l : gateway.read((api, auth) -> api.licences(auth))) {
      if (tenant == null || tenant.isBlank() || tenant.equals(l.path("tenantId").asText())) {
        licences.add(Pages.map(l));
      }
    }
    TemplateInstance page = pages.page("licences/list").data("licences", licences).data("form", form)
        .data("tenantFilter", tenant == null ? "" : tenant);
    if (user.platformAdmin()) {
      page.data("tenants", Pages.tree(gateway.read((api, auth) -> api.tenants(auth))))
          .data("products", Pages.tree(gateway.read((api, auth) -> api.licenceProducts(auth))));
    } else {
      page.data("tenants", List.of()).data("products", List.of());
    }
    return page;
  }
}
