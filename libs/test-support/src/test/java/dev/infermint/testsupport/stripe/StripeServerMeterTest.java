package dev.infermint.testsupport.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.billing.Meter;
import com.stripe.model.billing.MeterEvent;
import com.stripe.model.billing.MeterEventSummary;
import com.stripe.param.billing.MeterEventCreateParams;
import com.stripe.param.billing.MeterEventSummaryListParams;
import com.stripe.param.billing.MeterListParams;

/** Billing meters, meter events (with Stripe's rules) and summaries through the real stripe-java client. */
class StripeServerMeterTest {

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

  private static MeterEvent send(String eventName, String customer, String identifier, long timestamp, String value)
      throws StripeException {
    return client.v1().billing().meterEvents().create(MeterEventCreateParams.builder().setEventName(eventName)
        .setIdentifier(identifier).setTimestamp(timestamp).putPayload("stripe_customer_id", customer)
        .putPayload("value", value).build());
  }

  @Test
  void meterIsCreatedListedAndRetrieved() throws StripeException {
    String eventName = StripeFixtures.unique("tokens");
    Meter meter = StripeFixtures.meter(client, eventName);

    assertTrue(meter.getId().startsWith("mtr_"));
    assertEquals("sum", meter.getDefaultAggregation().getFormula());
    assertEquals("stripe_customer_id", meter.getCustomerMapping().getEventPayloadKey());
    assertEquals("by_id", meter.getCustomerMapping().getType());
    assertEquals("value", meter.getValueSettings().getEventPayloadKey());
    assertEquals(eventName, client.v1().billing().meters().retrieve(meter.getId()).getEventName());
    List<Meter> active = client.v1().billing().meters().list(MeterListParams.builder()
        .setStatus(MeterListParams.Status.ACTIVE).build()).getData();
    assertTrue(active.stream().anyMatch(m -> m.getId().equals(meter.getId())));
  }

  @Test
  void aDuplicateIdentifierIsRejectedAndNeverCountedTwice() throws StripeException {
    String eventName = StripeFixtures.unique("tokens");
    Meter meter = StripeFixtures.meter(client, eventName);
    Customer customer = StripeFixtures.customer(client, StripeFixtures.unique("t"));
    long now = System.currentTimeMillis() / 1000;

    MeterEvent first = send(eventName, customer.getId(), "req-1", now - 120, "3");
    send(eventName, customer.getId(), "req-2", now - 60, "4");
    InvalidRequestException duplicate = assertThrows(InvalidRequestException.class,
        () -> send(eventName, customer.getId(), "req-1", now - 120, "3"));

    assertEquals("billing.meter_event", first.getObject());
    assertEquals("req-1", first.getIdentifier());
    assertEquals(400, duplicate.getStatusCode());
    assertEquals("An event already exists with identifier req-1.", duplicate.getStripeError().getMessage());
    assertEquals(new MeterTotals(new BigDecimal("7"), 2), stripe.meterTotals(meter.getId(), customer.getId()));
  }

  @Test
  void summariesAggregateTheCustomersEventsPerWindow() throws StripeException {
    String eventName = StripeFixtures.unique("tokens");
    Meter meter = StripeFixtures.meter(client, eventName);
    Customer customer = StripeFixtures.customer(client, StripeFixtures.unique("t"));
    Customer other = StripeFixtures.customer(client, StripeFixtures.unique("t"));
    long now = System.currentTimeMillis() / 1000;
    long hour = now - now % 3600;
    // Two whole past hours: [hour - 2h, hour - 1h) and [hour - 1h, hour).
    send(eventName, customer.getId(), StripeFixtures.unique("e"), hour - 3600 - 10, "2");
    send(eventName, customer.getId(), StripeFixtures.unique("e"), hour - 10, "5");
    send(eventName, other.getId(), StripeFixtures.unique("e"), hour - 10, "100");

    List<MeterEventSummary> whole = client.v1().billing().meters().eventSummaries().list(meter.getId(),
        MeterEventSummaryListParams.builder().setCustomer(customer.getId()).setStartTime(hour - 7200)
            .setEndTime(hour).build()).getData();
    List<MeterEventSummary> hourly = client.v1().billing().meters().eventSummaries().list(meter.getId(),
        MeterEventSummaryListParams.builder().setCustomer(customer.getId()).setStartTime(hour - 7200)
            .setEndTime(hour)
            .setValueGroupingWindow(MeterEventSummaryListParams.ValueGroupingWindow.HOUR).build()).getData();

    assertEquals(1, whole.size());
    assertEquals(new BigDecimal("7"), whole.get(0).getAggregatedValue());
    assertEquals(meter.getId(), whole.get(0).getMeter());
    assertEquals(List.of(new BigDecimal("2"), new BigDecimal("5")),
        hourly.stream().map(MeterEventSummary::getAggregatedValue).toList());
    assertEquals(List.of(hour - 7200, hour - 3600), hourly.stream().map(MeterEventSummary::getStartTime).toList());
  }

