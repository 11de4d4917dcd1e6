package dev.infermint.admin.rest;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.json.JsonString;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.IdToken;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;

import dev.infermint.admin.client.GatewayException;
import dev.infermint.admin.client.Tenant;
import dev.infermint.admin.client.TenantsClient;

/**
 * The console's pages. Every path except {@code /signed-out}, {@code /css/*} and {@code /q/*} needs a login
 * (see {@code quarkus.http.auth.permission.*}); {@code /logout} is handled by quarkus-oidc.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class ConsoleResource {

  private static final Logger LOG = Logger.getLogger(ConsoleResource.class);

  /** The pages' templates, checked at build time ({@code templates/ConsoleResource/*.html}). */
  @CheckedTemplate
  static class Templates {

    static native TemplateInstance index(User user);

    static native TemplateInstance tenants(User user, List<Tenant> tenants, String error);

    static native TemplateInstance signedOut();
  }

  /**
   * Who is signed in, as the pages show it.
   *
   * @param name the full name, or the username when the account has none
   * @param username the login name
   * @param email the e-mail address, may be null
   * @param roles the realm roles, sorted
   */
  public record User(String name, String username, String email, List<String> roles) {
  }

  @Inject
  SecurityIdentity identity;

  @Inject
  @IdToken
  JsonWebToken idToken;

  @Inject
  TenantsClient tenantsClient;

  /** @return the home page: who is signed in and with which roles */
  @GET
  public TemplateInstance index() {
    return Templates.index(user());
  }

  /** @return the tenants the user may see, read from the gateway with the user's access token */
  @GET
  @Path("tenants")
  public RestResponse<TemplateInstance> tenants() {
    User user = user();
    try {
      return RestResponse.ok(Templates.tenants(user, tenantsClient.list(accessToken()), null));
    } catch (GatewayException e) {
      LOG.debugf("Gateway refused the tenant list: %s", e.getMessage());
      int status = e instanceof GatewayException.Refused ? e.status() : 502;
      return RestResponse.ResponseBuilder.<TemplateInstance>create(status)
          .entity(Templates.tenants(user, List.of(), "The gateway answered " + e.status() + ": " + e.detail()))
          .build();
    } catch (ProcessingException | TimeoutException | CircuitBreakerOpenException e) {
      LOG.warnf("Gateway unreachable for the tenant list: %s", e.toString());
      return RestResponse.status(RestResponse.Status.BAD_GATEWAY,
          Templates.tenants(user, List.of(), "The gateway cannot be reached right now; try again in a moment."));
    }
  }

  /** @return the page shown after logging out; needs no login */
  @GET
  @Path("signed-out")
  public TemplateInstance signedOut() {
    return Templates.signedOut();
  }

  /** The access token the code flow obtained for the signed-in user (refreshed by quarkus-oidc when it expires). */
  private String accessToken() {
    AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
    if (credential == null) {
      throw new IllegalStateException("No access token in the session; is quarkus.oidc.application-type web-app?");
    }
    return credential.getToken();
  }

  private User user() {
    String username = claim("preferred_username", identity.getPrincipal().getName());
    return new User(claim("name", username), username, claim("email", null),
        identity.getRoles().stream().sorted().toList());
  }

  private String claim(String name, String fallback) {
    Object value = idToken == null ? null : idToken.getClaim(name);
    String text = value instanceof JsonString json ? json.getString() : value == null ? null : value.toString();
    return text == null || text.isBlank() ? fallback : text;
  }
}
