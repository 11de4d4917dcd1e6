package dev.infermint.billing.subscriptions;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import dev.infermint.billing.payments.ProviderEvent;

/**
 * {@code billing.payment_subscription} and {@code billing.payment_webhook_event}. Every method joins the caller's
 * transaction; {@link #lock(String)} serialises the work on one subscription across threads and replicas until that
 * transaction ends.
 */
@ApplicationScoped
public class SubscriptionRepository {

  private static final String COLUMNS = "subscription_id, tenant_id, customer_id, status, plan, current_period_end,"
      + " past_due_since, grace_ended_at";

  @Inject
  EntityManager em;

  /**
   * Takes a transaction-scoped advisory lock on a subscription: whoever re-reads it from the processor and stores
   * it holds the lock, so a slower reader can never store an older state over a newer one.
   *
   * @param subscriptionId the subscription
   */
  public void lock(String subscriptionId) {
    em.createNativeQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))) AS l")
        .setParameter(1, "payment_subscription:" + subscriptionId).getSingleResult();
  }

  /**
   * @param subscriptionId a subscription
   * @return its stored state
   */
  public Optional<SubscriptionState> find(String subscriptionId) {
    return rows("SELECT " + COLUMNS + " FROM {h-schema}payment_subscription WHERE subscription_id = ?1", subscriptionId)
        .stream().findFirst();
  }

  /**
   * @param tenantId a tenant
   * @return every subscription stored for it
   */
  public List<SubscriptionState> byTenant(String tenantId) {
    return rows("SELECT " + COLUMNS + " FROM {h-schema}payment_subscription WHERE tenant_id = ?1"
        + " ORDER BY subscription_id", tenantId);
  }

  /**
   * @param pastDueBefore past due since before this
   * @param limit at most this many
   * @return past-due subscriptions whose grace is over and not yet applied
   */
  public List<String> graceOver(Instant pastDueBefore, int limit) {
    @SuppressWarnings("unchecked")
    List<String> ids = em.createNativeQuery("""
        SELECT subscription_id FROM {h-schema}payment_subscription
        WHERE status = 'past_due' AND grace_ended_at IS NULL AND past_due_since <= ?1
        ORDER BY past_due_since LIMIT ?2""", String.class)
        .setParameter(1, Timestamp.from(pastDueBefore)).setParameter(2, limit).getResultList();
    return ids;
  }

  /**
   * @param provider the provider's id
   * @param state the state to store, replacing what was stored
   */
  public void upsert(String provider, SubscriptionState state) {
    em.createNativeQuery("""
        INSERT INTO {h-schema}payment_subscription (subscription_id, provider, tenant_id, customer_id, status, plan,
                                          current_period_end, past_due_since, grace_ended_at, updated_at)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, now())
        ON CONFLICT (subscription_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id,
          customer_id = EXCLUDED.customer_id, status = EXCLUDED.status, plan = EXCLUDED.plan,
          current_period_end = EXCLUDED.current_period_end, past_due_since = EXCLUDED.past_due_since,
          grace_ended_at = EXCLUDED.grace_ended_at, updated_at = now()""")
        .setParameter(1, state.id()).setParameter(2, provider).setParameter(3, state.tenantId())
        .setParameter(4, state.customerId()).setParameter(5, state.status()).setParameter(6, state.plan())
        .setParameter(7, timestamp(state.currentPeriodEnd())).setParameter(8, timestamp(state.pastDueSince()))
        .setParameter(9, timestamp(state.graceEndedAt())).executeUpdate();
  }

  /**
   * Claims an event for processing. A second delivery of the same id waits here until the first one's transaction
   * ends: if that committed, the claim fails (a replay); if it rolled back, this one processes it.
   *
   * @param provider the provider's id
   * @param event the verified event
   * @return whether this transaction holds the event now (false: processed before)
   */
  public boolean claimEvent(String provider, ProviderEvent event) {
    return em.createNativeQuery("""
        INSERT INTO {h-schema}payment_webhook_event (event_id, provider, type, api_version, created, outcome)
        VALUES (?1, ?2, ?3, ?4, ?5, 'processing') ON CONFLICT (event_id) DO NOTHING""")
        .setParameter(1, event.id()).setParameter(2, provider).setParameter(3, truncate(event.type(), 128))
        .setParameter(4, truncate(event.apiVersion(), 64)).setParameter(5, timestamp(event.created()))
        .executeUpdate() == 1;
  }

  /**
   * @param eventId a claimed event
   * @param outcome what processing it did
   * @param detail why, for people
   */
  public void recordOutcome(String eventId, String outcome, String detail) {
    em.createNativeQuery("UPDATE {h-schema}payment_webhook_event SET outcome = ?2, detail = ?3 WHERE event_id = ?1")
        .setParameter(1, eventId).setParameter(2, outcome).setParameter(3, truncate(detail, 1000)).executeUpdate();
  }

  /**
   * @param eventId an event id
   * @return the outcome stored for it
   */
  public Optional<String> outcome(String eventId) {
    return em.createNativeQuery("SELECT outcome FROM {h-schema}payment_webhook_event WHERE event_id = ?1", String.class)
        .setParameter(1, eventId).getResultStream().findFirst().map(String.class::cast);
  }

  private List<SubscriptionState> rows(String sql, String parameter) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows = em.createNativeQuery(sql).setParameter(1, parameter).getResultList();
    return rows.stream().map(r -> new SubscriptionState((String) r[0], (String) r[1], (String) r[2], (String) r[3],
        (String) r[4], instant(r[5]), instant(r[6]), instant(r[7]))).toList();
  }

  private static Timestamp timestamp(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  private static Instant instant(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Timestamp t) {
      return t.toInstant();
    }
    if (value instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    if (value instanceof Instant i) {
      return i;
    }
    throw new IllegalStateException("Unexpected timestamp type " + value.getClass());
  }

  private static String truncate(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }
}
