package dev.infermint.tenants.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;

import io.quarkus.test.junit.QuarkusTest;

import dev.infermint.problem.ProblemException;

/** How the organization client answers when Keycloak cannot be reached. */
@QuarkusTest
class KeycloakOrganizationClientTest {

  @Test
  void keycloakDownIsUnavailable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (Keycloak down = KeycloakBuilder.builder().serverUrl("http://127.0.0.1:" + closedPort).realm("infermint")
        .clientId("infermint-services").clientSecret("irrelevant").grantType(OAuth2Constants.CLIENT_CREDENTIALS)
        .build()) {
      KeycloakOrganizationClient client = new KeycloakOrganizationClient(down, "infermint");
      ProblemException e = assertThrows(ProblemException.class, () -> client.create("Down Inc", "down-inc"));
      assertEquals(503, e.status());
      assertEquals("unavailable", e.problem().code());
      e = assertThrows(ProblemException.class, () -> client.find("some-id"));
      assertEquals(503, e.status());
    }
  }
}
