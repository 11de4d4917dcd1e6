package dev.infermint.admin.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.Engine;
import io.quarkus.qute.TemplateInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.infermint.admin.client.GatewayClient;

/**
 * Renders the console's pages: a Qute template from {@code templates/} with the signed-in user added, so the
 * layout can show the navigation the user's role allows. Answers of the gateway reach templates as plain maps and
 * lists ({@link #tree(JsonNode)}), so a page shows the contract's field names as they are.
 */
@ApplicationScoped
public class Pages {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Engine engine;
  private final ConsoleUser user;
  private final GatewayClient gateway;

  Pages(Engine engine, ConsoleUser user, GatewayClient gateway) {
    this.engine = engine;
    this.user = user;
    this.gateway = gateway;
  }

  /**
   * @param template the template's path under {@code templates/}, without {@code .html}
   * @return the page, with {@code user} set
   */
  public TemplateInstance page(String template) {
    return engine.getTemplate(template).data("user", user);
  }

  /**
   * A page of one tenant: the tenant is read first (the gateway's 404 for a tenant the user may not see ends the
   * page there), and a platform-admin also gets every tenant for the switcher in the tenant's header.
   *
   * @param template the template's path under {@code templates/}, without {@code .html}
   * @param tenantId the tenant
   * @return the page, with {@code user}, {@code tenant} and, for platform-admins, {@code switchable} set
   */
  public TemplateInstance tenantPage(String template, String tenantId) {
    Map<String, Object> tenant = map(gateway.read((api, auth) -> api.tenant(auth, tenantId)));
    Object switchable = user.platformAdmin() ? tree(gateway.read((api, auth) -> api.tenants(auth))) : List.of();
    return page(template).data("tenant", tenant).data("switchable", switchable);
  }

  /**
   * @param status the HTTP status to answer with
   * @param page the page
   * @return the page as a response with that status
   */
  public static Response status(int status, TemplateInstance page) {
    return Response.status(status).entity(page).type("text/html;charset=UTF-8").build();
  }

  /**
   * Post/redirect/get: after a change, the browser is sent to a page it can reload safely.
   *
   * @param path the console path to show next
   * @return 303 See Other
   */
  public static Response seeOther(String path) {
    return Response.seeOther(URI.create(path)).build();
  }

  /**
   * @param node a JSON answer
   * @return the same as maps, lists, strings, numbers and booleans; a field whose value is JSON null is left out, so
   *     that templates see it as missing (Qute applies no extension method to a null, but does to a missing key)
   */
  public static Object tree(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isObject()) {
      Map<String, Object> fields = new LinkedHashMap<>();
      node.fields().forEachRemaining(field -> {
        if (!field.getValue().isNull()) {
          fields.put(field.getKey(), tree(field.getValue()));
        }
      });
      return fields;
    }
    if (node.isArray()) {
      List<Object> items = new ArrayList<>(node.size());
      node.forEach(item -> items.add(tree(item)));
      return items;
    }
    return JSON.convertValue(node, Object.class);
  }

  /**
   * @param node a JSON object
   * @return it as a map
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(JsonNode node) {
    Object tree = tree(node);
    return tree instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
