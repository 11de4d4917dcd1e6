package dev.infermint.tenants.service;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;
import dev.infermint.tenants.client.BillingClient;
import dev.infermint.tenants.config.TenantsConfig;

/**
 * Billing's plan catalog, as the tenants service checks a requested plan against it. Billing owns the catalog
 * ({@code GET /api/v1/plans}); this keeps the ids it read for {@code infermint.tenants.plan-catalog-ttl} (30 s).
 *
 * <p>When the catalog is due and billing cannot be read, the copy held is used for another TTL (logged at WARN), so
 * that a billing outage neither stops tenant creation nor costs billing more than one call per TTL. With no copy at
 * all the check fails with 503. Only one caller reads billing at a time; while it does, the others use the copy
 * held, or wait for the read when there is none.
 */
@ApplicationScoped
public class PlanCatalog {

  private static final Logger LOG = Logger.getLogger(PlanCatalog.class);

  /** The ids read, and when ({@link System#nanoTime()}) to read them again. */
  private record Snapshot(List<String> ids, long dueAt) {

    boolean fresh() {
      return System.nanoTime() - dueAt < 0;
    }
  }

  private final ReentrantLock reading = new ReentrantLock();
  private volatile Snapshot snapshot;

  @Inject
  BillingClient billing;

  @Inject
  TenantsConfig config;

  /**
   * Checks that billing's catalog has a plan.
   *
   * @param plan the plan id a caller asked for
   * @return the same plan id
   * @throws ProblemException 422 {@code validation_failed} naming {@code plan} and listing the catalog's ids when
   *     the catalog has no such plan; 503 {@code unavailable} when the catalog cannot be read and no copy is held
   */
  public String require(String plan) {
    List<String> ids = ids();
    if (!ids.contains(plan)) {
      throw Problems.validation("plan", "must be one of " + String.join(", ", ids) + " (billing's plan catalog)");
    }
    return plan;
  }

  /**
   * @return the ids of billing's plans, in billing's order, from the copy held while it is fresh
   * @throws ProblemException 503 {@code unavailable} when billing cannot be read and no copy is held
   */
  public List<String> ids() {
    Snapshot held = snapshot;
    if (held != null && held.fresh()) {
      return held.ids();
    }
    if (held == null) {
      reading.lock();
    } else if (!reading.tryLock()) {
      return held.ids();
    }
    try {
      held = snapshot;
      if (held != null && held.fresh()) {
        return held.ids();
      }
      return read(held);
    } finally {
      reading.unlock();
    }
  }

  /** Drops the copy held, so that the next check reads billing's catalog (tests use it to start from nothing). */
  public void forget() {
    snapshot = null;
  }

  private List<String> read(Snapshot held) {
    long ttl = config.planCatalogTtl().toNanos();
    try {
      List<String> ids = List.copyOf(billing.planIds());
      snapshot = new Snapshot(ids, System.nanoTime() + ttl);
      return ids;
    } catch (RuntimeException e) {
      // Billing down, slow or answering wrongly: TimeoutException, or the client's ProblemException.
      String reason = e instanceof ProblemException p ? p.problem().detail() : e.toString();
      if (held != null) {
        LOG.warnf("Billing's plan catalog could not be read (%s); plans are checked against the copy read "
            + "earlier for another %s", reason, config.planCatalogTtl());
        snapshot = new Snapshot(held.ids(), System.nanoTime() + ttl);
        return held.ids();
      }
      LOG.warnf("Billing's plan catalog could not be read (%s) and no copy is held", reason);
      throw Problems.unavailable("The plan could not be checked: billing's plan catalog cannot be read ("
          + reason + ")");
    }
  }
}
