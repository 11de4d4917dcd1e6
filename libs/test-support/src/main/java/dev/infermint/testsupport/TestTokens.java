package dev.infermint.testsupport;

import static io.restassured.RestAssured.given;

/**
 * Access tokens from the test Keycloak: users' through the dev client {@code infermint-cli} (direct access grants),
 * the services' through the client-credentials grant of {@code infermint-services}.
 */
public final class TestTokens {

  static volatile String keycloakUrl;
  static volatile String servicesSecret;
  private static volatile String serviceToken;
  private static volatile long serviceTokenRenewAt;

  private TestTokens() {
  }

  /** @return the base URL of the Keycloak that {@link KeycloakResource} started or found */
  public static String keycloakUrl() {
    if (keycloakUrl == null) {
      throw new IllegalStateException("KeycloakResource has not started");
    }
    return keycloakUrl;
  }

  /**
   * Logs a user in with its password.
   *
   * @param username the user
   * @param password its password
   * @return the access token
   */
  public static String password(String username, String password) {
    return password(keycloakUrl(), username, password);
  }

  /**
   * Logs a user in with its password at the given Keycloak.
   *
   * @param baseUrl Keycloak's base URL
   * @param username the user
   * @param password its password
   * @return the access token
   */
  public static String password(String baseUrl, String username, String password) {
    return given().formParam("grant_type", "password").formParam("client_id", "infermint-cli")
        .formParam("username", username).formParam("password", password).formParam("scope", "openid organization")
        .post(baseUrl + "/realms/infermint/protocol/openid-connect/token")
        .then().statusCode(200).extract().path("access_token");
  }

  /** @return an access token of the dev platform admin {@code admin}/{@code admin} */
  public static String platformAdmin() {
    return password("admin", "admin");
  }

  /**
   * A token of the Infermint services (realm role {@code infermint-service}), as the gateway and the other services
   * send it on internal calls. Kept until a minute before it expires.
   *
   * @return the access token
   */
  public static synchronized String service() {
    if (serviceToken == null || System.currentTimeMillis() >= serviceTokenRenewAt) {
      var response = serviceTokenResponse(keycloakUrl(), servicesSecret);
      int expiresIn = response.path("expires_in");
      serviceToken = response.path("access_token");
      serviceTokenRenewAt = System.currentTimeMillis() + Math.max(0, expiresIn - 60) * 1000L;
    }
    return serviceToken;
  }

  /** @return a new service token from the test Keycloak, never handed out before (unlike {@link #service()}) */
  public static String freshService() {
    return service(keycloakUrl(), servicesSecret);
  }

  /**
   * A fresh service token from the given Keycloak.
   *
   * @param baseUrl Keycloak's base URL
   * @param secret the secret of client {@code infermint-services}
   * @return the access token
   */
  public static String service(String baseUrl, String secret) {
    return serviceTokenResponse(baseUrl, secret).path("access_token");
  }

  private static io.restassured.response.ExtractableResponse<io.restassured.response.Response> serviceTokenResponse(
      String baseUrl, String secret) {
    return given().formParam("grant_type", "client_credentials")
        .formParam("client_id", "infermint-services").formParam("client_secret", secret)
        .post(baseUrl + "/realms/infermint/protocol/openid-connect/token")
        .then().statusCode(200).extract();
  }

  /**
   * Checks that an {@code Authorization} header carries a service token of realm {@code infermint}: the
   * client-credentials token of {@code infermint-services} with realm role {@code infermint-service}. Stand-ins
   * for a service use it to see what the real service would have checked.
   *
   * @param authorization the header value, may be null
   * @return null when it is such a token, else why not
   */
  public static String whyNotAServiceToken(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return "no bearer token: " + authorization;
    }
    String[] parts = authorization.substring(7).split("\\.");
    if (parts.length != 3) {
      return "not a JWT";
    }
    io.restassured.path.json.JsonPath claims = io.restassured.path.json.JsonPath.from(
        new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8));
    String issuer = claims.getString("iss");
    if (issuer == null || !issuer.endsWith("/realms/infermint")) {
      return "issuer " + issuer;
    }
    if (!"infermint-services".equals(claims.getString("azp"))) {
      return "client " + claims.getString("azp");
    }
    java.util.List<String> roles = claims.getList("realm_access.roles");
    return roles != null && roles.contains("infermint-service") ? null : "roles " + roles;
  }
}
