package dev.infermint.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringReader;
import java.util.Set;

import jakarta.json.Json;

import org.junit.jupiter.api.Test;

import dev.infermint.problem.ProblemException;

class CallerTest {

  private static final Caller ADMIN_OF_A = new Caller(Caller.Kind.USER, "u1", "tenant-a", Set.of(Roles.TENANT_ADMIN));
  private static final Caller MEMBER_OF_A = new Caller(Caller.Kind.USER, "u2", "tenant-a",
      Set.of(Roles.TENANT_MEMBER));
  private static final Caller PLATFORM = new Caller(Caller.Kind.USER, "root", null, Set.of(Roles.PLATFORM_ADMIN));

  @Test
  void anotherTenantsIdAnswers404NotFound() {
    ProblemException e = assertThrows(ProblemException.class, () -> ADMIN_OF_A.requireTenantRead("tenant-b"));
    assertEquals(404, e.status());
    assertEquals("not_found", e.problem().code());
  }

  @Test
  void membersReadButDoNotAdminister() {
    assertDoesNotThrow(() -> MEMBER_OF_A.requireTenantRead("tenant-a"));
    assertEquals(403, assertThrows(ProblemException.class, () -> MEMBER_OF_A.requireTenantAdmin("tenant-a"))
        .status());
    assertDoesNotThrow(() -> ADMIN_OF_A.requireTenantAdmin("tenant-a"));
  }

  @Test
  void platformAdminsReachEveryTenantAndAnonymousCallersNone() {
    assertDoesNotThrow(() -> PLATFORM.requireTenantAdmin("tenant-b"));
    assertEquals(401, assertThrows(ProblemException.class, () -> Caller.ANONYMOUS.requireTenantRead("tenant-a"))
        .status());
    assertEquals(403, assertThrows(ProblemException.class, ADMIN_OF_A::requirePlatformAdmin).status());
  }

  @Test
  void theTenantIsTheOrganizationIdKeycloakPutsInTheToken() {
    // What Keycloak 26 issues with the default organization scope plus the id mapper of our realm.
    var merged = Json.createReader(new StringReader("[\"acme\",{\"acme\":{\"id\":\"26451f4d\"}}]")).readArray();
    assertEquals("26451f4d", CallerResolver.organizationId(merged));
    var object = Json.createReader(new StringReader("{\"acme\":{\"id\":\"26451f4d\"}}")).readObject();
    assertEquals("26451f4d", CallerResolver.organizationId(object));
    var aliases = Json.createReader(new StringReader("[\"acme\"]")).readArray();
    assertEquals("acme", CallerResolver.organizationId(aliases));
    assertNull(CallerResolver.organizationId(null));
  }
}
