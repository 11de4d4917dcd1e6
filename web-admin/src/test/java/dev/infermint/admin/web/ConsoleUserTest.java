package dev.infermint.admin.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/** Which tenant the console takes a user to, from the shapes of Keycloak's {@code organization} claim. */
class ConsoleUserTest {

  private static final String ID = "9b2f6c1e-0000-4000-8000-00000000000a";

  @Test
  void theIdWinsOverTheAliasInEveryShapeKeycloakWrites() {
    assertEquals(ID, ConsoleUser.organizationId(token("{\"organization\":{\"acme\":{\"id\":\"" + ID + "\"}}}")));
    // The organization scope's alias list merged with the id-carrying mapper's object, in either order.
    assertEquals(ID, ConsoleUser.organizationId(
        token("{\"organization\":[\"acme\",{\"acme\":{\"id\":\"" + ID + "\"}}]}")));
    assertEquals(ID, ConsoleUser.organizationId(
        token("{\"organization\":[{\"acme\":{\"id\":\"" + ID + "\"}},\"acme\"]}")));
  }

  @Test
  void withoutAnIdTheAliasIsAllThereIsAndWithoutAClaimNoTenant() {
    assertEquals("acme", ConsoleUser.organizationId(token("{\"organization\":[\"acme\"]}")));
    assertNull(ConsoleUser.organizationId(token("{\"sub\":\"someone\"}")));
    assertNull(ConsoleUser.organizationId("not-a-jwt"));
  }

  private static String token(String claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
  }
}
