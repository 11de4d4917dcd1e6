package dev.infermint.admin.billing;

import java.net.URI;
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
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.infermint.admin.client.GatewayClient;
import dev.infermint.admin.client.GatewayException;
import dev.infermint.admin.web.ConsoleUser;
import dev.infermint.admin.web.Form;
import dev.infermint.admin.web.Pages;

/**
 * A tenant's billing: the current plan with its limits and overage policy, every plan to change to, invoices and
 * the upcoming one, and a banner when payment sync is off. A platform-admin changes the plan directly; a
 * tenant-admin goes through Stripe Checkout when Stripe is on, and opens the Customer Portal from here.
 */
@Path("/tenants/{tenantId}/billing")
@Produces(MediaType.TEXT_HTML)
public class BillingPages {

  private final GatewayClient gateway;
  private final Pages pages;
  private final ConsoleUser user;

  BillingPages(GatewayClient gateway, Pages pages, ConsoleUser user) {
    this.gateway = gateway;
    this.pages = pages;
    this.user = user;
  }

  /**
   * @param tenantId the tenant
   * @param changed a plan just changed to, to confirm it
   * @return the billing page
   */
  @GET
  public TemplateInstance billing(@PathParam("tenantId") String tenantId, @QueryParam("changed") String changed) {
    return page(tenantId, Form.empty()).data("changed", changed);
  }

  /**
   * Changes the plan: directly for a platform-admin; through Stripe Checkout for a tenant-admin when payment sync
   * is on (the plan changes when Stripe confirms the payment).
   *
   * @param tenantId the tenant
   * @param plan the plan id
   * @return 303 back here, or to Stripe Checkout; or the page with the problem
   */
  @POST
  @Path("plan")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response changePlan(@PathParam("tenantId") String tenantId, @RestForm String plan) {
    Form form = Form.empty().with("plan", plan);
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("plan", plan);
    try {
      if (user.platformAdmin()) {
        gateway.write((api, auth) -> api.changePlan(auth, tenantId, body));
        return Pages.seeOther("/tenants/" + tenantId + "/billing?changed=" + plan);
      }
      JsonNode hosted = gateway.write((api, auth) -> api.checkout(auth, tenantId, body));
      return Response.seeOther(URI.create(hosted.path("url").asText())).build();
    } catch (GatewayException.Refused e) {
      if (e.status() == 404) {
        throw e;
      }
      return Pages.status(e.status(), page(tenantId, form.error(e)).data("changed", null));
    }
  }

  /**
   * @param tenantId the tenant
   * @return 303 to Stripe's Customer Portal, or the page with the problem (e.g. payment sync off)
   */
  @POST
  @Path("portal")
  public Response portal(@PathParam("tenantId") String tenantId) {
    try {
      JsonNode hosted = gateway.write((api, auth) -> api.billingPortal(auth, tenantId));
      return Response.seeOther(URI.create(hosted.path("url").asText())).build();
    } catch (GatewayException.Refused e) {
      if (e.status() == 404) {
        throw e;
      }
      return Pages.status(e.status(), page(tenantId, Form.empty().error(null, e.detail())).data("changed", null));
    }
  }

  private TemplateInstance page(String tenantId, Form form) {
    TemplateInstance page = pages.tenantPage("billing/billing", tenantId);
    Map<String, Object> tenant = Pages.map(gateway.read((api, auth) -> api.tenant(auth, tenantId)));
    JsonNode plans = gateway.read((api, auth) -> api.plans(auth));
    Object current = null;
    for (JsonNode p : plans) {
      if (p.path("id").asText().equals(tenant.get("plan"))) {
        current = Pages.tree(p);
      }
    }
    return page.data("plans", Pages.tree(plans)).data("current", current)
        .data("invoices", Pages.map(gateway.read((api, auth) -> api.invoices(auth, tenantId)))).data("form", form);
  }
}
