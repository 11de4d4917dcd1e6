package dev.infermint.billing.meterreports;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import com.stripe.exception.StripeException;
import com.stripe.param.billing.MeterEventCreateParams;

import dev.infermint.billing.meterreports.UsageBillingFixtures.Report;
import dev.infermint.billing.meterreports.UsageBillingFixtures.Tenant;
import dev.infermint.billing.payments.MeterEvent;
import dev.infermint.billing.payments.MeterEventTooOldException;
import dev.infermint.billing.payments.PaymentProvider;
import dev.infermint.testsupport.stripe.StripeFault;

/**
 * Overage usage reaches Stripe's meter through the real stripe-java client and the Stripe-shaped server, once: per
 * tenant and minute, late events in a report of their own, through an outage (500s, then dropped connections), and
 * after a lost answer; usage too old for Stripe is expired, counted, never sent.
 */
@QuarkusTest
class MeterReportServiceTest {

  private static final String METER_EVENTS = "/v1/billing/meter_events";

  @Inject
  UsageBillingFixtures fixtures;
  @Inject
  PaymentProvider provider;

  /** A minute that closed a while ago, so the aggregator takes it at once (settle delay 0 in tests). */
  private static Instant minutesAgo(int minutes) {
    return Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(minutes, ChronoUnit.MINUTES);
  }

  @AfterEach
  void noFaults() {
    UsageBillingFixtures.stripe().clearFaults();
  }

  @Test
  void overageIsReportedPerTenantAndMinuteAndLateEventsGetTheirOwnReport() {
    Tenant tenant = fixtures.tenantWithCustomer();
    Tenant other = fixtures.tenantWithCustomer();
    Instant m1 = minutesAgo(10);
    Instant m2 = minutesAgo(9);
    fixtures.usage(tenant.tenantId(), true, m1.plusSeconds(1), m1.plusSeconds(30), m1.plusSeconds(59));
    fixtures.usage(tenant.tenantId(), true, m2, m2.plusSeconds(5));
    fixtures.usage(tenant.tenantId(), false, m1.plusSeconds(2), m2.plusSeconds(2), m2.plusSeconds(3));
    fixtures.usage(other.tenantId(), true, m1.plusSeconds(10));

    List<Report> reports = fixtures.awaitSent(tenant.tenantId(), 2);
    assertEquals(List.of(3L, 2L), reports.stream().map(Report::value).toList(), reports.toString());
    assertEquals(List.of(m1, m2), reports.stream().map(Report::minute).toList());
    String meter = fixtures.meterId();
    assertEquals(MeterReport.identifier(tenant.tenantId(), meter, m1, 0), reports.get(0).identifier());
    assertEquals(0, new BigDecimal(5).compareTo(fixtures.stripeSum(tenant.customerId())));
    assertEquals(2, fixtures.stripeEvents(tenant.customerId()));
    assertEquals(3, fixtures.unreported(tenant.tenantId(), false), "calls within the quota are not billed");
    fixtures.awaitSent(other.tenantId(), 1);
    assertEquals(0, BigDecimal.ONE.compareTo(fixtures.stripeSum(other.customerId())));

    // Two more calls of the first minute arrive after it was reported: a second report for that minute.
    fixtures.usage(tenant.tenantId(), true, m1.plusSeconds(40), m1.plusSeconds(41));
    reports = fixtures.awaitSent(tenant.tenantId(), 3);
    Report late = reports.stream().filter(r -> r.seq() == 1).findFirst().orElseThrow();
    assertEquals(m1, late.minute());
    assertEquals(2, late.value());
    assertEquals(MeterReport.identifier(tenant.tenantId(), meter, m1, 1), late.identifier());
    assertEquals(0, new BigDecimal(7).compareTo(fixtures.stripeSum(tenant.customerId())));
    assertEquals(3, fixtures.stripeEvents(tenant.customerId()));
  }

  @Test
  void aStripeOutageLosesNothingAndDuplicatesNothing() {
    Tenant tenant = fixtures.tenantWithCustomer();
    double failedBefore = UsageBillingFixtures.metric(
        "infermint_billing_meter_reports_failed_attempts_total{retryable=\"true\"");
    int callsBefore = UsageBillingFixtures.stripe().callCount("POST", METER_EVENTS);
    // The outage: 12 answers of 500, then connections dropped without an answer until it ends (rules apply in the
    // order added, so there is no moment between the two in which a call gets through).
    UsageBillingFixtures.stripe().failNext(12, METER_EVENTS, StripeFault.apiError());
    UsageBillingFixtures.stripe().failPath(METER_EVENTS, StripeFault.dropConnection());
    Instant first = minutesAgo(20);
    long calls = 0;
    for (int minute = 0; minute < 3; minute++) {
      for (int call = 0; call <= minute; call++) {
        fixtures.usage(tenant.tenantId(), true, first.plus(minute, ChronoUnit.MINUTES).plusSeconds(call));
        calls++;
      }
    }
    await("the 500s used up").atMost(Duration.ofSeconds(90))
        .until(() -> UsageBillingFixtures.stripe().callCount("POST", METER_EVENTS) >= callsBefore + 12);
    java.util.Map<String, Integer> triedSoFar = fixtures.reports(tenant.tenantId()).stream()
        .collect(Collectors.toMap(Report::identifier, Report::attempts));
    assertEquals(3, triedSoFar.size(), "one report per minute");
    await("every report tried against dropped connections").atMost(Duration.ofSeconds(90)).until(() ->
        fixtures.reports(tenant.tenantId()).stream().allMatch(x -> x.state().equals("pending")
            && x.attempts() > triedSoFar.get(x.identifier())));
    assertEquals(0, fixtures.stripeSum(tenant.customerId()).signum(), "nothing got through");
    assertTrue(UsageBillingFixtures.metric("infermint_billing_meter_reports_failed_attempts_total{retryable=\"true\"")
        >= failedBefore + 3, "failed attempts are counted");

    UsageBillingFixtures.stripe().clearFaults();
    List<Report> reports = fixtures.awaitSent(tenant.tenantId(), 3);
    long local = reports.stream().mapToLong(Report::value).sum();
    assertEquals(calls, local);
    assertEquals(0, BigDecimal.valueOf(local).compareTo(fixtures.stripeSum(tenant.customerId())),
        "Stripe holds exactly what billing reported");
    Set<String> identifiers = reports.stream().map(Report::identifier).collect(Collectors.toSet());
    assertEquals(3, identifiers.size());
    assertEquals(3, fixtures.stripeEvents(tenant.customerId()), "each identifier counted once");
  }

