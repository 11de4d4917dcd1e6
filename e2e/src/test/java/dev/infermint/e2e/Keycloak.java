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
    String secret = System.getenv().getOrDefault("INFERMINT_SERVICES_CLIENT_SECRET",
        stack.secret("services-client-secret"));
    String service = TestTokens.service(stack.keycloakUrl(), secret);
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
    return TestTokens.password(stack.keycloakUrl(), username, password);
  }
}
