package dev.infermint.billing.meterreports;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import dev.infermint.billing.config.UsageBillingConfig;
import dev.infermint.billing.payments.CatalogIds;
import dev.infermint.billing.payments.MeterEvent;
import dev.infermint.billing.payments.MeterEventTooOldException;
import dev.infermint.billing.payments.PaymentCatalog;
import dev.infermint.billing.payments.PaymentCustomers;
import dev.infermint.billing.payments.PaymentProvider;
import dev.infermint.billing.payments.PaymentProviderException;

/**
 * Reports overage usage to the processor's meter, on one thread ({@code meter-reports}), every
 * {@code meter-reports.interval}:
 * <ol>
 *   <li>Aggregate: the overage events of every minute that closed at least {@code settle-delay} ago and that are in
 *       no report yet become one report per tenant and minute, in the transaction that marks them (so each event is
 *       in exactly one report). Events arriving later for that minute make the minute's next report.</li>
 *   <li>Send: due pending reports, oldest minute first, one call at a time (one thread; across instances a claim
 *       holds the tenant's meter), paced by {@link ProviderCallPacer}. A report older than {@code max-age} is
 *       expired, not sent. A failure is retried after {@code initial-backoff}, doubling up to {@code max-backoff},
 *       with the same identifier, so a retry after a lost answer counts once.</li>
 * </ol>
 * Runs only with a provider that reports to meters; with {@code none} nothing is aggregated (the local invoice
 * preview reads the usage events themselves) and, if a processor is configured later, the overage events not yet
 * reported are aggregated then (those older than {@code max-age} are expired, counted and logged).
 */
@ApplicationScoped
public class MeterReportService {

  private static final Logger LOG = Logger.getLogger(MeterReportService.class);

  @Inject
  PaymentProvider provider;
  @Inject
  PaymentCatalog catalog;
  @Inject
  PaymentCustomers customers;
  @Inject
  MeterReportRepository repository;
  @Inject
  ProviderCallPacer pacer;
  @Inject
  UsageBillingConfig config;
  @Inject
  MeterRegistry metrics;

  private final Clock clock = Clock.systemUTC();
  private final AtomicLong pending = new AtomicLong();
  private Counter sent;
  private Counter failedRetryable;
  private Counter failedPermanent;
  private Counter expired;
  private ScheduledExecutorService loop;

