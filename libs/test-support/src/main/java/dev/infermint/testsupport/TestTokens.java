package dev.infermint.testsupport;

import static io.restassured.RestAssured.given;

/** Access tokens from the test Keycloak, through the dev client {@code infermint-cli} (direct access grants). */
public final class TestTokens {

  static volatile String keycloakUrl;

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
}
