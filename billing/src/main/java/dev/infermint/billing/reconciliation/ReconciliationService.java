package dev.infermint.billing.reconciliation;

import java.sql.Date;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import dev.infermint.billing.config.UsageBillingConfig;
import dev.infermint.billing.meterreports.ProviderCallPacer;
import dev.infermint.billing.payments.CatalogIds;
import dev.infermint.billing.payments.PaymentCatalog;
import dev.infermint.billing.payments.PaymentProvider;
import dev.infermint.problem.Problems;

/**
 * Compares, for each tenant with a customer and each of the last {@code reconciliation.days} UTC days, the overage
 * requests of billing's sent meter reports with the processor's meter event summaries ({@code meterTotal}), stores
 * each run, and exports the latest run's absolute drift as the gauge {@code infermint_billing_reconciliation_drift}.
 * Runs every {@code reconciliation.interval} on its own thread and on demand.
 */
@ApplicationScoped
public class ReconciliationService {

  private static final Logger LOG = Logger.getLogger(ReconciliationService.class);

  @Inject
  PaymentProvider provider;
  @Inject
  PaymentCatalog catalog;
  @Inject
  ProviderCallPacer pacer;
  @Inject
  UsageBillingConfig config;
  @Inject
  EntityManager em;
  @Inject
  MeterRegistry metrics;

  private final Clock clock = Clock.systemUTC();
  private final AtomicLong drift = new AtomicLong();
  private ScheduledExecutorService schedule;

