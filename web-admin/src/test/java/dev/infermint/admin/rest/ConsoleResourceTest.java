package dev.infermint.admin.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.htmlunit.Page;
import org.htmlunit.WebClient;
import org.htmlunit.util.Cookie;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.infermint.admin.GatewayStandIn;

@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleResourceTest {

  @TestHTTPResource("/")
  URL root;

  private String keycloak;

  @BeforeAll
  void allowThisPortAsRedirect() {
    keycloak = ConfigProvider.getConfig().getValue("infermint.keycloak.url", String.class);
    // The realm allows redirects to the console's real port (8090); the test app listens on a random one. Add it
    // through Keycloak's admin API with the services client, whose service account is realm admin.
    String secret = ConfigProvider.getConfig().getValue("infermint.keycloak.services-client-secret", String.class);
    String admin = given().formParam("grant_type", "client_credentials").formParam("client_id", "infermint-services")
        .formParam("client_secret", secret)
        .post(keycloak + "/realms/infermint/protocol/openid-connect/token")
        .then().statusCode(200).extract().path("access_token");
    List<Map<String, Object>> clients = given().auth().oauth2(admin).queryParam("clientId", "infermint-web-admin")
        .get(keycloak + "/admin/realms/infermint/clients")
        .then().statusCode(200).extract().jsonPath().getList("$");
    Map<String, Object> client = clients.get(0);
    @SuppressWarnings("unchecked")
    List<String> redirects = new ArrayList<>((List<String>) client.get("redirectUris"));
    String mine = "http://localhost:" + root.getPort() + "/*";
    if (!redirects.contains(mine)) {
      redirects.add(mine);
      client.put("redirectUris", redirects);
      given().auth().oauth2(admin).contentType("application/json").body(client)
          .put(keycloak + "/admin/realms/infermint/clients/" + client.get("id"))
          .then().statusCode(204);
    }
  }

  @Test
  void unauthenticatedHomeRedirectsToKeycloakLogin() {
    String redirectUri = URLEncoder.encode("http://localhost:" + root.getPort() + "/", StandardCharsets.UTF_8);
    given().redirects().follow(false)
        .when().get("/")
        .then().log().ifValidationFails().statusCode(302)
        .header("Location", startsWith(keycloak + "/realms/infermint/protocol/openid-connect/auth?"))
        .header("Location", containsString("client_id=infermint-web-admin"))
        .header("Location", containsString("response_type=code"))
        .header("Location", containsString("redirect_uri=" + redirectUri));
  }

  @Test
  void tenantsPageNeedsLoginToo() {
    given().redirects().follow(false)
        .when().get("/tenants")
        .then().statusCode(302)
        .header("Location", startsWith(keycloak + "/realms/infermint/protocol/openid-connect/auth?"));
  }

  @Test
  void healthAndSignedOutPageArePublic() {
    given().when().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    given().redirects().follow(false).when().get("/signed-out")
        .then().statusCode(200).body(containsString("You are signed out"));
  }

  @Test
  void loginShowsTheUsersNameAndRoles() throws Exception {
    try (WebClient web = browser()) {
      HtmlPage home = login(web);
      assertEquals(root.getPort(), home.getUrl().getPort(), "back on the console after login: " + home.getUrl());
      assertEquals("admin", home.getHtmlElementById("username").getTextContent().trim());
      assertTrue(home.getHtmlElementById("roles").getTextContent().contains("platform-admin"),
          home.asNormalizedText());
      assertTrue(home.asNormalizedText().contains("Welcome, Platform Admin"), home.asNormalizedText());
    }
  }

  @Test
  void tenantsPageListsTenantsWithTheUsersAccessToken() throws Exception {
    try (WebClient web = browser()) {
      HtmlPage home = login(web);
      HtmlPage tenants = ((HtmlAnchor) home.getAnchorByText("Tenants")).click();
      assertTrue(tenants.asNormalizedText().contains("Acme Corp"), tenants.asNormalizedText());
    }
    // The stand-in gateway got the user's own Keycloak access token: Keycloak says whose it is.
    String gateway = ConfigProvider.getConfig().getValue("quarkus.rest-client.gateway.url", String.class);
    String authorization = given().get(gateway + "/last-authorization").then().statusCode(200).extract().asString();
    assertTrue(authorization.startsWith("Bearer "), authorization);
    given().header("Authorization", authorization)
        .get(keycloak + "/realms/infermint/protocol/openid-connect/userinfo")
        .then().statusCode(200).body("preferred_username", equalTo("admin"));
  }

  @Test
  void logoutEndsTheSession() throws Exception {
    try (WebClient web = browser()) {
      HtmlPage home = login(web);
      HtmlPage out = ((HtmlAnchor) home.getAnchorByText("Log out")).click();
      assertTrue(out.asNormalizedText().contains("You are signed out"), out.getUrl() + "\n" + out.asNormalizedText());
      HtmlPage again = web.getPage(root);
      assertTrue(again.getUrl().toString().startsWith(keycloak), "asked to log in again: " + again.getUrl());
    }
  }

  @Test
  void theSessionLivesOnTheServerAndLogoutEndsItEvenForACopiedCookie() throws Exception {
    String copied;
    try (WebClient web = browser()) {
      HtmlPage home = login(web);
      Cookie session = web.getCookieManager().getCookie("q_session");
      assertNotNull(session, "a session cookie: " + web.getCookieManager().getCookies());
      copied = session.getValue();
      // The tokens (each over a kilobyte) stay in Redis; the cookie carries only the session's id.
      assertTrue(copied.length() < 300, "the cookie holds an id, not tokens: " + copied.length() + " chars");
      given().redirects().follow(false).cookie("q_session", copied).get("/")
          .then().statusCode(200).body(containsString("Welcome, Platform Admin"));
      ((HtmlAnchor) home.getAnchorByText("Log out")).click();
    }
    // A cookie-only session would still open with a copy of the cookie; this one was deleted on the server.
    given().redirects().follow(false).cookie("q_session", copied).get("/")
        .then().statusCode(302).header("Location", startsWith(keycloak));
  }

  @Test
  void onlyAModelUploadMayCarryALargeBody() throws Exception {
    try (WebClient web = browser()) {
      login(web);
      String session = web.getCookieManager().getCookie("q_session").getValue();
      byte[] twoMegabytes = new byte[2 * 1024 * 1024];
      given().redirects().follow(false).cookie("q_session", session).contentType("application/x-www-form-urlencoded")
          .body("name=" + "x".repeat(twoMegabytes.length)).post("/tenants")
          .then().statusCode(413).contentType("application/problem+json").body("limit", equalTo(1048576));
      // An upload larger than Quarkus' default limit (10 MiB) streams on to the gateway (the stand-in has no
      // registry, so it is refused there, but not by the console).
      given().redirects().follow(false).cookie("q_session", session).header("X-Requested-With", "XMLHttpRequest")
          .multiPart("file", "m.onnx", new byte[12 * 1024 * 1024]).post("/models/acme-model/upload")
          .then().statusCode(org.hamcrest.Matchers.not(413));
    }
  }

  @Test
  void aNewModelsUploadWithoutScriptSaysWhatToDoInsteadOfCreatingAModelNamedUnderscore() throws Exception {
    try (WebClient web = browser()) {
      login(web);
      String session = web.getCookieManager().getCookie("q_session").getValue();
      given().redirects().follow(false).cookie("q_session", session)
          .multiPart("name", "my-model").multiPart("file", "m.onnx", new byte[] {1, 2, 3})
          .post("/models/_/upload")
          .then().statusCode(303)
          .header("Location", startsWith("/models?uploadError="))
          .header("Location", containsString("needs+JavaScript"));
    }
  }

  @Test
  void aFailingGatewayIsAReadablePageWithoutAStackTrace() throws Exception {
    try (WebClient web = browser()) {
      login(web);
      Page page = web.getPage(root.toString() + "tenants/" + GatewayStandIn.BROKEN);
      String text = page.getWebResponse().getContentAsString();
      assertEquals(502, page.getWebResponse().getStatusCode(), text);
      assertTrue(text.contains("The gateway answered 500"), text);
      assertFalse(text.contains("Exception") || text.contains("Secret.java"), "no stack trace: " + text);
    }
  }

  @Test
  void anotherTenantsPageAndAnUnknownPathAreReadable404s() throws Exception {
    try (WebClient web = browser()) {
      login(web);
      Page other = web.getPage(root.toString() + "tenants/7f1c2d9e-0000-4000-8000-000000000099");
      assertEquals(404, other.getWebResponse().getStatusCode());
      assertTrue(other.getWebResponse().getContentAsString().contains("tenant not found"),
          other.getWebResponse().getContentAsString());
      Page unknown = web.getPage(root.toString() + "no/such/page");
      assertEquals(404, unknown.getWebResponse().getStatusCode());
      assertTrue(unknown.getWebResponse().getContentAsString().contains("There is no such page in the console"),
          unknown.getWebResponse().getContentAsString());
    }
  }

  private static WebClient browser() {
    WebClient web = new WebClient();
    web.getOptions().setJavaScriptEnabled(false);
    web.getOptions().setCssEnabled(false);
    web.getOptions().setRedirectEnabled(true);
    web.getOptions().setThrowExceptionOnFailingStatusCode(false);
    return web;
  }

  /** Opens the console, lands on Keycloak's login form, and signs in as admin/admin. */
  private HtmlPage login(WebClient web) throws Exception {
    HtmlPage login = web.getPage(root);
    assertTrue(login.getUrl().toString().startsWith(keycloak + "/realms/infermint/"), "Keycloak login: "
        + login.getUrl());
    HtmlForm form = login.getHtmlElementById("kc-form-login");
    form.getInputByName("username").setValue("admin");
    if (form.getInputsByName("password").isEmpty()) {
      // Once the realm has organizations, Keycloak asks for the username first and the password on a second page.
      HtmlPage passwordPage = login.<HtmlElement>getHtmlElementById("kc-login").click();
      form = passwordPage.getHtmlElementById("kc-form-login");
      form.getInputByName("password").setValue("admin");
      return passwordPage.<HtmlElement>getHtmlElementById("kc-login").click();
    }
    form.getInputByName("password").setValue("admin");
    HtmlElement submit = login.getHtmlElementById("kc-login");
    return submit.click();
  }
}
