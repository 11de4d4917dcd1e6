package dev.infermint.tenants.rest;

import static dev.infermint.tenants.rest.Fixtures.PROBLEM_JSON;
import static dev.infermint.tenants.rest.Fixtures.asService;
import static dev.infermint.tenants.rest.Fixtures.asTenant;
import static dev.infermint.tenants.rest.Fixtures.asUser;
import static dev.infermint.tenants.rest.Fixtures.createTenant;
import static dev.infermint.tenants.rest.Fixtures.uniqueEmail;
import static dev.infermint.tenants.rest.KeycloakUsers.REALM;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.UserRepresentation;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Members: Keycloak users in the tenant's organization with a tenant role, seen through their next token. */
@QuarkusTest
class MemberResourceTest {

  @Inject
  Keycloak keycloak;

  @Test
  void invitedUserJoinsWithRoleAndItsNextTokenCarriesThem() {
    String tenant = createTenant("invite");
    String other = createTenant("invite-other");
    String email = uniqueEmail("Ada.Invited");

    JsonPath member = asTenant(tenant, "tenant-admin").body(Map.of("email", email, "role", "tenant-admin"))
        .post("/api/v1/tenants/" + tenant + "/members")
        .then().statusCode(201)
        .body("email", equalTo(email.toLowerCase()), "role", equalTo("tenant-admin"), "status", equalTo("invited"))
        .extract().jsonPath();
    String userId = member.getString("id");

    UserRepresentation user = keycloak.realm(REALM).users().get(userId).toRepresentation();
    assertEquals(email.toLowerCase(), user.getUsername());
    assertEquals(email.toLowerCase(), user.getEmail());
    assertTrue(user.isEnabled());
    assertFalse(user.isEmailVerified());
    assertEquals(List.of("UPDATE_PASSWORD"), user.getRequiredActions());
    assertTrue(KeycloakUsers.realmRoles(keycloak, userId).contains("tenant-admin"));
    assertTrue(KeycloakUsers.isMember(keycloak, tenant, userId));

    KeycloakUsers.acceptInvitation(keycloak, userId);
    String token = KeycloakUsers.login(email.toLowerCase());
    assertTrue(KeycloakUsers.tokenOrganization(token).contains(tenant), KeycloakUsers.tokenOrganization(token));
    assertTrue(KeycloakUsers.tokenRoles(token).contains("tenant-admin"));

    asUser(token).get("/api/v1/tenants/" + tenant).then().statusCode(200).body("id", equalTo(tenant));
    asUser(token).get("/api/v1/tenants/" + other)
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
    asUser(token).get("/api/v1/tenants").then().statusCode(200).body("$", hasSize(1)).body("[0].id", equalTo(tenant));
    asUser(token).body(Map.of("name", "mine")).post("/api/v1/tenants/" + tenant + "/api-keys")
        .then().statusCode(201);
    asUser(token).get("/api/v1/tenants/" + tenant + "/members")
        .then().statusCode(200)
        .body("find { it.id == '" + userId + "' }.role", equalTo("tenant-admin"))
        .body("find { it.id == '" + userId + "' }.status", equalTo("active"));
  }

  @Test
  void roleChangeAndRemovalReachTheNextToken() {
    String tenant = createTenant("rerole");
    String email = uniqueEmail("grace");
    String userId = addMember(tenant, email, "tenant-admin");
    KeycloakUsers.acceptInvitation(keycloak, userId);
    String asAdmin = KeycloakUsers.login(email);
    asUser(asAdmin).body(Map.of("name", "admin key")).post("/api/v1/tenants/" + tenant + "/api-keys")
        .then().statusCode(201);

    asTenant(tenant, "tenant-admin").body(Map.of("role", "tenant-member"))
        .put("/api/v1/tenants/" + tenant + "/members/" + userId)
        .then().statusCode(200)
        .body("id", equalTo(userId), "email", equalTo(email), "role", equalTo("tenant-member"),
            "status", equalTo("active"));
    assertTrue(KeycloakUsers.realmRoles(keycloak, userId).contains("tenant-member"));
    assertFalse(KeycloakUsers.realmRoles(keycloak, userId).contains("tenant-admin"));

    String asMember = KeycloakUsers.login(email);
    assertTrue(KeycloakUsers.tokenRoles(asMember).contains("tenant-member"));
    assertFalse(KeycloakUsers.tokenRoles(asMember).contains("tenant-admin"));
    asUser(asMember).get("/api/v1/tenants/" + tenant).then().statusCode(200);
    asUser(asMember).body(Map.of("name", "member key")).post("/api/v1/tenants/" + tenant + "/api-keys")
        .then().statusCode(403).contentType(PROBLEM_JSON).body("code", equalTo("forbidden"));

    asTenant(tenant, "tenant-admin").delete("/api/v1/tenants/" + tenant + "/members/" + userId)
        .then().statusCode(204);
    assertFalse(KeycloakUsers.isMember(keycloak, tenant, userId));
    assertFalse(KeycloakUsers.realmRoles(keycloak, userId).contains("tenant-member"));
    assertNotNull(keycloak.realm(REALM).users().get(userId).toRepresentation(), "the user itself stays");
    asTenant(tenant, "tenant-member").get("/api/v1/tenants/" + tenant + "/members")
        .then().statusCode(200).body("id", not(hasItem(userId)));

    String removed = KeycloakUsers.login(email);
    String organization = KeycloakUsers.tokenOrganization(removed);
    assertFalse(organization != null && organization.contains(tenant), organization);
    asUser(removed).get("/api/v1/tenants/" + tenant)
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
    asUser(removed).get("/api/v1/tenants").then().statusCode(200).body("$", hasSize(0));
  }

