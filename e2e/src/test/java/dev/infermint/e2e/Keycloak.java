package dev.infermint.e2e;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;

import dev.infermint.stack.Stack;
import dev.infermint.testsupport.TestTokens;

/** What a person does in Keycloak that the platform's API does not: accept an invitation and set a password. */
final class Keycloak {

  private Keycloak() {
  }

  /**
   * Sets a password for an invited user (as the user would when accepting the invitation) and logs in.
   *
   * @param stack the running stack
   * @param userId the Keycloak user id
   * @param username the user's name (its email)
   * @return the user's access token
   */
  static String loginAsInvitedUser(Stack stack, String userId, String username) {
    return TestTokens.password(stack.keycloakUrl(), username, acceptInvitation(stack, userId, username));
  }

  /**
   * Sets a password for an invited user, as the user would when accepting the invitation.
   *
   * @param stack the running stack
   * @param userId the Keycloak user id
   * @param username the user's name (its email)
   * @return the password
   */
  static String acceptInvitation(Stack stack, String userId, String username) {
    String service = serviceToken(stack);
    String password = UUID.randomUUID().toString();
    given().auth().oauth2(service).contentType(ContentType.JSON)
        .body(Map.of("type", "password", "value", password, "temporary", false))
        .put(stack.keycloakUrl() + "/admin/realms/infermint/users/{id}/reset-password", userId)
        .then().statusCode(204);
    given().auth().oauth2(service).contentType(ContentType.JSON)
        .body(Map.of("requiredActions", List.of(), "firstName", "Invited", "lastName", "User",
            "email", username, "emailVerified", true))
        .put(stack.keycloakUrl() + "/admin/realms/infermint/users/{id}", userId)
        .then().statusCode(204);
    return password;
  }

  /**
   * @param stack the running stack
   * @param email a user's e-mail
   * @return the Keycloak id of the user with exactly that e-mail
   */
  static String userIdByEmail(Stack stack, String email) {
    List<String> ids = given().auth().oauth2(serviceToken(stack)).queryParam("email", email)
        .queryParam("exact", true).get(stack.keycloakUrl() + "/admin/realms/infermint/users")
        .then().statusCode(200).extract().jsonPath().getList("id", String.class);
    if (ids.size() != 1) {
      throw new IllegalStateException("Expected one Keycloak user with e-mail " + email + ", found " + ids);
    }
    return ids.get(0);
  }

  /**
   * Lets the realm's console client redirect to the console of this stack, which listens on a free port (the realm
   * allows only 8090 by default).
   *
   * @param stack the running stack
   * @param consoleUrl the console's URL
   */
  static void allowConsoleRedirects(Stack stack, String consoleUrl) {
    String admin = serviceToken(stack);
    List<Map<String, Object>> clients = given().auth().oauth2(admin).queryParam("clientId", "infermint-web-admin")
        .get(stack.keycloakUrl() + "/admin/realms/infermint/clients")
        .then().statusCode(200).extract().jsonPath().getList("$");
    Map<String, Object> client = clients.get(0);
    @SuppressWarnings("unchecked")
    List<String> redirects = new java.util.ArrayList<>((List<String>) client.get("redirectUris"));
    String mine = consoleUrl + "/*";
    if (!redirects.contains(mine)) {
      redirects.add(mine);
      client.put("redirectUris", redirects);
      given().auth().oauth2(admin).contentType(ContentType.JSON).body(client)
          .put(stack.keycloakUrl() + "/admin/realms/infermint/clients/" + client.get("id"))
          .then().statusCode(204);
    }
  }

  private static String serviceToken(Stack stack) {
    String secret = System.getenv().getOrDefault("INFERMINT_SERVICES_CLIENT_SECRET",
        stack.secret("services-client-secret"));
    return TestTokens.service(stack.keycloakUrl(), secret);
  }
}
