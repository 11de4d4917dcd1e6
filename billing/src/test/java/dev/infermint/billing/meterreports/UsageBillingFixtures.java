package dev.infermint.billing.meterreports;

import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.stripe.exception.StripeException;
import com.stripe.param.CustomerCreateParams;

import io.restassured.RestAssured;

import dev.infermint.billing.StripeResource;
import dev.infermint.billing.payments.CatalogIds;
import dev.infermint.billing.payments.PaymentCatalog;
import dev.infermint.testsupport.stripe.StripeServer;

/**
 * What the usage-billing tests share: tenants that have a Stripe customer (made in the Stripe-shaped server through
 * stripe-java and stored in {@code billing.payment_customer}, as billing's customer sync would), overage usage rows
 * inserted as the usage consumer stores them, and read-backs of the meter reports and the server's meter.
 */
@ApplicationScoped
public class UsageBillingFixtures {

  /**
   * A stored meter report.
   *
   * @param identifier meter event identifier
   * @param minute its minute
   * @param seq its number in the minute
   * @param value requests
   * @param state pending, sent or expired
   * @param attempts attempts made
   * @param lastError the last failure
   */
  public record Report(String identifier, Instant minute, int seq, long value, String state, int attempts,
      String lastError) {
  }

  /**
   * @param tenantId the tenant
   * @param customerId its Stripe customer
   */
  public record Tenant(String tenantId, String customerId) {
  }

  @Inject
  DataSource db;
  @Inject
  PaymentCatalog catalog;

  /** @return the Stripe-shaped server the billing tests run against */
  public static StripeServer stripe() {
    return StripeResource.server();
  }

  /** @return the overage meter, once billing's catalog sync made it */
  public String meterId() {
    await("the plan catalog synchronised with Stripe").atMost(Duration.ofSeconds(30))
        .until(() -> catalog.ids().isPresent());
    return catalog.ids().map(CatalogIds::meterId).orElseThrow();
  }

  /** @return a new tenant with a Stripe customer */
  public Tenant tenantWithCustomer() {
    String tenantId = UUID.randomUUID().toString();
    String customerId;
    try {
      customerId = stripe().client().customers().create(CustomerCreateParams.builder().setName("Tenant " + tenantId)
          .putMetadata("tenant_id", tenantId).build()).getId();
    } catch (StripeException e) {
      throw new IllegalStateException(e);
    }
    update("INSERT INTO billing.payment_customer (tenant_id, provider, customer_id) VALUES (?, 'stripe', ?)",
        tenantId, customerId);
    return new Tenant(tenantId, customerId);
  }

  /**
   * Stores usage events as the usage consumer does.
   *
   * @param tenantId the tenant
   * @param overage whether they were admitted past the quota under overage {@code bill}
   * @param times when each call happened
   */
  public void usage(String tenantId, boolean overage, Instant... times) {
    for (Instant t : times) {
      update("""
          INSERT INTO billing.usage_event (event_id, tenant_id, key_id, model, endpoint, units, compute_ms, status,
            occurred_at, overage) VALUES (?, ?, 'key-1', 'm', '/v1/embeddings', 1, 1, 200, ?, ?)""",
          UUID.randomUUID().toString(), tenantId, t.atOffset(ZoneOffset.UTC), overage);
    }
  }

  /**
   * @param tenantId the tenant
   * @return its meter reports, by minute and seq
   */
  public List<Report> reports(String tenantId) {
    return query("""
        SELECT identifier, minute, seq, value, state, attempts, last_error FROM billing.meter_report
        WHERE tenant_id = ? ORDER BY minute, seq""", s -> s.setString(1, tenantId), r -> new Report(r.getString(1),
        r.getObject(2, java.time.OffsetDateTime.class).toInstant(), r.getInt(3), r.getLong(4), r.getString(5),
        r.getInt(6), r.getString(7)));
  }

  /**
   * @param tenantId the tenant
   * @param overage which events
   * @return how many of them are in no report
   */
  public long unreported(String tenantId, boolean overage) {
    return query("SELECT count(*) FROM billing.usage_event WHERE tenant_id = ? AND overage = ?"
        + " AND meter_report_id IS NULL", s -> {
          s.setString(1, tenantId);
          s.setBoolean(2, overage);
        }, r -> r.getLong(1)).get(0);
  }

  /**
   * Waits until every report of the tenant is sent and every overage event is in one.
   *
   * @param tenantId the tenant
   * @param reports how many reports there must be
   * @return the reports
   */
  public List<Report> awaitSent(String tenantId, int reports) {
    await("tenant " + tenantId + " has " + reports + " sent meter reports").atMost(Duration.ofSeconds(60))
        .until(() -> unreported(tenantId, true) == 0 && reports(tenantId).size() == reports
            && reports(tenantId).stream().allMatch(r -> r.state().equals("sent")));
    return reports(tenantId);
  }

  /**
   * Puts a sent report back to pending, as if billing had never seen Stripe's answer.
   *
   * @param identifier the report
   */
  public void forgetAnswer(String identifier) {
    update("UPDATE billing.meter_report SET state = 'pending', sent_at = NULL, next_attempt_at = now()"
        + " WHERE identifier = ?", identifier);
  }

  /**
   * @param customerId the customer
   * @return what the server's meter holds for the customer, over all time
   */
  public BigDecimal stripeSum(String customerId) {
    return stripe().meterTotals(meterId(), customerId).sum();
  }

  /**
   * @param customerId the customer
   * @return how many distinct meter event identifiers the server accepted for the customer
   */
  public int stripeEvents(String customerId) {
    return stripe().meterTotals(meterId(), customerId).distinctIdentifiers();
  }

  /**
   * @param line the start of a Prometheus sample line up to a space, brace or closing brace, e.g.
   *     {@code infermint_billing_meter_reports_expired_total} or {@code name{tag="value"}
   * @return its value, 0 when absent
   */
  public static double metric(String line) {
    String body = RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
    for (String l : body.split("\n")) {
      if (l.startsWith(line) && l.length() > line.length() && " {}".indexOf(l.charAt(line.length())) >= 0) {
        return Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  private interface Binder {
    void bind(PreparedStatement s) throws SQLException;
  }

  private interface Reader<T> {
    T read(ResultSet r) throws SQLException;
  }

  private void update(String sql, Object... params) {
    try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private <T> List<T> query(String sql, Binder binder, Reader<T> reader) {
    try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      binder.bind(s);
      List<T> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(reader.read(r));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }
}