  @Test
  void aLostAnswerIsNotCountedTwice() throws StripeException {
    Tenant tenant = fixtures.tenantWithCustomer();
    String meter = fixtures.meterId();
    Instant minute = minutesAgo(30);
    // An earlier send reached Stripe but its answer never came back, and its Idempotency-Key is gone (> 24 h):
    // Stripe holds the identifier the report will have.
    UsageBillingFixtures.stripe().client().billing().meterEvents().create(MeterEventCreateParams.builder()
        .setEventName("infermint_overage_requests")
        .setIdentifier(MeterReport.identifier(tenant.tenantId(), meter, minute, 0))
        .setTimestamp(minute.getEpochSecond())
        .putPayload("stripe_customer_id", tenant.customerId()).putPayload("value", "4").build());
    fixtures.usage(tenant.tenantId(), true, minute, minute.plusSeconds(1), minute.plusSeconds(2),
        minute.plusSeconds(3));
    fixtures.awaitSent(tenant.tenantId(), 1);
    assertEquals(0, new BigDecimal(4).compareTo(fixtures.stripeSum(tenant.customerId())));
    assertEquals(1, fixtures.stripeEvents(tenant.customerId()));

    // A report sent normally whose answer billing "lost" (put back to pending) is sent again, under the same
    // identifier and Idempotency-Key: Stripe replays its first answer and counts nothing more.
    Instant next = minute.plus(1, ChronoUnit.MINUTES);
    fixtures.usage(tenant.tenantId(), true, next, next.plusSeconds(1));
    Report sent = fixtures.awaitSent(tenant.tenantId(), 2).get(1);
    int callsBefore = UsageBillingFixtures.stripe().callCount("POST", METER_EVENTS);
    fixtures.forgetAnswer(sent.identifier());
    fixtures.awaitSent(tenant.tenantId(), 2);
    assertTrue(UsageBillingFixtures.stripe().callCount("POST", METER_EVENTS) > callsBefore, "it was sent again");
    assertEquals(0, new BigDecimal(6).compareTo(fixtures.stripeSum(tenant.customerId())));
    assertEquals(2, fixtures.stripeEvents(tenant.customerId()));
  }

  @Test
  void usageOlderThan35DaysIsExpiredCountedAndNeverSent() {
    Tenant tenant = fixtures.tenantWithCustomer();
    double expiredBefore = UsageBillingFixtures.metric("infermint_billing_meter_reports_expired_total");
    fixtures.usage(tenant.tenantId(), true, Instant.now().minus(36, ChronoUnit.DAYS));
    await("the 36-day-old report expired").atMost(Duration.ofSeconds(30)).until(() ->
        fixtures.reports(tenant.tenantId()).stream().anyMatch(r -> r.state().equals("expired")));
    Report report = fixtures.reports(tenant.tenantId()).get(0);
    assertEquals(1, report.value());
    assertTrue(report.lastError().contains("older than"), report.lastError());
    assertTrue(UsageBillingFixtures.metric("infermint_billing_meter_reports_expired_total") >= expiredBefore + 1);
    assertEquals(0, fixtures.stripeSum(tenant.customerId()).signum());
    assertEquals(0, fixtures.unreported(tenant.tenantId(), true), "the event is in the expired report");
  }

  @Test
  void stripeRefusingAnOldTimestampIsTooOldNotRetryable() {
    Tenant tenant = fixtures.tenantWithCustomer();
    MeterEventTooOldException e = assertThrows(MeterEventTooOldException.class, () -> provider.reportMeterEvent(
        new MeterEvent("imr_too_old_" + tenant.tenantId(), tenant.customerId(), 1,
            Instant.now().minus(36, ChronoUnit.DAYS))));
    assertEquals(false, e.retryable());
    assertEquals(400, e.status());
    assertEquals(0, fixtures.stripeSum(tenant.customerId()).signum());
  }
}