  void start(@Observes StartupEvent event) {
    Gauge.builder("infermint_billing_meter_reports_pending", pending, AtomicLong::get)
        .description("Meter reports waiting to be sent").register(metrics);
    sent = Counter.builder("infermint_billing_meter_reports_sent_total").description("Meter reports the processor"
        + " accepted").register(metrics);
    failedRetryable = failures("true");
    failedPermanent = failures("false");
    expired = Counter.builder("infermint_billing_meter_reports_expired_total")
        .description("Meter reports too old to send (never sent, kept with state expired)").register(metrics);
    if (!enabled()) {
      LOG.infof("Meter reporting off (provider '%s'%s)", provider.id(),
          config.meterReports().enabled() ? " reports to no meter" : ", meter-reports.enabled=false");
      return;
    }
    loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "meter-reports");
      t.setDaemon(true);
      return t;
    });
    long every = config.meterReports().interval().toMillis();
    loop.scheduleWithFixedDelay(this::round, every, every, TimeUnit.MILLISECONDS);
  }

  private Counter failures(String retryable) {
    return Counter.builder("infermint_billing_meter_reports_failed_attempts_total")
        .description("Attempts to send a meter report that failed").tag("retryable", retryable).register(metrics);
  }

  void stop(@Observes ShutdownEvent event) {
    if (loop != null) {
      loop.shutdownNow();
    }
  }

  /** @return whether this instance aggregates and sends */
  public boolean enabled() {
    return config.meterReports().enabled()
        && provider.capabilities().contains(PaymentProvider.Capability.METER_REPORTING);
  }

  private void round() {
    try {
      Optional<String> meterId = catalog.ids().map(CatalogIds::meterId);
      if (meterId.isEmpty()) {
        LOG.debug("Meter reports wait for the plan catalog's meter");
        return;
      }
      aggregate(meterId.get());
      sendDue();
    } catch (RuntimeException e) {
      LOG.warnf("Meter reporting round failed (%s); next round in %s", e.toString(), config.meterReports().interval());
    } finally {
      try {
        pending.set(QuarkusTransaction.requiringNew().call(repository::pending));
      } catch (RuntimeException e) {
        LOG.debugf("Could not count pending meter reports: %s", e);
      }
    }
  }

  /**
   * Aggregates the closed minutes' unreported overage events into reports (one batch).
   *
   * @param meterId the meter they are reported to
   * @return the reports made
   */
  public List<MeterReport> aggregate(String meterId) {
    Instant cutoff = clock.instant().minus(config.meterReports().settleDelay()).truncatedTo(ChronoUnit.MINUTES);
    List<MeterReport> made = QuarkusTransaction.requiringNew().call(() -> {
      if (!repository.tryAggregationLock()) {
        return List.of();
      }
      return repository.unreported(cutoff, config.meterReports().batchSize()).stream()
          .map(g -> repository.report(g, meterId)).flatMap(Optional::stream).toList();
    });
    if (!made.isEmpty()) {
      LOG.debugf("Aggregated %d meter reports (%d requests)", made.size(),
          made.stream().mapToLong(MeterReport::value).sum());
    }
    return made;
  }

  /**
   * Sends due reports, oldest first, at most {@code batch-size}.
   *
   * @return how many were tried
   */
  public int sendDue() {
    Duration lease = config.meterReports().claimLease();
    int tried = 0;
    while (tried < config.meterReports().batchSize() && !Thread.currentThread().isInterrupted()) {
      Instant now = clock.instant();
      Optional<MeterReport> next = QuarkusTransaction.requiringNew().call(() -> repository.claim(now,
          now.plus(lease)));
      if (next.isEmpty()) {
        break;
      }
      send(next.get());
      tried++;
    }
    return tried;
  }

  private void send(MeterReport report) {
    Instant now = clock.instant();
    if (report.minute().isBefore(now.minus(config.meterReports().maxAge()))) {
      expire(report, "older than " + config.meterReports().maxAge() + " (the processor accepts no older meter"
          + " events)");
      return;
    }
    String customerId = null;
    try {
      customerId = customers.ensure(report.tenantId());
      pacer.acquire();
      provider.reportMeterEvent(new MeterEvent(report.identifier(), customerId, report.value(), report.minute()));
    } catch (MeterEventTooOldException e) {
      expire(report, e.getMessage());
      return;
    } catch (PaymentProviderException e) {
      retryLater(report, e.getMessage(), e.retryable());
      return;
    } catch (RuntimeException e) {
      // Tenants unreachable, tenant unknown there, the database: the report waits, nothing is lost.
      retryLater(report, e.toString(), true);
      return;
    }
    String customer = customerId;
    QuarkusTransaction.requiringNew().run(() -> repository.sent(report.id(), customer, clock.instant()));
    sent.increment();
    if (report.attempts() > 0) {
      LOG.infof("Meter report %s (tenant %s, %s, %d requests) sent after %d failed attempts", report.identifier(),
          report.tenantId(), report.minute(), report.value(), report.attempts());
    }
  }

  private void retryLater(MeterReport report, String error, boolean retryable) {
    int attempt = report.attempts() + 1;
    Duration delay = backoff(attempt, config.meterReports().initialBackoff(), config.meterReports().maxBackoff());
    QuarkusTransaction.requiringNew().run(() -> repository.failed(report.id(), clock.instant().plus(delay),
        error));
    (retryable ? failedRetryable : failedPermanent).increment();
    LOG.warnf("Meter report %s (tenant %s, %s, %d requests) not sent, attempt %d%s: %s; retrying in %s",
        report.identifier(), report.tenantId(), report.minute(), report.value(), attempt,
        retryable ? "" : " (refused)", error, delay);
  }

  private void expire(MeterReport report, String reason) {
    QuarkusTransaction.requiringNew().run(() -> repository.expired(report.id(), reason));
    expired.increment();
    LOG.errorf("Meter report %s EXPIRED, not billed: tenant %s, minute %s, %d overage requests: %s",
        report.identifier(), report.tenantId(), report.minute(), report.value(), reason);
  }

  /**
   * @param attempt the attempt that failed, from 1
   * @param initial the wait after the first
   * @param max the longest wait
   * @return {@code initial × 2^(attempt-1)}, at most {@code max}
   */
  static Duration backoff(int attempt, Duration initial, Duration max) {
    int doublings = Math.min(attempt - 1, 30);
    Duration d = initial.multipliedBy(1L << doublings);
    return d.compareTo(max) > 0 || d.isNegative() ? max : d;
  }
}
