package dev.infermint.testsupport.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.stripe.Stripe;
import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.billing.Meter;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerListParams;
import com.stripe.param.billing.MeterEventCreateParams;

/** Idempotency keys, injected faults, authentication and what the server records. */
class StripeServerResilienceTest {

  private static StripeServer stripe;
  private static StripeClient client;

  @BeforeAll
  static void start() {
    stripe = new StripeServer().start();
    client = stripe.client();
  }

  @AfterAll
  static void stop() {
    stripe.close();
  }

  @BeforeEach
  void clean() {
    stripe.reset();
  }

  private static CustomerCreateParams customer(String email) {
    return CustomerCreateParams.builder().setEmail(email).putMetadata("tenant_id", "t1").build();
  }

  private static RequestOptions key(String key) {
    return RequestOptions.builder().setIdempotencyKey(key).build();
  }

  @Test
  void theSameKeyTwiceReplaysTheFirstAnswerAndCreatesOneCustomer() throws StripeException {
    Customer first = client.v1().customers().create(customer("once@example.test"), key("k-1"));
    Customer again = client.v1().customers().create(customer("once@example.test"), key("k-1"));

    assertEquals(first.getId(), again.getId());
    assertEquals("true", again.getLastResponse().headers().firstValue("Idempotent-Replayed").orElse(null));
    assertEquals(1, client.v1().customers().list(CustomerListParams.builder().setEmail("once@example.test")
        .build()).getData().size());
  }

  @Test
  void theSameKeyWithOtherParametersIsAnIdempotencyError() throws StripeException {
    client.v1().customers().create(customer("first@example.test"), key("k-2"));

    IdempotencyException e = assertThrows(IdempotencyException.class,
        () -> client.v1().customers().create(customer("second@example.test"), key("k-2")));

    assertEquals(400, e.getStatusCode());
    assertTrue(client.v1().customers().list(CustomerListParams.builder().setEmail("second@example.test").build())
        .getData().isEmpty());
  }

  @Test
  void aReplayedMeterEventIsNotCountedTwice() throws StripeException {
    Meter meter = StripeFixtures.meter(client, "tokens");
    Customer c = client.v1().customers().create(customer("m@example.test"));
    MeterEventCreateParams event = MeterEventCreateParams.builder().setEventName("tokens").setIdentifier("r-1")
        .putPayload("stripe_customer_id", c.getId()).putPayload("value", "5").build();

    client.v1().billing().meterEvents().create(event, key("mk-1"));
    client.v1().billing().meterEvents().create(event, key("mk-1"));

    assertEquals(new MeterTotals(new BigDecimal("5"), 1), stripe.meterTotals(meter.getId(), c.getId()));
  }

  @Test
  void anInjected500IsAnApiExceptionAndIsNotStoredUnderTheKey() throws StripeException {
    stripe.failPath("/v1/customers", StripeFault.apiError());

    ApiException e = assertThrows(ApiException.class,
        () -> client.v1().customers().create(customer("f@example.test"), key("k-3")));
    stripe.clearFaults();
    Customer afterwards = client.v1().customers().create(customer("f@example.test"), key("k-3"));

    assertEquals(500, e.getStatusCode());
    assertEquals("f@example.test", afterwards.getEmail());
    assertEquals(2, stripe.callCount("POST", "/v1/customers"));
  }

  @Test
  void stripeJavaRetriesPastTheNextFailures() throws StripeException {
    StripeClient retrying = StripeClient.builder().setApiKey(stripe.apiKey()).setApiBase(stripe.baseUrl())
        .setMaxNetworkRetries(2).build();
    stripe.failNext(2, "/v1/customers", StripeFault.status(503));

    Customer created = retrying.v1().customers().create(customer("r@example.test"));

    assertEquals("r@example.test", created.getEmail());
    assertEquals(3, stripe.callCount("POST", "/v1/customers"));
    String key = stripe.requests().get(0).header("Idempotency-Key");
    assertTrue(stripe.requests().stream().allMatch(r -> key.equals(r.header("Idempotency-Key"))),
        "stripe-java retries under one idempotency key");
  }

  @Test
  void rateLimitsAndDroppedConnectionsReachTheClientAsStripeJavaNamesThem() {
    stripe.failNext(1, StripeFault.rateLimit());
    RateLimitException limited = assertThrows(RateLimitException.class,
        () -> client.v1().customers().retrieve("cus_x"));
    stripe.failNext(1, StripeFault.dropConnection());
    assertThrows(ApiConnectionException.class, () -> client.v1().customers().retrieve("cus_x"));

    assertEquals("rate_limit", limited.getCode());
    assertEquals(2, stripe.callCount("GET", "/v1/customers/{id}"));
  }

  @Test
  void anAnswerLostAfterTheCallRanIsRecoveredByARetryUnderTheSameKey() throws StripeException {
    stripe.failNext(1, "/v1/customers", StripeFault.dropAfterRunning());

    assertThrows(ApiConnectionException.class,
        () -> client.v1().customers().create(customer("lost@example.test"), key("lost-1")));
    Customer created = client.v1().customers().create(customer("lost@example.test"), key("lost-1"));

    assertEquals(2, stripe.callCount("POST", "/v1/customers"));
    assertEquals(List.of(created.getId()), client.v1().customers().list(CustomerListParams.builder()
        .setEmail("lost@example.test").build()).getData().stream().map(Customer::getId).toList());
    assertEquals("true", created.getLastResponse().headers().firstValue("Idempotent-Replayed").orElse(null));
  }

  @Test
  void aWrongKeyIsRefused() {
    StripeClient wrong = StripeClient.builder().setApiKey("sk_test_wrong").setApiBase(stripe.baseUrl())
        .setMaxNetworkRetries(0).build();

    AuthenticationException e = assertThrows(AuthenticationException.class,
        () -> wrong.v1().customers().create(customer("x@example.test")));

    assertEquals(401, e.getStatusCode());
    assertTrue(e.getStripeError().getMessage().startsWith("Invalid API Key provided"));
  }

  @Test
  void requestsAreRecordedWithParametersAndTheStripeVersion() throws StripeException {
    client.v1().customers().create(customer("rec@example.test"));

    RecordedRequest sent = stripe.lastRequest();

    assertEquals("POST", sent.method());
    assertEquals("/v1/customers", sent.pathTemplate());
    assertEquals("t1", sent.param("metadata[tenant_id]"));
    assertEquals("Bearer " + stripe.apiKey(), sent.header("Authorization"));
    assertEquals(Stripe.API_VERSION, stripe.lastStripeVersion());
  }

  @Test
  void theCheckoutUrlLeadsToAPage() throws Exception {
    HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(stripe.baseUrl() + "/checkout/cs_test_x")).build(), HttpResponse.BodyHandlers.ofString());

    assertEquals(200, page.statusCode());
  }
}
