package dev.infermint.billing.subscriptions;

import static dev.infermint.billing.subscriptions.StripeFlows.checkout;
import static dev.infermint.billing.subscriptions.StripeFlows.newTenant;
import static dev.infermint.billing.subscriptions.StripeFlows.stripe;
import static dev.infermint.billing.subscriptions.StripeFlows.subscribe;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import dev.infermint.auth.Caller;
import dev.infermint.billing.payments.CatalogIds;
import dev.infermint.billing.payments.PaymentCatalog;
import dev.infermint.billing.payments.PaymentCustomers;
import dev.infermint.testsupport.AsService;
import dev.infermint.testsupport.TestTokens;
import dev.infermint.testsupport.stripe.RecordedRequest;

/**
 * {@code POST /api/v1/tenants/{id}/checkout} and {@code .../billing-portal} against the running billing and the
 * Stripe stand-in through the real stripe-java client. Tenant users are the request's {@link Caller} as the
 * resolver builds it from a verified token, installed for the one request (as in {@code RoleMatrixTest}); API keys
 * are asserted beside a real service token; the platform admin is Keycloak's {@code admin}.
 */
@QuarkusTest
class CheckoutResourceTest {

  private static final String PROBLEM_JSON = "application/problem+json";

  @Inject
  PaymentCatalog catalog;
  @Inject
  PaymentCustomers customers;

  @Test
  void checkoutOpensAStripeSessionForThePlansPricesAndTheTenantsCustomer() {
    String tenant = newTenant("free");
    String url = apiKey(tenant, "tenant-admin").body("{\"plan\":\"pro\"}").post(path(tenant, "checkout"))
        .then().log().ifValidationFails().statusCode(200).extract().path("url");
    assertEquals(stripe().baseUrl() + "/checkout/" + StripeFlows.sessionId(url), url);

    RecordedRequest created = last("/v1/checkout/sessions");
    CatalogIds.PlanPrices pro = catalog.ids().orElseThrow().plans().get("pro");
    assertEquals("subscription", created.param("mode"));
    assertEquals(customers.stored(tenant).orElseThrow(), created.param("customer"));
    assertEquals(pro.flatPriceId(), created.param("line_items[0][price]"));
    assertEquals(pro.overagePriceId(), created.param("line_items[1][price]"));
    assertEquals(tenant, created.param("subscription_data[metadata][tenant_id]"));
  }

  @Test
  void aRetriedCheckoutWithTheSameIdempotencyKeyOpensTheSameSession() {
    String tenant = newTenant("free");
    String first = admin().header("Idempotency-Key", "retry-1").body("{\"plan\":\"pro\"}")
        .post(path(tenant, "checkout")).then().statusCode(200).extract().path("url");
    String retried = admin().header("Idempotency-Key", "retry-1").body("{\"plan\":\"pro\"}")
        .post(path(tenant, "checkout")).then().statusCode(200).extract().path("url");
    assertEquals(first, retried);
    String other = admin().header("Idempotency-Key", "retry-1").body("{\"plan\":\"enterprise\"}")
        .post(path(tenant, "checkout")).then().statusCode(200).extract().path("url");
    assertNotEquals(first, other, "the key is per plan");
    String withoutKey = checkout(tenant, "pro").then().statusCode(200).extract().path("url");
    String again = checkout(tenant, "pro").then().statusCode(200).extract().path("url");
    assertNotEquals(withoutKey, again, "without a key, every call is its own checkout");
  }

  @Test
  void plansThatCannotBeBoughtAre422NamingThePlan() {
    String tenant = newTenant("free");
    for (String body : new String[] {"{\"plan\":\"gold\"}", "{\"plan\":\"free\"}", "{}"}) {
      admin().body(body).post(path(tenant, "checkout")).then().log().ifValidationFails().statusCode(422)
          .contentType(PROBLEM_JSON).body("code", equalTo("validation_failed")).body("field", equalTo("plan"))
          .body("detail", containsString("[pro, enterprise]"));
    }
  }

  @Test
  void aSecondCheckoutOfTheSubscribedPlanIs409() {
    String tenant = newTenant("free");
    subscribe(tenant, "pro");
    checkout(tenant, "pro").then().statusCode(409).contentType(PROBLEM_JSON)
        .body("code", equalTo("already_subscribed"));
    checkout(tenant, "enterprise").then().statusCode(200);
  }

