package dev.infermint.admin.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.quarkus.oidc.OIDCException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/** A page opened while Keycloak cannot be reached: a 503 that says so, not Quarkus' bare 500; other failures pass. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignInUnavailableTest {

  private Vertx vertx;
  private HttpServer server;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    new SignInUnavailable().install(router);
    // As quarkus-oidc fails a request when the OIDC server does not answer.
    router.get("/").handler(ctx -> ctx.fail(new RuntimeException(new OIDCException("OIDC Server is not available"))));
    router.get("/other").handler(ctx -> ctx.fail(new IllegalStateException("something else")));
    server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() {
    vertx.close();
  }

  @Test
  void keycloakUnreachableIsA503PageThatSaysSo() throws Exception {
    HttpResponse<String> page = get("/");
    assertEquals(503, page.statusCode());
    assertEquals("5", page.headers().firstValue("Retry-After").orElse(""));
    assertTrue(page.body().contains("Sign-in is unavailable"), page.body());
  }

  @Test
  void anyOtherFailureIsLeftToTheUsualHandler() throws Exception {
    assertEquals(500, get("/other").statusCode());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.actualPort()
        + path)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
