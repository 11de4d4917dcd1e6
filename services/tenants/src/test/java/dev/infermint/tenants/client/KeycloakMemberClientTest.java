package dev.infermint.tenants.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;

import io.quarkus.test.junit.QuarkusTest;

import dev.infermint.problem.ProblemException;

/** How the member client answers when Keycloak cannot be reached: 503, never a 500. */
@QuarkusTest
class KeycloakMemberClientTest {

  @Test
  void keycloakDownIsUnavailable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (Keycloak down = KeycloakBuilder.builder().serverUrl("http://127.0.0.1:" + closedPort).realm("infermint")
        .clientId("infermint-services").clientSecret("irrelevant").grantType(OAuth2Constants.CLIENT_CREDENTIALS)
        .build()) {
      KeycloakMemberClient client = new KeycloakMemberClient(down, "infermint");
      ProblemException e = assertThrows(ProblemException.class, () -> client.findByEmail("down@example.com"));
      assertEquals(503, e.status());
      assertEquals("unavailable", e.problem().code());
      e = assertThrows(ProblemException.class, () -> client.createInvited("down@example.com"));
      assertEquals(503, e.status());
      e = assertThrows(ProblemException.class, () -> client.addMember("org", "user"));
      assertEquals(503, e.status());
      e = assertThrows(ProblemException.class, () -> client.changeRealmRoles("user", Set.of("tenant-admin"),
          Set.of()));
      assertEquals(503, e.status());
    }
  }
}
