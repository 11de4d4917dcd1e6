package dev.infermint.registry.service;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JacksonException;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.oidc.client.OidcClientException;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.VertxException;

import dev.infermint.registry.client.TenantsAuditClient;
import dev.infermint.registry.config.RegistryConfig;
import dev.infermint.registry.repository.AuditOutboxEntity;
import dev.infermint.registry.repository.AuditOutboxRepository;

/**
 * Delivers the audit outbox to the tenants service: oldest first, each row deleted only after the tenants service
 * answered 200 or 201. Delivery is at-least-once and the tenants service stores each event id once.
 *
 * <p>Two kinds of failure, told apart by {@link #outcome(int)} and {@link #outcome(Throwable)}:
 * <ul>
 *   <li><b>Outage</b> — the tenants service is unreachable, slow, failing (5xx), or refuses the registry's
 *   credentials (401/403, 408, 429; no service token from Keycloak). The run stops and the row stays first in line,
 *   so nothing is lost or reordered while tenants is down; only {@code attempts} counts it.</li>
 *   <li><b>Refusal</b> — the tenants service answers this one event with another 4xx, or sending it fails in a way
 *   that is about the event (it cannot be written as JSON, or any failure that is not an outage). The row waits
 *   ({@code next_attempt_at}: {@code audit-relay-backoff}, doubling, at most {@code audit-relay-max-backoff}) while
 *   the rows behind it go on; after {@code audit-relay-max-refusals} refusals it is set aside ({@code failed_at},
 *   {@code last_error}), kept in the table and logged at ERROR, and never sent again until an operator clears
 *   {@code failed_at}.</li>
 * </ul>
 */
@ApplicationScoped
public class AuditRelay {

  private static final Logger LOG = Logger.getLogger(AuditRelay.class);
  private static final int MAX_ERROR = 1000;

  /** What one delivery came to. */
  enum Outcome {
    /** Stored by the tenants service (201), or stored before (200). */
    DELIVERED,
    /** The tenants service cannot take events now: stop, retry this row first. */
    OUTAGE,
    /** The tenants service refused this event: back it off and go on with the next. */
    REFUSED
  }

  @Inject
  AuditOutboxRepository outbox;

  @Inject
  @RestClient
  TenantsAuditClient tenants;

  @Inject
  RegistryConfig config;

  /** Runs the relay on the configured interval; a run still busy makes the next one skip. */
  @Scheduled(every = "${infermint.registry.audit-relay-interval:2s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    relay();
  }

  /**
   * Sends the due events, oldest first, until an outage or the end of the batch.
   *
   * @return how many events were delivered and deleted
   */
  public int relay() {
    List<AuditOutboxEntity> due = QuarkusTransaction.requiringNew()
        .call(() -> outbox.due(Instant.now(), config.auditRelayBatch()));
    int delivered = 0;
    for (AuditOutboxEntity event : due) {
      Outcome outcome;
      String error;
      try (Response response = tenants.record(body(event))) {
        outcome = outcome(response.getStatus());
        error = outcome == Outcome.DELIVERED ? null : "HTTP " + response.getStatus() + " " + entity(response);
      } catch (WebApplicationException e) {
        outcome = outcome(e.getResponse().getStatus());
        error = "HTTP " + e.getResponse().getStatus() + " " + entity(e.getResponse());
      } catch (RuntimeException e) {
        outcome = outcome(e);
        error = e.toString();
      }
      switch (outcome) {
        case DELIVERED -> {
          QuarkusTransaction.requiringNew().run(() -> outbox.deleteById(event.id));
          delivered++;
        }
        case OUTAGE -> {
          LOG.warnf("Could not send audit event %s to the tenants service, retrying later: %s", event.id, error);
          QuarkusTransaction.requiringNew()
              .run(() -> outbox.update("attempts = attempts + 1 where id = ?1", event.id));
          return delivered;
        }
        case REFUSED -> refused(event, error);
        default -> throw new IllegalStateException(outcome.name());
      }
    }
    return delivered;
  }

  /**
   * @param status the tenants service's answer
   * @return what it means for the event: a 4xx other than 401, 403, 408 and 429 refuses it; any other status but
   *     200/201 (5xx, a redirect to somewhere else) is an outage
   */
  static Outcome outcome(int status) {
    if (status == 200 || status == 201) {
      return Outcome.DELIVERED;
    }
    boolean aboutTheEvent = status >= 400 && status < 500 && status != 401 && status != 403 && status != 408
        && status != 429;
    return aboutTheEvent ? Outcome.REFUSED : Outcome.OUTAGE;
  }

  /**
   * @param failure what sending the event threw
   * @return {@link Outcome#OUTAGE} for a failure to reach the tenants service (I/O, timeouts, the HTTP client, no
   *     service token), {@link Outcome#REFUSED} for one about the event (it cannot be written as JSON) or any other
   */
  static Outcome outcome(Throwable failure) {
    boolean transport = false;
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof JacksonException) {
        return Outcome.REFUSED; // a JSON failure is an IOException too, but it is about this event's content
      }
      transport |= t instanceof IOException || t instanceof TimeoutException || t instanceof VertxException
          || t instanceof OidcClientException;
    }
    return transport ? Outcome.OUTAGE : Outcome.REFUSED;
  }

  private void refused(AuditOutboxEntity event, String error) {
    int refusals = event.refusals + 1;
    String lastError = error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    if (refusals >= config.auditRelayMaxRefusals()) {
      LOG.errorf("The tenants service refused audit event %s (tenant %s, %s on %s) %d times; set aside in "
          + "registry.audit_outbox (failed_at), not sent again until failed_at is cleared. Last: %s", event.id,
          event.tenantId, event.action, event.target, refusals, lastError);
      QuarkusTransaction.requiringNew().run(() -> outbox.update("attempts = attempts + 1, refusals = ?2, "
          + "lastError = ?3, failedAt = ?4, nextAttemptAt = null where id = ?1", event.id, refusals, lastError, now));
      return;
    }
    Duration wait = backoff(refusals);
    LOG.warnf("The tenants service refused audit event %s (%d of %d): %s; retrying in %s, later events go on",
        event.id, refusals, config.auditRelayMaxRefusals(), lastError, wait);
    QuarkusTransaction.requiringNew().run(() -> outbox.update("attempts = attempts + 1, refusals = ?2, "
        + "lastError = ?3, nextAttemptAt = ?4 where id = ?1", event.id, refusals, lastError, now.plus(wait)));
  }

  /**
   * @param refusals refusals so far, at least 1
   * @return the wait before the next try: the configured backoff, doubled per further refusal, capped
   */
  Duration backoff(int refusals) {
    Duration base = config.auditRelayBackoff();
    Duration max = config.auditRelayMaxBackoff();
    Duration wait = base.multipliedBy(1L << Math.min(refusals - 1, 30));
    return wait.compareTo(max) > 0 || wait.isNegative() ? max : wait;
  }

  private static String entity(Response response) {
    try {
      String body = response.hasEntity() ? response.readEntity(String.class) : "";
      return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static Map<String, Object> body(AuditOutboxEntity event) {
    Map<String, Object> body = new HashMap<>();
    body.put("id", event.id.toString());
    body.put("tenantId", event.tenantId);
    body.put("actor", event.actor);
    body.put("actorKind", event.actorKind);
    body.put("action", event.action);
    body.put("target", event.target);
    body.put("requestId", event.requestId);
    body.put("occurredAt", DateTimeFormatter.ISO_INSTANT.format(event.occurredAt));
    body.put("details", event.details);
    return body;
  }
}
