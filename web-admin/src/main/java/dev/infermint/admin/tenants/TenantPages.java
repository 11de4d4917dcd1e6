package dev.infermint.admin.tenants;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * Tenants: the list (search and paging), create, suspend and reactivate, delete with confirmation; a tenant's
 * members (invite, change role, remove) and its audit log. Every call goes to the gateway with the user's token,
 * so a tenant-admin asking for another tenant's page gets the gateway's 404.
 */
@Path("/tenants")
@Produces(MediaType.TEXT_HTML)
public class TenantPages {

  /** Tenants per page of the list. */
  static final int PAGE_SIZE = 20;
  /** Roles a member can have. */
  static final List<String> MEMBER_ROLES = List.of(ConsoleUser.TENANT_ADMIN, ConsoleUser.TENANT_MEMBER);

  private final GatewayClient gateway;
  private final Pages pages;
  private final ConsoleUser user;

  TenantPages(GatewayClient gateway, Pages pages, ConsoleUser user) {
    this.gateway = gateway;
    this.pages = pages;
    this.user = user;
  }

  /**
   * @param q a search over name, slug and id
   * @param page the page, from 1
   * @return the tenants the user may see
   */
  @GET
  public TemplateInstance list(@QueryParam("q") String q, @QueryParam("page") Integer page) {
    return listPage(q, page, Form.empty());
  }

  /**
   * Creates a tenant (platform-admin): on success its page, else the list again with the problem next to the field.
   *
   * @param name the display name
   * @param slug the short unique name
   * @param plan the plan id, may be blank for the default
   * @return 303 to the new tenant, or the form again
   */
  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response create(@RestForm String name, @RestForm String slug, @RestForm String plan) {
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("name", name).put("slug", slug);
    if (plan != null && !plan.isBlank()) {
      body.put("plan", plan);
    }
    Form form = Form.empty().with("name", name).with("slug", slug).with("plan", plan);
    try {
      JsonNode created = gateway.write((api, auth) -> api.createTenant(auth, body));
      return Pages.seeOther("/tenants/" + created.get("id").asText() + "?created=1");
    } catch (GatewayException.Refused e) {
      return Pages.status(e.status(), listPage(null, 1, form.error(e)));
    }
  }

  /**
   * @param tenantId the tenant
   * @param invited the e-mail just invited, to confirm it
   * @return the tenant: details, members, actions
   */
  @GET
  @Path("{tenantId}")
  public TemplateInstance overview(@PathParam("tenantId") String tenantId, @QueryParam("invited") String invited) {
    return overviewPage(tenantId, Form.empty()).data("invited", invited);
  }

  /**
   * @param tenantId the tenant
   * @param action {@code suspend} or {@code reactivate}
   * @return 303 back to the tenant
   */
  @POST
  @Path("{tenantId}/{action:suspend|reactivate}")
  public Response changeStatus(@PathParam("tenantId") String tenantId, @PathParam("action") String action) {
    gateway.write((api, auth) -> api.tenantAction(auth, tenantId, action));
    return Pages.seeOther("/tenants/" + tenantId);
  }

  /**
   * @param tenantId the tenant
   * @return the confirmation asked before a tenant is deleted
   */
  @GET
  @Path("{tenantId}/delete")
  public TemplateInstance confirmDelete(@PathParam("tenantId") String tenantId) {
    return pages.tenantPage("tenants/delete", tenantId).data("form", Form.empty());
  }

  /**
   * Deletes a tenant once its slug was typed again.
   *
   * @param tenantId the tenant
   * @param confirm the slug, typed by the user
   * @return 303 to the list, or the confirmation again
   */
  @POST
  @Path("{tenantId}/delete")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response delete(@PathParam("tenantId") String tenantId, @RestForm String confirm) {
    Map<String, Object> tenant = tenant(tenantId);
    if (confirm == null || !confirm.trim().equals(tenant.get("slug"))) {
      Form form = Form.empty().with("confirm", confirm).error("confirm",
          "type the tenant's slug, " + tenant.get("slug") + ", to confirm");
      return Pages.status(422, pages.tenantPage("tenants/delete", tenantId).data("form", form));
    }
    gateway.write((api, auth) -> {
      api.deleteTenant(auth, tenantId);
      return null;
    });
    return Pages.seeOther("/tenants?deleted=" + tenant.get("slug"));
  }

  /**
   * Invites a member: Keycloak mails them (or, without mail, the admin sets a password).
   *
   * @param tenantId the tenant
   * @param email their e-mail
   * @param role {@code tenant-admin} or {@code tenant-member}
   * @return 303 back to the tenant, or the form again
   */
  @POST
  @Path("{tenantId}/members")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response invite(@PathParam("tenantId") String tenantId, @RestForm String email, @RestForm String role) {
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("email", email).put("role", role);
    Form form = Form.empty().with("email", email).with("role", role);
    try {
      gateway.write((api, auth) -> api.addMember(auth, tenantId, body));
      return Pages.seeOther("/tenants/" + tenantId + "?invited=" + java.net.URLEncoder.encode(
          email == null ? "" : email, java.nio.charset.StandardCharsets.UTF_8));
    } catch (GatewayException.Refused e) {
      if (e.status() == 404) {
        throw e;
      }
      return Pages.status(e.status(), overviewPage(tenantId, form.error(e)));
    }
  }

