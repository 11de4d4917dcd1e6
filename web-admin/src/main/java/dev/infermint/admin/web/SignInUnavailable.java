package dev.infermint.admin.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.oidc.OIDCException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * When Keycloak cannot be reached (still starting, or down), quarkus-oidc fails the request before any page runs, and
 * Quarkus would answer a bare 500. This answers 503 with a page that says what is wrong and that a reload will do,
 * plus {@code Retry-After}. It renders no template: the request has no user to render one for.
 */
@ApplicationScoped
public class SignInUnavailable {

  private static final Logger LOG = Logger.getLogger(SignInUnavailable.class);
  private static final String PAGE = """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8"><title>Sign-in unavailable · Infermint</title>
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <link rel="stylesheet" href="/css/console.css"></head>
      <body><main id="main"><h1>Sign-in is unavailable</h1>
      <p class="error" role="alert">The console cannot reach the sign-in service (Keycloak) right now. If the platform
      is starting, it will be there in a few seconds: reload this page.</p>
      <p class="muted">HTTP 503.</p></main></body></html>
      """;

  void install(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    if (!isOidcOutage(ctx.failure()) || ctx.response().ended()) {
      ctx.next();
      return;
    }
    LOG.warnf("Sign-in unavailable for %s: %s", ctx.request().path(), ctx.failure().getMessage());
    ctx.response().setStatusCode(503).putHeader("Content-Type", "text/html;charset=UTF-8")
        .putHeader("Retry-After", "5").putHeader("Cache-Control", "no-store").end(PAGE);
  }

  private static boolean isOidcOutage(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof OIDCException) {
        return true;
      }
    }
    return false;
  }
}