  @Test
  void summaryBoundsMustBeAlignedToTheWindowAndOrdered() throws StripeException {
    Meter meter = StripeFixtures.meter(client, StripeFixtures.unique("tokens"));
    Customer customer = StripeFixtures.customer(client, StripeFixtures.unique("t"));
    long minute = System.currentTimeMillis() / 1000 / 60 * 60;
    long hour = minute - minute % 3600;

    assertEquals("start_time", summaryError(meter, customer, minute + 1, minute + 60, null).getParam());
    assertEquals("start_time", summaryError(meter, customer, minute + 60, minute, null).getParam());
    assertEquals("start_time", summaryError(meter, customer, hour + 60, hour + 3600,
        MeterEventSummaryListParams.ValueGroupingWindow.HOUR).getParam());
    long day = hour - hour % 86400;
    assertEquals("end_time", summaryError(meter, customer, day, day + 86400 + 3600,
        MeterEventSummaryListParams.ValueGroupingWindow.DAY).getParam());
  }

  private static InvalidRequestException summaryError(Meter meter, Customer customer, long start, long end,
      MeterEventSummaryListParams.ValueGroupingWindow window) {
    MeterEventSummaryListParams.Builder params = MeterEventSummaryListParams.builder().setCustomer(customer.getId())
        .setStartTime(start).setEndTime(end);
    if (window != null) {
      params.setValueGroupingWindow(window);
    }
    return assertThrows(InvalidRequestException.class,
        () -> client.v1().billing().meters().eventSummaries().list(meter.getId(), params.build()));
  }

  @Test
  void eventsOutsideStripesTimeWindowOrForUnknownMetersAndCustomersAreRejected() throws StripeException {
    String eventName = StripeFixtures.unique("tokens");
    Meter meter = StripeFixtures.meter(client, eventName);
    Customer customer = StripeFixtures.customer(client, StripeFixtures.unique("t"));
    long now = System.currentTimeMillis() / 1000;

    InvalidRequestException old = assertThrows(InvalidRequestException.class,
        () -> send(eventName, customer.getId(), "old", now - 36L * 24 * 3600, "1"));
    InvalidRequestException ahead = assertThrows(InvalidRequestException.class,
        () -> send(eventName, customer.getId(), "ahead", now + 600, "1"));
    InvalidRequestException noMeter = assertThrows(InvalidRequestException.class,
        () -> send("no_such_event", customer.getId(), "x", now, "1"));
    InvalidRequestException noCustomer = assertThrows(InvalidRequestException.class,
        () -> send(eventName, "cus_nope", "y", now, "1"));

    assertEquals("timestamp", old.getParam());
    assertTrue(old.getStripeError().getMessage().contains("35"));
    assertEquals("timestamp", ahead.getParam());
    assertEquals("event_name", noMeter.getParam());
    assertEquals("resource_missing", noCustomer.getCode());
    send(eventName, customer.getId(), "ok", now - 35L * 24 * 3600 + 60, "1");
    assertEquals(new MeterTotals(BigDecimal.ONE, 1), stripe.meterTotals(meter.getId(), customer.getId()));
  }

  @Test
  void anInactiveMeterTakesNoEvents() throws StripeException {
    String eventName = StripeFixtures.unique("tokens");
    Meter meter = StripeFixtures.meter(client, eventName);
    Customer customer = StripeFixtures.customer(client, StripeFixtures.unique("t"));
    client.v1().billing().meters().deactivate(meter.getId());

    assertThrows(InvalidRequestException.class,
        () -> send(eventName, customer.getId(), "late", System.currentTimeMillis() / 1000, "1"));
    assertEquals("inactive", client.v1().billing().meters().retrieve(meter.getId()).getStatus());
  }

  @Test
  void injectedDriftShowsInTotalsAndSummariesButNotAsAnEvent() throws StripeException {
    String eventName = StripeFixtures.unique("tokens");
    Meter meter = StripeFixtures.meter(client, eventName);
    Customer customer = StripeFixtures.customer(client, StripeFixtures.unique("t"));
    long now = System.currentTimeMillis() / 1000;
    send(eventName, customer.getId(), StripeFixtures.unique("e"), now - 10, "10");

    stripe.addMeterUsage(meter.getId(), customer.getId(), new BigDecimal("-3"), now - 5);

    assertEquals(new MeterTotals(new BigDecimal("7"), 1), stripe.meterTotals(meter.getId(), customer.getId()));
    long minute = now - now % 60;
    List<MeterEventSummary> summary = client.v1().billing().meters().eventSummaries().list(meter.getId(),
        MeterEventSummaryListParams.builder().setCustomer(customer.getId()).setStartTime(minute - 3600)
            .setEndTime(minute + 60).build()).getData();
    assertEquals(new BigDecimal("7"), summary.get(0).getAggregatedValue());
  }
}