  @Test
  void existingUserIsReusedNotInvitedAgain() {
    String tenant = createTenant("reuse");
    String email = uniqueEmail("existing");
    UserRepresentation rep = new UserRepresentation();
    rep.setUsername("existing-" + UUID.randomUUID().toString().substring(0, 8));
    rep.setEmail(email);
    rep.setEnabled(true);
    String existingId;
    try (Response created = keycloak.realm(REALM).users().create(rep)) {
      assertEquals(201, created.getStatus());
      String path = created.getLocation().getPath();
      existingId = path.substring(path.lastIndexOf('/') + 1);
    }

    asTenant(tenant, "tenant-admin").body(Map.of("email", email.toUpperCase(), "role", "tenant-member"))
        .post("/api/v1/tenants/" + tenant + "/members")
        .then().statusCode(201)
        .body("id", equalTo(existingId), "email", equalTo(email), "role", equalTo("tenant-member"),
            "status", equalTo("active"));
    assertEquals(1, keycloak.realm(REALM).users().searchByEmail(email, true).size());
    assertTrue(KeycloakUsers.isMember(keycloak, tenant, existingId));
    assertTrue(KeycloakUsers.realmRoles(keycloak, existingId).contains("tenant-member"));
  }

  @Test
  void oneTenantPerUserAndNoDuplicates() {
    String first = createTenant("one-a");
    String second = createTenant("one-b");
    String email = uniqueEmail("single");
    String userId = addMember(first, email, "tenant-member");

    asTenant(first, "tenant-admin").body(Map.of("email", email, "role", "tenant-admin"))
        .post("/api/v1/tenants/" + first + "/members")
        .then().statusCode(409).contentType(PROBLEM_JSON).body("code", equalTo("conflict"));
    asTenant(second, "tenant-admin").body(Map.of("email", email, "role", "tenant-member"))
        .post("/api/v1/tenants/" + second + "/members")
        .then().statusCode(409).contentType(PROBLEM_JSON).body("code", equalTo("conflict"));
    assertFalse(KeycloakUsers.isMember(keycloak, second, userId));
    assertTrue(KeycloakUsers.realmRoles(keycloak, userId).contains("tenant-member"));
    assertFalse(KeycloakUsers.realmRoles(keycloak, userId).contains("tenant-admin"), "the refused add changed "
        + "nothing");
  }

  @Test
  void badMemberRequestsNameTheField() {
    String tenant = createTenant("badmember");
    String path = "/api/v1/tenants/" + tenant + "/members";
    asTenant(tenant, "tenant-admin").body(Map.of("email", uniqueEmail("x"), "role", "owner")).post(path)
        .then().statusCode(422).contentType(PROBLEM_JSON)
        .body("code", equalTo("validation_failed"), "field", equalTo("role"));
    asTenant(tenant, "tenant-admin").body(Map.of("email", uniqueEmail("x"), "role", "platform-admin")).post(path)
        .then().statusCode(422).body("field", equalTo("role"));
    asTenant(tenant, "tenant-admin").body(Map.of("email", uniqueEmail("x"))).post(path)
        .then().statusCode(422).body("field", equalTo("role"));
    asTenant(tenant, "tenant-admin").body(Map.of("email", "not-an-address", "role", "tenant-member")).post(path)
        .then().statusCode(422).contentType(PROBLEM_JSON).body("field", equalTo("email"));
    asTenant(tenant, "tenant-admin").body(Map.of("role", "tenant-member")).post(path)
        .then().statusCode(422).body("field", equalTo("email"));
    asTenant(tenant, "tenant-admin").body("{\"email\": ").post(path)
        .then().statusCode(400).contentType(PROBLEM_JSON).body("code", equalTo("malformed_request"));

    String userId = addMember(tenant, uniqueEmail("rerole-bad"), "tenant-member");
    asTenant(tenant, "tenant-admin").body(Map.of("role", "superuser")).put(path + "/" + userId)
        .then().statusCode(422).contentType(PROBLEM_JSON).body("field", equalTo("role"));
    asTenant(tenant, "tenant-admin").get(path).then().statusCode(200).body("$", hasSize(1));
  }