  void start(@Observes StartupEvent event) {
    Gauge.builder("infermint_billing_reconciliation_drift", drift, AtomicLong::get)
        .description("Absolute difference, summed over tenants and days, between billing's sent meter reports and"
            + " the processor's meter summaries, as of the latest reconciliation").register(metrics);
    QuarkusTransaction.requiringNew().run(() -> drift.set(latest().driftTotal()));
    if (!config.reconciliation().enabled() || !syncs()) {
      return;
    }
    schedule = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "reconciliation");
      t.setDaemon(true);
      return t;
    });
    schedule.scheduleWithFixedDelay(() -> {
      try {
        Reconciliation run = run();
        LOG.infof("Reconciliation %s..%s: %d rows, drift %d", run.from(), run.to(), run.rows().size(),
            run.driftTotal());
      } catch (RuntimeException e) {
        LOG.warnf("Reconciliation failed (%s); next run in %s", e.toString(), config.reconciliation().interval());
      }
    }, config.reconciliation().initialDelay().toMillis(), config.reconciliation().interval().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (schedule != null) {
      schedule.shutdownNow();
    }
  }

  private boolean syncs() {
    return provider.capabilities().contains(PaymentProvider.Capability.METER_REPORTING);
  }

  /**
   * Runs one reconciliation now and stores it.
   *
   * @return the run
   * @throws dev.infermint.problem.ProblemException 503 while the plan catalog (the meter) is not synchronised
   * @throws dev.infermint.billing.payments.PaymentProviderException when the processor cannot be read
   */
  public Reconciliation run() {
    // PostgreSQL keeps microseconds: the answer of a run and the stored run say the same instant.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Instant upto = now.minus(config.reconciliation().summaryLag()).truncatedTo(ChronoUnit.MINUTES);
    LocalDate to = LocalDate.ofInstant(upto, ZoneOffset.UTC);
    LocalDate from = to.minusDays(Math.max(1, config.reconciliation().days()) - 1L);
    List<Reconciliation.Row> rows = new ArrayList<>();
    if (syncs()) {
      String meterId = catalog.ids().map(CatalogIds::meterId).orElseThrow(() -> Problems.unavailable(
          "The plan catalog is not synchronised with the payment provider yet; try again shortly"));
      Instant start = from.atStartOfDay().toInstant(ZoneOffset.UTC);
      Map<String, Long> local = QuarkusTransaction.requiringNew().call(() -> localTotals(meterId, start, upto));
      List<String[]> withCustomer = QuarkusTransaction.requiringNew().call(this::customers);
      for (String[] tc : withCustomer) {
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
          Instant dayStart = day.atStartOfDay().toInstant(ZoneOffset.UTC);
          Instant dayEnd = day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
          Instant end = dayEnd.isAfter(upto) ? upto : dayEnd;
          if (!end.isAfter(dayStart)) {
            continue;
          }
          pacer.acquire();
          long stripe = provider.meterTotal(meterId, tc[1], dayStart, end);
          long ours = local.getOrDefault(tc[0] + "|" + day, 0L);
          if (stripe != 0 || ours != 0) {
            rows.add(new Reconciliation.Row(tc[0], tc[1], day, ours, stripe, stripe - ours));
          }
        }
      }
    }
    long total = rows.stream().mapToLong(r -> Math.abs(r.drift())).sum();
    Reconciliation run = new Reconciliation(now, from, to, upto, syncs(), List.copyOf(rows), total);
    QuarkusTransaction.requiringNew().run(() -> store(run));
    drift.set(total);
    if (total != 0) {
      LOG.warnf("Reconciliation found drift %d between billing's meter reports and %s: %s", total, provider.id(),
          rows.stream().filter(r -> r.drift() != 0).toList());
    }
    return run;
  }

  /**
   * @return the latest run; without any, an empty one ({@code ranAt} null)
   */
  public Reconciliation latest() {
    return QuarkusTransaction.joiningExisting().call(() -> {
      @SuppressWarnings("unchecked")
      List<Object[]> runs = em.createNativeQuery("""
          SELECT id, ran_at, from_day, to_day, upto, payment_sync, drift_total FROM {h-schema}reconciliation_run
          ORDER BY id DESC LIMIT 1""").getResultList();
      if (runs.isEmpty()) {
        return new Reconciliation(null, null, null, null, syncs(), List.of(), 0);
      }
      Object[] r = runs.get(0);
      @SuppressWarnings("unchecked")
      List<Object[]> stored = em.createNativeQuery("""
          SELECT tenant_id, customer_id, day, local_total, stripe_total, drift FROM {h-schema}reconciliation_row
          WHERE run_id = ?1 ORDER BY tenant_id, day""").setParameter(1, ((Number) r[0]).longValue()).getResultList();
      List<Reconciliation.Row> rows = stored.stream().map(s -> new Reconciliation.Row((String) s[0], (String) s[1],
          date(s[2]), ((Number) s[3]).longValue(), ((Number) s[4]).longValue(), ((Number) s[5]).longValue()))
          .toList();
      return new Reconciliation(instant(r[1]), date(r[2]), date(r[3]), instant(r[4]), (Boolean) r[5], rows,
          ((Number) r[6]).longValue());
    });
  }

  private Map<String, Long> localTotals(String meterId, Instant from, Instant upto) {
    @SuppressWarnings("unchecked")
    List<Object[]> sums = em.createNativeQuery("""
        SELECT tenant_id, CAST((minute AT TIME ZONE 'UTC') AS DATE), CAST(SUM(value) AS BIGINT)
        FROM {h-schema}meter_report
        WHERE state = 'sent' AND meter_id = ?1 AND minute >= ?2 AND minute < ?3 GROUP BY 1, 2""")
        .setParameter(1, meterId).setParameter(2, from.atOffset(ZoneOffset.UTC))
        .setParameter(3, upto.atOffset(ZoneOffset.UTC)).getResultList();
    Map<String, Long> totals = new HashMap<>();
    for (Object[] s : sums) {
      totals.put(s[0] + "|" + date(s[1]), ((Number) s[2]).longValue());
    }
    return totals;
  }

  private List<String[]> customers() {
    @SuppressWarnings("unchecked")
    List<Object[]> rows = em.createNativeQuery("""
        SELECT tenant_id, customer_id FROM {h-schema}payment_customer WHERE provider = ?1 ORDER BY tenant_id""")
        .setParameter(1, provider.id()).getResultList();
    return rows.stream().map(r -> new String[] {(String) r[0], (String) r[1]}).toList();
  }

  private void store(Reconciliation run) {
    long id = ((Number) em.createNativeQuery("""
        INSERT INTO {h-schema}reconciliation_run (ran_at, from_day, to_day, upto, payment_sync, drift_total)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id""").setParameter(1, run.ranAt().atOffset(ZoneOffset.UTC))
        .setParameter(2, run.from()).setParameter(3, run.to()).setParameter(4, run.upto().atOffset(ZoneOffset.UTC))
        .setParameter(5, run.paymentSync()).setParameter(6, run.driftTotal()).getSingleResult()).longValue();
    for (Reconciliation.Row row : run.rows()) {
      em.createNativeQuery("""
          INSERT INTO {h-schema}reconciliation_row (run_id, tenant_id, customer_id, day, local_total, stripe_total,
                                                  drift)
          VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)""").setParameter(1, id).setParameter(2, row.tenantId())
          .setParameter(3, row.customerId()).setParameter(4, row.day()).setParameter(5, row.local())
          .setParameter(6, row.stripe()).setParameter(7, row.drift()).executeUpdate();
    }
  }

  private static LocalDate date(Object value) {
    if (value instanceof LocalDate d) {
      return d;
    }
    if (value instanceof Date d) {
      return d.toLocalDate();
    }
    return LocalDate.parse(value.toString());
  }

  private static Instant instant(Object value) {
    if (value instanceof Instant i) {
      return i;
    }
    if (value instanceof java.time.OffsetDateTime o) {
      return o.toInstant();
    }
    if (value instanceof java.sql.Timestamp t) {
      return t.toInstant();
    }
    throw new IllegalStateException("Not a timestamp: " + value);
  }
}
