package dev.infermint.tenants.rest;

import static dev.infermint.tenants.rest.Fixtures.PROBLEM_JSON;
import static dev.infermint.tenants.rest.Fixtures.asService;
import static dev.infermint.tenants.rest.Fixtures.asTenant;
import static dev.infermint.tenants.rest.Fixtures.createTenant;
import static dev.infermint.tenants.rest.Fixtures.uniqueSlug;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.OrganizationRepresentation;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.infermint.tenants.client.BillingStub;
import dev.infermint.testsupport.EmbeddedPostgresResource;
import dev.infermint.testsupport.KeycloakResource;
import dev.infermint.testsupport.TestTokens;

/**
 * Tenants through the management API, against real PostgreSQL and a real Keycloak, with billing's plan catalog
 * stood in for by {@link BillingStub}. Registers the test resources for the whole module, so that every test class
 * shares one Quarkus boot.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = KeycloakResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = BillingStub.class, restrictToAnnotatedClass = false)
class TenantResourceTest {

  @Inject
  Keycloak keycloak;

  @Inject
  DataSource dataSource;

  @Test
  void platformAdminCreatesTenantBackedByKeycloakOrganization() {
    String token = TestTokens.platformAdmin();
    String slug = uniqueSlug("acme");
    String id = given().auth().oauth2(token).contentType(ContentType.JSON)
        .body(Map.of("name", "Acme Corp " + slug, "slug", slug, "plan", "pro"))
        .post("/api/v1/tenants")
        .then().statusCode(201)
        .header("Location", containsString("/api/v1/tenants/"))
        .body("slug", equalTo(slug), "name", equalTo("Acme Corp " + slug), "plan", equalTo("pro"),
            "status", equalTo("active"))
        .extract().path("id");

    OrganizationRepresentation org = keycloak.realm("infermint").organizations().get(id).toRepresentation();
    assertEquals(id, org.getId());
    assertEquals(slug, org.getAlias());
    assertEquals("Acme Corp " + slug, org.getName());

    given().auth().oauth2(token).get("/api/v1/tenants/" + id)
        .then().statusCode(200).body("id", equalTo(id), "slug", equalTo(slug), "plan", equalTo("pro"));
    given().auth().oauth2(token).get("/api/v1/tenants")
        .then().statusCode(200).body("id", hasItem(id));
  }

  @Test
  void planDefaultsToFree() {
    String slug = uniqueSlug("freebie");
    asService().body(Map.of("name", "Freebie " + slug, "slug", slug)).post("/api/v1/tenants")
        .then().statusCode(201).body("plan", equalTo("free"));
  }

  @Test
  void badSlugIsRejectedNamingTheField() {
    for (String slug : new String[] {"Upper-Case", "ab", "1starts-with-digit", "ends-with-dash-", "has_underscore",
        "x".repeat(41)}) {
      asService().body(Map.of("name", "Bad", "slug", slug)).post("/api/v1/tenants")
          .then().statusCode(422).contentType(PROBLEM_JSON)
          .body("code", equalTo("validation_failed"), "field", equalTo("slug"));
    }
  }

  @Test
  void missingNameAndUnknownPlanAreRejectedNamingTheField() {
    asService().body(Map.of("slug", uniqueSlug("noname"))).post("/api/v1/tenants")
        .then().statusCode(422).contentType(PROBLEM_JSON).body("field", equalTo("name"));
    asService().body(Map.of("name", "Gold", "slug", uniqueSlug("gold"), "plan", "gold")).post("/api/v1/tenants")
        .then().statusCode(422).contentType(PROBLEM_JSON).body("field", equalTo("plan"))
        .body("detail", containsString("free, pro, enterprise"));
  }

  @Test
  void malformedJsonIsBadRequest() {
    asService().body("{\"name\": \"Broken\", \"slug\": ").post("/api/v1/tenants")
        .then().statusCode(400).contentType(PROBLEM_JSON).body("code", equalTo("malformed_request"));
  }

  @Test
  void duplicateSlugIsConflict() {
    String slug = uniqueSlug("twice");
    asService().body(Map.of("name", "Twice " + slug, "slug", slug)).post("/api/v1/tenants").then().statusCode(201);
    asService().body(Map.of("name", "Twice again " + slug, "slug", slug)).post("/api/v1/tenants")
        .then().statusCode(409).contentType(PROBLEM_JSON).body("code", equalTo("conflict"));
  }

  @Test
  void organizationAlreadyInKeycloakIsConflict() {
    String slug = uniqueSlug("kc-only");
    OrganizationRepresentation org = new OrganizationRepresentation();
    org.setName("Made in Keycloak " + slug);
    org.setAlias(slug);
    org.setEnabled(true);
    try (Response created = keycloak.realm("infermint").organizations().create(org)) {
      assertEquals(201, created.getStatus());
    }
    asService().body(Map.of("name", "Other name " + slug, "slug", slug)).post("/api/v1/tenants")
        .then().statusCode(409).contentType(PROBLEM_JSON).body("code", equalTo("conflict"));
    asService().get("/api/v1/tenants").then().statusCode(200).body("slug", not(hasItem(slug)));
  }

  @Test
  void organizationIsDeletedWhenTheRowCannotBeStored() throws SQLException {
    String slug = uniqueSlug("refused");
    // A real database failure after Keycloak said yes: a trigger refuses this one slug.
    execute("create or replace function tenants.refuse_test_slug() returns trigger language plpgsql as "
        + "$$ begin raise exception 'refused by test'; end $$");
    execute("create trigger refuse_test_slug before insert on tenants.tenant for each row when (new.slug = '"
        + slug + "') execute function tenants.refuse_test_slug()");
    try {
      asService().body(Map.of("name", "Refused " + slug, "slug", slug)).post("/api/v1/tenants")
          .then().statusCode(500).contentType(PROBLEM_JSON).body("code", equalTo("internal_error"));
    } finally {
      execute("drop trigger refuse_test_slug on tenants.tenant");
    }
    assertTrue(keycloak.realm("infermint").organizations().getAll().stream()
        .noneMatch(o -> slug.equals(o.getAlias())), "the organization must be deleted again");
    // With the trigger gone the same slug works: nothing was left behind in Keycloak or the database.
    asService().body(Map.of("name", "Refused " + slug, "slug", slug)).post("/api/v1/tenants")
        .then().statusCode(201);
  }

  @Test
  void otherTenantsAnswerNotFound() {
    String mine = createTenant("mine");
    String theirs = createTenant("theirs");

    asTenant(mine, "tenant-member").get("/api/v1/tenants/" + mine)
        .then().statusCode(200).body("id", equalTo(mine));
    asTenant(mine, "tenant-admin").get("/api/v1/tenants/" + theirs)
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
    asTenant(mine, "tenant-member").get("/api/v1/tenants")
        .then().statusCode(200).body("$", hasSize(1)).body("[0].id", equalTo(mine));
  }

  @Test
  void unknownTenantIsNotFound() {
    asService().get("/api/v1/tenants/does-not-exist")
        .then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
  }

  @Test
  void onlyPlatformAdminsCreateTenants() {
    String mine = createTenant("notadmin");
    asTenant(mine, "tenant-admin").body(Map.of("name", "Sneaky", "slug", uniqueSlug("sneaky")))
        .post("/api/v1/tenants")
        .then().statusCode(403).contentType(PROBLEM_JSON).body("code", equalTo("forbidden"));
  }

  @Test
  void noCredentialsIsUnauthenticated() {
    given().get("/api/v1/tenants")
        .then().statusCode(401).contentType(PROBLEM_JSON).body("code", equalTo("unauthenticated"));
    given().contentType(ContentType.JSON).body(Map.of("name", "Anon", "slug", uniqueSlug("anon")))
        .post("/api/v1/tenants")
        .then().statusCode(401).contentType(PROBLEM_JSON).body("code", equalTo("unauthenticated"));
  }

  @Test
  void invalidBearerTokenIsUnauthenticated() {
    given().auth().oauth2("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.c2lnbmF0dXJl").get("/api/v1/tenants")
        .then().statusCode(401).contentType(PROBLEM_JSON).body("code", equalTo("unauthenticated"));
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