  @Test
  void withoutCatalogIdsCheckoutIs503() {
    QuarkusMock.installMockForType(new PaymentCatalog() {
      @Override
      public Optional<CatalogIds> ids() {
        return Optional.empty();
      }
    }, PaymentCatalog.class);
    checkout(newTenant("free"), "pro").then().statusCode(503).contentType(PROBLEM_JSON)
        .body("code", equalTo("unavailable"));
  }

  @Test
  void thePortalAnswersStripesUrlForTheTenantsCustomer() {
    String tenant = newTenant("free");
    String url = apiKey(tenant, "tenant-admin").post(path(tenant, "billing-portal")).then().statusCode(200)
        .extract().path("url");
    assertThat(url, startsWith(stripe().baseUrl() + "/portal/bps_"));
    assertEquals(customers.stored(tenant).orElseThrow(), last("/v1/billing_portal/sessions").param("customer"));
  }

  @Test
  void anotherTenantsAdminGets404OnBoth() {
    String tenant = newTenant("free");
    String other = newTenant("free");
    for (String endpoint : new String[] {"checkout", "billing-portal"}) {
      apiKey(other, "tenant-admin").body("{\"plan\":\"pro\"}").post(path(tenant, endpoint)).then()
          .statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
    }
  }

  @Test
  void anInferenceKeyGets403AndNoCredentials401() {
    String tenant = newTenant("free");
    for (String endpoint : new String[] {"checkout", "billing-portal"}) {
      apiKey(tenant, "inference").body("{\"plan\":\"pro\"}").post(path(tenant, endpoint)).then()
          .statusCode(403).contentType(PROBLEM_JSON).body("code", equalTo("forbidden"));
      given().contentType(ContentType.JSON).body("{\"plan\":\"pro\"}").post(path(tenant, endpoint)).then()
          .statusCode(401).contentType(PROBLEM_JSON).body("code", equalTo("unauthenticated"));
    }
  }

  @Test
  void aTenantMemberGets403OnCheckout() {
    String tenant = newTenant("free");
    asUser(tenant, "tenant-member").body("{\"plan\":\"pro\"}").post(path(tenant, "checkout")).then()
        .statusCode(403).contentType(PROBLEM_JSON).body("code", equalTo("forbidden"));
  }

  @Test
  void aTenantMemberGets403OnThePortal() {
    String tenant = newTenant("free");
    asUser(tenant, "tenant-member").post(path(tenant, "billing-portal")).then().statusCode(403)
        .body("code", equalTo("forbidden"));
  }

  @Test
  void aTenantAdminOpensACheckout() {
    String tenant = newTenant("free");
    asUser(tenant, "tenant-admin").body("{\"plan\":\"enterprise\"}").post(path(tenant, "checkout")).then()
        .statusCode(200).body("url", startsWith(stripe().baseUrl() + "/checkout/"));
  }

  @Test
  void anUnknownTenantIs404ForAPlatformAdmin() {
    checkout("t-nobody", "pro").then().statusCode(404).contentType(PROBLEM_JSON).body("code", equalTo("not_found"));
  }

  private static RecordedRequest last(String postTemplate) {
    List<RecordedRequest> calls = stripe().requests("POST", postTemplate);
    return calls.get(calls.size() - 1);
  }

  private static String path(String tenant, String endpoint) {
    return "/api/v1/tenants/" + tenant + "/" + endpoint;
  }

  private static RequestSpecification admin() {
    return given().auth().oauth2(TestTokens.platformAdmin()).contentType(ContentType.JSON);
  }

  private static RequestSpecification apiKey(String tenantId, String role) {
    return AsService.apiKey(tenantId, "key-" + role, role).contentType(ContentType.JSON);
  }

  /** A Keycloak user of the tenant with one realm role; the mock lasts until the end of this test. */
  private static RequestSpecification asUser(String tenantId, String role) {
    QuarkusMock.installMockForType(new Caller(Caller.Kind.USER, "user-" + role, tenantId, Set.of(role)),
        Caller.class);
    return given().contentType(ContentType.JSON);
  }
}
