package dev.infermint.admin.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.IdToken;
import io.quarkus.qute.TemplateData;
import io.quarkus.security.identity.SecurityIdentity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Who is signed in, as the pages need it: names, realm roles and the tenant (the Keycloak organization of the access
 * token). It only decides what a page offers; the gateway decides what is allowed, with the same token.
 */
@RequestScoped
@TemplateData
public class ConsoleUser {

  /** Platform staff: every tenant, plans, licences of all tenants. */
  public static final String PLATFORM_ADMIN = "platform-admin";
  /** Manages one tenant: members, keys, models, licences. */
  public static final String TENANT_ADMIN = "tenant-admin";
  /** Reads one tenant's pages. */
  public static final String TENANT_MEMBER = "tenant-member";

  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject
  SecurityIdentity identity;

  @Inject
  @IdToken
  JsonWebToken idToken;

  private String username;
  private String name;
  private String email;
  private List<String> roles;
  private String tenantId;

  @PostConstruct
  void read() {
    this.username = claim(idToken, "preferred_username", identity.isAnonymous() ? "" : identity.getPrincipal()
        .getName());
    this.name = claim(idToken, "name", username);
    this.email = claim(idToken, "email", null);
    this.roles = identity.getRoles().stream().sorted().toList();
    AccessTokenCredential access = identity.getCredential(AccessTokenCredential.class);
    this.tenantId = access == null ? null : organizationId(access.getToken());
  }

  /** @return the login name */
  public String username() {
    return username;
  }

  /** @return the full name, or the login name when the account has none */
  public String name() {
    return name;
  }

  /** @return the e-mail address, or null */
  public String email() {
    return email;
  }

  /** @return the realm roles, sorted */
  public List<String> roles() {
    return roles;
  }

  /** @return the user's own tenant (organization id), or null for platform staff without one */
  public String tenantId() {
    return tenantId;
  }

  /** @return whether the user runs the platform */
  public boolean platformAdmin() {
    return roles.contains(PLATFORM_ADMIN);
  }

  /** @return whether the user administers their tenant */
  public boolean tenantAdmin() {
    return roles.contains(TENANT_ADMIN);
  }

  /**
   * @param tenant a tenant id
   * @return whether the pages of that tenant offer changes (platform-admin, or tenant-admin of it)
   */
  public boolean canManage(String tenant) {
    return platformAdmin() || (tenantAdmin() && tenant != null && tenant.equals(tenantId));
  }

  /** @return whether the user can change anything of their own tenant */
  public boolean readOnly() {
    return !platformAdmin() && !tenantAdmin();
  }

  /** @return the role the pages show: the strongest the user holds */
  public String role() {
    return platformAdmin() ? PLATFORM_ADMIN : tenantAdmin() ? TENANT_ADMIN
        : roles.contains(TENANT_MEMBER) ? TENANT_MEMBER : "no role";
  }

  private static String claim(JsonWebToken token, String name, String fallback) {
    Object value = token == null ? null : token.getClaim(name);
    String text = value instanceof JsonString json ? json.getString() : value == null ? null : value.toString();
    return text == null || text.isBlank() ? fallback : text;
  }

  /**
   * Reads the organization out of the access token Keycloak issued in this session: {@code {"<alias>": {"id":
   * "<org id>"}}}. The token came from Keycloak's token endpoint over the back channel; its signature is checked
   * by the gateway on every call, so here it only picks the pages to show.
   */
  static String organizationId(String accessToken) {
    // The same reading as the services' CallerResolver.organizationId, on Jackson's tree: libs/auth-context is not a
    // dependency of the console, since its beans (the caller resolver, the /internal filter) are for the services.
    String[] parts = accessToken.split("\\.");
    if (parts.length < 2) {
      return null;
    }
    try {
      JsonNode claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      JsonNode org = claims.get("organization");
      if (org == null || org.isNull()) {
        return null;
      }
      if (org.isObject()) {
        String id = idIn(org);
        return id != null ? id : org.fieldNames().hasNext() ? org.fieldNames().next() : null;
      }
      if (org.isArray()) {
        // Keycloak merges the alias list and the id-carrying object: ["acme", {"acme": {"id": "..."}}]. Ids win.
        String alias = null;
        for (JsonNode item : org) {
          String id = item.isObject() ? idIn(item) : null;
          if (id != null) {
            return id;
          }
          if (item.isTextual() && alias == null) {
            alias = item.asText();
          }
        }
        return alias;
      }
      return org.isTextual() ? org.asText() : null;
    } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
      return null;
    }
  }

  /** @return the {@code id} of the first organization in {@code {"<alias>": {"id": "<org id>"}}}, or null */
  private static String idIn(JsonNode org) {
    Iterator<Map.Entry<String, JsonNode>> fields = org.fields();
    while (fields.hasNext()) {
      JsonNode id = fields.next().getValue().get("id");
      if (id != null && id.isTextual()) {
        return id.asText();
      }
    }
    return null;
  }
}