  @Test
  void userOutsideTheTenantIsNotFound() {
    String tenant = createTenant("notmine");
    String other = createTenant("notmine-other");
    String outsider = addMember(other, uniqueEmail("outsider"), "tenant-member");
    for (String userId : new String[] {outsider, UUID.randomUUID().toString(), "no-such-user"}) {
      asTenant(tenant, "tenant-admin").body(Map.of("role", "tenant-admin"))
          .put("/api/v1/tenants/" + tenant + "/members/" + userId)
          .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
      asTenant(tenant, "tenant-admin").delete("/api/v1/tenants/" + tenant + "/members/" + userId)
          .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
    }
    assertTrue(KeycloakUsers.isMember(keycloak, other, outsider));
    assertFalse(KeycloakUsers.realmRoles(keycloak, outsider).contains("tenant-admin"));
  }

  @Test
  void anotherTenantsAdminGetsNotFoundEverywhere() {
    String tenant = createTenant("victim");
    String attacker = createTenant("attacker");
    String userId = addMember(tenant, uniqueEmail("victim"), "tenant-member");
    String members = "/api/v1/tenants/" + tenant + "/members";

    asTenant(attacker, "tenant-admin").get(members)
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
    asTenant(attacker, "tenant-admin").body(Map.of("email", uniqueEmail("mole"), "role", "tenant-admin"))
        .post(members)
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
    asTenant(attacker, "tenant-admin").body(Map.of("role", "tenant-admin")).put(members + "/" + userId)
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
    asTenant(attacker, "tenant-admin").delete(members + "/" + userId)
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
    asTenant(attacker, "tenant-admin").get("/api/v1/tenants/" + tenant + "/audit")
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));

    assertTrue(KeycloakUsers.isMember(keycloak, tenant, userId));
    assertFalse(KeycloakUsers.realmRoles(keycloak, userId).contains("tenant-admin"));
  }

  @Test
  void membersListButDoNotChangeMembers() {
    String tenant = createTenant("readonly");
    String userId = addMember(tenant, uniqueEmail("colleague"), "tenant-member");
    String members = "/api/v1/tenants/" + tenant + "/members";

    asTenant(tenant, "tenant-member").get(members)
        .then().statusCode(200).body("$", hasSize(1)).body("[0].id", equalTo(userId));
    asTenant(tenant, "tenant-member").body(Map.of("email", uniqueEmail("friend"), "role", "tenant-admin"))
        .post(members)
        .then().statusCode(403).contentType(PROBLEM_JSON).body("code", equalTo("forbidden"));
    asTenant(tenant, "tenant-member").body(Map.of("role", "tenant-admin")).put(members + "/" + userId)
        .then().statusCode(403).contentType(PROBLEM_JSON).body("code", equalTo("forbidden"));
    asTenant(tenant, "tenant-member").delete(members + "/" + userId)
        .then().statusCode(403).contentType(PROBLEM_JSON).body("code", equalTo("forbidden"));
    assertTrue(KeycloakUsers.isMember(keycloak, tenant, userId));
  }

  @Test
  void memberChangesAreAuditedWithActorAndRequestId() {
    String tenant = createTenant("member-audit");
    String admin = UUID.randomUUID().toString();
    String email = uniqueEmail("audited");
    String userId = asTenant(tenant, "tenant-admin", admin).header("X-Request-Id", "req-add")
        .body(Map.of("email", email, "role", "tenant-member"))
        .post("/api/v1/tenants/" + tenant + "/members").then().statusCode(201).extract().path("id");
    asTenant(tenant, "tenant-admin", admin).header("X-Request-Id", "req-role").body(Map.of("role", "tenant-admin"))
        .put("/api/v1/tenants/" + tenant + "/members/" + userId).then().statusCode(200);
    asTenant(tenant, "tenant-admin", admin).header("X-Request-Id", "req-remove")
        .delete("/api/v1/tenants/" + tenant + "/members/" + userId).then().statusCode(204);

    asTenant(tenant, "tenant-admin").get("/api/v1/tenants/" + tenant + "/audit?limit=3")
        .then().statusCode(200)
        .body("events.action", equalTo(List.of("member.removed", "member.role_changed", "member.added")))
        .body("events.requestId", equalTo(List.of("req-remove", "req-role", "req-add")))
        .body("events.actor", equalTo(List.of(admin, admin, admin)))
        .body("events.actorKind", equalTo(List.of("api_key", "api_key", "api_key")))
        .body("events.target", equalTo(List.of(userId, userId, userId)))
        .body("events[1].details.from", equalTo("tenant-member"))
        .body("events[1].details.to", equalTo("tenant-admin"))
        .body("events[2].details.email", equalTo(email));
  }

  private static String addMember(String tenant, String email, String role) {
    return asService().body(Map.of("email", email, "role", role))
        .post("/api/v1/tenants/" + tenant + "/members")
        .then().statusCode(201).extract().path("id");
  }
}