  /**
   * @param tenantId the tenant
   * @param userId the member
   * @param role the new role
   * @return 303 back to the tenant
   */
  @POST
  @Path("{tenantId}/members/{userId}/role")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response changeRole(@PathParam("tenantId") String tenantId, @PathParam("userId") String userId,
      @RestForm String role) {
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("role", role);
    gateway.write((api, auth) -> api.changeRole(auth, tenantId, userId, body));
    return Pages.seeOther("/tenants/" + tenantId);
  }

  /**
   * @param tenantId the tenant
   * @param userId the member
   * @return the confirmation asked before a member is removed
   */
  @GET
  @Path("{tenantId}/members/{userId}/remove")
  public TemplateInstance confirmRemove(@PathParam("tenantId") String tenantId, @PathParam("userId") String userId) {
    Map<String, Object> member = member(tenantId, userId);
    return pages.tenantPage("tenants/remove-member", tenantId).data("member", member);
  }

  /**
   * @param tenantId the tenant
   * @param userId the member
   * @return 303 back to the tenant
   */
  @POST
  @Path("{tenantId}/members/{userId}/remove")
  public Response remove(@PathParam("tenantId") String tenantId, @PathParam("userId") String userId) {
    gateway.write((api, auth) -> {
      api.removeMember(auth, tenantId, userId);
      return null;
    });
    return Pages.seeOther("/tenants/" + tenantId);
  }

  /**
   * The tenant's audit log, newest first, 200 events per page; {@code action} and {@code actor} filter the page.
   *
   * @param tenantId the tenant
   * @param action a part of the action's name
   * @param actor a part of the actor
   * @param before an event id: only older events
   * @return the log
   */
  @GET
  @Path("{tenantId}/audit")
  public TemplateInstance audit(@PathParam("tenantId") String tenantId, @QueryParam("action") String action,
      @QueryParam("actor") String actor, @QueryParam("before") String before) {
    TemplateInstance view = pages.tenantPage("tenants/audit", tenantId);
    JsonNode page = gateway.read((api, auth) -> api.audit(auth, tenantId, 200, blankToNull(before)));
    List<Map<String, Object>> events = new ArrayList<>();
    String last = null;
    for (JsonNode e : page.path("events")) {
      last = e.path("id").asText();
      if (contains(e.path("action").asText(), action) && contains(e.path("actor").asText(), actor)) {
        events.add(Pages.map(e));
      }
    }
    return view.data("events", events)
        .data("action", nullToBlank(action)).data("actor", nullToBlank(actor))
        .data("older", page.path("events").size() == 200 ? last : null);
  }

  private TemplateInstance listPage(String q, Integer page, Form form) {
    JsonNode all = gateway.read((api, auth) -> api.tenants(auth));
    List<Map<String, Object>> matching = new ArrayList<>();
    for (JsonNode t : all) {
      if (q == null || q.isBlank() || contains(t.path("name").asText(), q) || contains(t.path("slug").asText(), q)
          || t.path("id").asText().equals(q.trim())) {
        matching.add(Pages.map(t));
      }
    }
    int pages = Math.max(1, (matching.size() + PAGE_SIZE - 1) / PAGE_SIZE);
    int current = Math.min(Math.max(page == null ? 1 : page, 1), pages);
    List<Map<String, Object>> shown = matching.subList((current - 1) * PAGE_SIZE,
        Math.min(matching.size(), current * PAGE_SIZE));
    Object plans = user.platformAdmin() ? Pages.tree(gateway.read((api, auth) -> api.plans(auth))) : List.of();
    return this.pages.page("tenants/list").data("tenants", shown).data("total", matching.size())
        .data("q", nullToBlank(q)).data("page", current).data("pages", pages).data("plans", plans)
        .data("form", form);
  }

  private TemplateInstance overviewPage(String tenantId, Form form) {
    TemplateInstance view = pages.tenantPage("tenants/overview", tenantId);
    Object members = user.canManage(tenantId) || tenantId.equals(user.tenantId())
        ? Pages.tree(gateway.read((api, auth) -> api.members(auth, tenantId))) : List.of();
    return view.data("members", members)
        .data("roles", MEMBER_ROLES).data("form", form).data("invited", null);
  }

  private Map<String, Object> tenant(String tenantId) {
    return Pages.map(gateway.read((api, auth) -> api.tenant(auth, tenantId)));
  }

  private Map<String, Object> member(String tenantId, String userId) {
    for (JsonNode m : gateway.read((api, auth) -> api.members(auth, tenantId))) {
      if (userId.equals(m.path("id").asText())) {
        return Pages.map(m);
      }
    }
    throw new GatewayException.Refused(404, "No member " + userId + " in this tenant", "not_found", null);
  }

  static boolean contains(String text, String part) {
    return part == null || part.isBlank()
        || (text != null && text.toLowerCase(Locale.ROOT).contains(part.trim().toLowerCase(Locale.ROOT)));
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  static String nullToBlank(String s) {
    return s == null ? "" : s;
  }
}
