package dev.infermint.tenants.service;

import static dev.infermint.tenants.rest.Fixtures.PROBLEM_JSON;
import static dev.infermint.tenants.rest.Fixtures.asService;
import static dev.infermint.tenants.rest.Fixtures.uniqueSlug;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import dev.infermint.tenants.client.BillingStub;

/**
 * A requested plan is checked against billing's plan catalog, which {@link BillingStub} stands in for ({@code %test}
 * keeps a copy for 1 s). Each test starts with the stub's catalog of free, pro and enterprise and no copy held.
 */
@QuarkusTest
class PlanCatalogTest {

  private static final Duration PATIENCE = Duration.ofSeconds(15);

  @Inject
  PlanCatalog catalog;

  @Inject
  DataSource dataSource;

  @Inject
  Keycloak keycloak;

  @BeforeEach
  @AfterEach
  void startFromBillingsCatalog() {
    BillingStub.restore();
    catalog.forget();
  }

  @Test
  void aPlanInTheCatalogIsStored() {
    String slug = uniqueSlug("catalog-pro");
    String id = create(slug, "pro").then().statusCode(201).body("plan", equalTo("pro")).extract().path("id");
    asService().get("/internal/tenants/" + id).then().statusCode(200).body("plan", equalTo("pro"));
    assertTrue(BillingStub.catalogRequests() > 0, "the plan must have been checked against billing's catalog");
  }

  @Test
  void aPlanNotInTheCatalogIsRejectedListingTheCatalog() throws SQLException {
    String slug = uniqueSlug("catalog-gold");
    create(slug, "gold").then().statusCode(422).contentType(PROBLEM_JSON)
        .body("code", equalTo("validation_failed"), "field", equalTo("plan"))
        .body("detail", containsString("free, pro, enterprise"));
    assertEquals(0, rowsWithSlug(slug));
    // The list is billing's, not a copy kept here.
    catalog.forget();
    BillingStub.answerPlans("starter", "scale");
    create(slug, "pro").then().statusCode(422).body("field", equalTo("plan"))
        .body("detail", containsString("starter, scale"));
  }

  @Test
  void withoutTheCatalogARequestedPlanIs503AndNothingIsWritten() throws SQLException {
    BillingStub.answerServerError();
    String broken = uniqueSlug("catalog-500");
    create(broken, "pro").then().statusCode(503).contentType(PROBLEM_JSON)
        .body("code", equalTo("unavailable"), "detail", containsString("plan could not be checked"));

    BillingStub.answerConnectionReset();
    String gone = uniqueSlug("catalog-reset");
    create(gone, "pro").then().statusCode(503).contentType(PROBLEM_JSON)
        .body("code", equalTo("unavailable"), "detail", containsString("plan could not be checked"));

    for (String slug : new String[] {broken, gone}) {
      assertEquals(0, rowsWithSlug(slug), slug);
      assertTrue(keycloak.realm("infermint").organizations().search(slug).stream()
          .noneMatch(o -> slug.equals(o.getAlias())), "no organization may be created for " + slug);
    }
    // The default plan is not checked against the catalog: a tenant without a plan is still created.
    asService().body(Map.of("name", "Default " + broken, "slug", broken)).post("/api/v1/tenants")
        .then().statusCode(201).body("plan", equalTo("free"));
  }

  @Test
  void theCopyHeldIsUsedWhileBillingFails() {
    String slug = uniqueSlug("catalog-stale");
    create(slug, "gold").then().statusCode(422);
    BillingStub.answerServerError();
    BillingStub.forgetRequests();
    // Once the copy is due, billing is asked (and fails); every answer meanwhile comes from the copy, never a 503.
    await("billing asked again after the TTL").atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
      Response answer = create(slug, "gold");
      if (answer.statusCode() != 422 || !answer.body().asString().contains("free, pro, enterprise")) {
        throw new AssertionError("expected the copy's 422, got " + answer.statusCode() + " " + answer.asString());
      }
      return BillingStub.catalogRequests() > 0;
    });
    create(slug, "enterprise").then().statusCode(201).body("plan", equalTo("enterprise"));
  }

  @Test
  void aPlanAddedToTheCatalogIsAcceptedOnceTheCopyIsDue() {
    String slug = uniqueSlug("catalog-new");
    create(slug, "gold").then().statusCode(422);
    BillingStub.answerPlans("free", "pro", "gold", "enterprise");
    // A 422 writes nothing, so the same slug is tried until the copy held is due and billing is read again.
    await("gold accepted").atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
      Response answer = create(slug, "gold");
      if (answer.statusCode() != 201 && answer.statusCode() != 422) {
        throw new AssertionError("unexpected " + answer.statusCode() + " " + answer.asString());
      }
      return answer.statusCode() == 201 && "gold".equals(answer.path("plan"));
    });
    create(uniqueSlug("catalog-new"), "gold").then().statusCode(201).body("plan", equalTo("gold"));
  }

  private static Response create(String slug, String plan) {
    return asService().body(Map.of("name", "Catalog " + slug, "slug", slug, "plan", plan)).post("/api/v1/tenants");
  }

  private int rowsWithSlug(String slug) throws SQLException {
    try (Connection c = dataSource.getConnection();
         PreparedStatement s = c.prepareStatement("select count(*) from tenants.tenant where slug = ?")) {
      s.setString(1, slug);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }
}
