package dev.infermint.registry.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The numbered log of every change workers and gateways follow: versions created and deleted, aliases moved,
 * deployments changed, placements and the serving version changed, workers registered and lost.
 *
 * <p>An event is written in the transaction of its change, with {@code pg_notify('infermint_registry', ...)}, which
 * PostgreSQL delivers when (and only if) that transaction commits: the outbox and the push in one step, as the tenants
 * service announces revocations. A consumer keeps the last {@code seq} it applied and reads
 * {@code GET /internal/events?after=<seq>} on a notification or on its own timer, so nothing is missed while it was
 * away. After a commit that recorded a model change, {@link ModelChanged} fires so that placement re-runs at once.
 */
@ApplicationScoped
public class RegistryEvents {

  /** The PostgreSQL notification channel. */
  public static final String CHANNEL = "infermint_registry";

  /** A version was uploaded (or published to the catalog). */
  public static final String VERSION_CREATED = "version_created";
  /** A version was deleted. */
  public static final String VERSION_DELETED = "version_deleted";
  /** An alias was pointed at a version. */
  public static final String ALIAS_SET = "alias_set";
  /** An alias was removed. */
  public static final String ALIAS_DELETED = "alias_deleted";
  /** A deployment's settings changed. */
  public static final String DEPLOYMENT_CHANGED = "deployment_changed";
  /** A model's placements changed: a replica assigned, ready, failed or removed. */
  public static final String PLACEMENT_CHANGED = "placement_changed";
  /** A deployed model's serving version moved (a rollout finished). */
  public static final String SERVING_CHANGED = "serving_changed";
  /** A worker registered for the first time, or came back after being lost. */
  public static final String WORKER_REGISTERED = "worker_registered";
  /** A worker stopped heartbeating; its placements move. */
  public static final String WORKER_LOST = "worker_lost";

  /** Fired after the commit of a transaction that recorded an event. */
  public record ModelChanged(String type) {
  }

  /**
   * One event as consumers read it.
   *
   * @param seq its number, increasing
   * @param type one of the constants here
   * @param owner the model's owner, null for worker events
   * @param model the model name, null for worker events
   * @param version the version concerned, may be null
   * @param workerId the worker concerned, may be null
   * @param details further facts, may be null
   * @param occurredAt when
   */
  public record RegistryEvent(long seq, String type, String owner, String model, Integer version, String workerId,
      Map<String, Object> details, Instant occurredAt) {
  }

  @Inject
  EntityManager em;

  @Inject
  ObjectMapper json;

  @Inject
  TransactionSynchronizationRegistry transactions;

  @Inject
  Event<ModelChanged> changed;

  /**
   * Appends an event in the caller's transaction and announces it on commit.
   *
   * @param type what happened, one of the constants here
   * @param owner the model's owner, or null
   * @param model the model name, or null
   * @param version the version concerned, or null
   * @param workerId the worker concerned, or null
   * @param details further facts, or null
   * @return the event's sequence number
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public long record(String type, String owner, String model, Integer version, String workerId,
      Map<String, Object> details) {
    String detailsJson = null;
    try {
      detailsJson = details == null || details.isEmpty() ? null : json.writeValueAsString(details);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("event details are not JSON", e);
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    long seq = ((Number) em.createNativeQuery("insert into {h-schema}registry_event "
        + "(type, owner, model, version, worker_id, details, occurred_at) values (?1, ?2, ?3, ?4, ?5, cast(?6 as jsonb), ?7) "
        + "returning seq")
        .setParameter(1, type).setParameter(2, owner).setParameter(3, model).setParameter(4, version)
        .setParameter(5, workerId).setParameter(6, detailsJson).setParameter(7, now).getSingleResult()).longValue();
    Map<String, Object> note = new LinkedHashMap<>();
    note.put("seq", seq);
    note.put("type", type);
    if (owner != null) {
      note.put("owner", owner);
      note.put("model", model);
    }
    if (workerId != null) {
      note.put("workerId", workerId);
    }
    try {
      em.createNativeQuery("select 1 from (select pg_notify(?1, ?2)) n").setParameter(1, CHANNEL)
          .setParameter(2, json.writeValueAsString(note)).getSingleResult();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    if (transactions.getResource(ModelChanged.class) == null) {
      transactions.putResource(ModelChanged.class, Boolean.TRUE);
      transactions.registerInterposedSynchronization(new Synchronization() {
        @Override
        public void beforeCompletion() {
        }

        @Override
        public void afterCompletion(int status) {
          if (status == Status.STATUS_COMMITTED) {
            changed.fireAsync(new ModelChanged(type));
          }
        }
      });
    }
    return seq;
  }

  /**
   * @param after the last sequence number the consumer applied (0 for all)
   * @param limit most events to return
   * @return the events after it, oldest first
   */
  public List<RegistryEvent> after(long after, int limit) {
    return QuarkusTransaction.requiringNew().call(() -> {
      @SuppressWarnings("unchecked")
      List<Object[]> rows = em.createNativeQuery("select seq, type, owner, model, version, worker_id, "
          + "cast(details as text), occurred_at from {h-schema}registry_event where seq > ?1 order by seq limit ?2")
          .setParameter(1, after).setParameter(2, limit).getResultList();
      List<RegistryEvent> out = new ArrayList<>(rows.size());
      for (Object[] r : rows) {
        out.add(new RegistryEvent(((Number) r[0]).longValue(), (String) r[1], (String) r[2], (String) r[3],
            r[4] == null ? null : ((Number) r[4]).intValue(), (String) r[5], details((String) r[6]), instant(r[7])));
      }
      return out;
    });
  }

  /** @return the newest sequence number, 0 when there is none */
  public long last() {
    return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
        "select coalesce(max(seq), 0) from {h-schema}registry_event").getSingleResult()).longValue());
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> details(String text) {
    if (text == null) {
      return null;
    }
    try {
      return json.readValue(text, Map.class);
    } catch (JsonProcessingException e) {
      return Map.of("unreadable", text);
    }
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
    return Instant.parse(String.valueOf(value));
  }
}
