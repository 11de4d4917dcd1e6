package dev.infermint.registry.service;

import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import dev.infermint.registry.client.TenantsAuditClient;
import dev.infermint.registry.config.RegistryConfig;
import dev.infermint.registry.repository.AuditOutboxEntity;
import dev.infermint.registry.repository.AuditOutboxRepository;

/**
 * Delivers the audit outbox to the tenants service: oldest first, each row deleted only after the tenants service
 * answered 200 or 201. A failure keeps the row (and the ones after it) for the next run, so nothing is lost while
 * the tenants service is down; delivery is at-least-once and the tenants service stores each event id once.
 */
@ApplicationScoped
public class AuditRelay {

  private static final Logger LOG = Logger.getLogger(AuditRelay.class);

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
   * Sends pending events until one fails or the batch is done.
   *
   * @return how many events were delivered and deleted
   */
  public int relay() {
    List<AuditOutboxEntity> pending = QuarkusTransaction.requiringNew()
        .call(() -> outbox.oldest(config.auditRelayBatch()));
    int delivered = 0;
    for (AuditOutboxEntity event : pending) {
      int status;
      try (Response response = tenants.record(body(event))) {
        status = response.getStatus();
      } catch (WebApplicationException e) {
        status = e.getResponse().getStatus();
      } catch (RuntimeException e) {
        LOG.warnf("Could not send audit event %s to the tenants service, retrying later: %s", event.id,
            e.getMessage());
        markFailed(event);
        return delivered;
      }
      if (status != 200 && status != 201) {
        LOG.warnf("The tenants service answered %d to audit event %s, retrying later", status, event.id);
        markFailed(event);
        return delivered;
      }
      QuarkusTransaction.requiringNew().run(() -> outbox.deleteById(event.id));
      delivered++;
    }
    return delivered;
  }

  private void markFailed(AuditOutboxEntity event) {
    QuarkusTransaction.requiringNew().run(() -> outbox.update("attempts = attempts + 1 where id = ?1", event.id));
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
