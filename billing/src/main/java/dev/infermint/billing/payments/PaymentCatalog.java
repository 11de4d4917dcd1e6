package dev.infermint.billing.payments;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

import dev.infermint.billing.service.PlanService;

/**
 * The processor's ids of the plan catalog: synchronised once at start (lookup keys: existing products and prices are
 * matched, missing ones created, changed prices replaced) and stored in {@code billing.payment_catalog}. When the
 * processor cannot be reached at start, billing still boots on the ids stored last time and retries in the
 * background with a growing delay; until some ids are known, checkout answers 503.
 */
@ApplicationScoped
public class PaymentCatalog {

  private static final Logger LOG = Logger.getLogger(PaymentCatalog.class);
  private static final Duration MAX_DELAY = Duration.ofMinutes(5);

  @Inject
  PaymentProvider provider;
  @Inject
  PlanService plans;
  @Inject
  EntityManager em;

  private volatile CatalogIds ids;
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "payment-catalog-sync");
    t.setDaemon(true);
    return t;
  });

  void onStart(@Observes StartupEvent event) {
    if (!provider.capabilities().contains(PaymentProvider.Capability.CATALOG)) {
      return;
    }
    ids = stored().orElse(null);
    sync(Duration.ofSeconds(1));
  }

  private void sync(Duration nextDelay) {
    try {
      CatalogIds synced = provider.syncCatalog(plans.list());
      QuarkusTransaction.requiringNew().run(() -> store(synced));
      ids = synced;
      LOG.infof("Plan catalog synchronised with %s: %d plans on meter %s", provider.id(), synced.plans().size(),
          synced.meterId());
    } catch (RuntimeException e) {
      LOG.warnf("Could not synchronise the plan catalog with %s (%s); retrying in %s", provider.id(),
          e.getMessage(), nextDelay);
      Duration after = nextDelay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : nextDelay.multipliedBy(2);
      retries.schedule(() -> sync(after), nextDelay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @PreDestroy
  void stop() {
    retries.shutdownNow();
  }

  /** @return the processor's ids, once known (synchronised now or stored by an earlier start) */
  public Optional<CatalogIds> ids() {
    return Optional.ofNullable(ids);
  }

  private void store(CatalogIds synced) {
    for (var e : synced.plans().entrySet()) {
      em.createNativeQuery("""
          INSERT INTO {h-schema}payment_catalog (provider, plan, product_id, flat_price_id, overage_price_id, meter_id,
                                       meter_event_name, synced_at)
          VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, now())
          ON CONFLICT (provider, plan) DO UPDATE SET product_id = EXCLUDED.product_id,
            flat_price_id = EXCLUDED.flat_price_id, overage_price_id = EXCLUDED.overage_price_id,
            meter_id = EXCLUDED.meter_id, meter_event_name = EXCLUDED.meter_event_name, synced_at = now()
          """).setParameter(1, provider.id()).setParameter(2, e.getKey())
          .setParameter(3, e.getValue().productId()).setParameter(4, e.getValue().flatPriceId())
          .setParameter(5, e.getValue().overagePriceId()).setParameter(6, synced.meterId())
          .setParameter(7, synced.meterEventName()).executeUpdate();
    }
  }

  @Transactional
  Optional<CatalogIds> stored() {
    @SuppressWarnings("unchecked")
    java.util.List<Object[]> rows = em.createNativeQuery("""
        SELECT plan, product_id, flat_price_id, overage_price_id, meter_id, meter_event_name
        FROM {h-schema}payment_catalog WHERE provider = ?1""").setParameter(1, provider.id()).getResultList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    java.util.Map<String, CatalogIds.PlanPrices> byPlan = new java.util.HashMap<>();
    for (Object[] r : rows) {
      byPlan.put((String) r[0], new CatalogIds.PlanPrices((String) r[1], (String) r[2], (String) r[3]));
    }
    return Optional.of(new CatalogIds((String) rows.get(0)[4], (String) rows.get(0)[5], java.util.Map.copyOf(byPlan)));
  }
}
