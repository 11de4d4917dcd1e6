package dev.infermint.registry.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.quarkus.arc.Arc;
import io.vertx.core.http.HttpServerRequest;

import dev.infermint.auth.Caller;
import dev.infermint.problem.RequestIds;
import dev.infermint.registry.repository.AuditOutboxEntity;
import dev.infermint.registry.repository.AuditOutboxRepository;

/**
 * Writes audit events of management actions on a tenant's models into {@code registry.audit_outbox}, inside the
 * transaction of the action itself, so an action and its event are stored together or not at all.
 * {@link AuditRelay} delivers them to the tenants service. Actions on the public catalog ({@link Owners#PUBLIC})
 * concern no tenant and are not recorded.
 */
@ApplicationScoped
public class AuditOutbox {

  /** A version was uploaded. */
  public static final String VERSION_UPLOADED = "model.version_uploaded";
  /** A version was deleted. */
  public static final String VERSION_DELETED = "model.version_deleted";
  /** An alias was pointed at a version. */
  public static final String ALIAS_SET = "model.alias_set";
  /** An alias was removed. */
  public static final String ALIAS_DELETED = "model.alias_deleted";
  /** A model's deployment settings changed. */
  public static final String DEPLOYMENT_CHANGED = "model.deployment_changed";
  /** A model's description or tags changed. */
  public static final String MODEL_UPDATED = "model.updated";
  /** A version's description or tags changed. */
  public static final String VERSION_UPDATED = "model.version_updated";
  /** A platform admin published a tenant's version to the public catalog (recorded for that tenant). */
  public static final String VERSION_PUBLISHED = "model.version_published";

  @Inject
  AuditOutboxRepository outbox;

  @Inject
  Instance<Caller> caller;

  @Inject
  Instance<HttpServerRequest> request;

  /**
   * Adds an event to the outbox in the caller's transaction; nothing for the public catalog.
   *
   * @param owner the model's owner: the tenant the event belongs to
   * @param action what was done, one of the constants here
   * @param target what it was done to, e.g. {@code model/sentiment/versions/3}
   * @param details further facts, may be null
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void record(String owner, String action, String target, Map<String, Object> details) {
    if (owner == null || Owners.PUBLIC.equals(owner)) {
      return;
    }
    AuditOutboxEntity event = new AuditOutboxEntity();
    event.id = UUID.randomUUID();
    event.tenantId = owner;
    event.actorKind = "service";
    if (Arc.container().requestContext().isActive()) {
      Caller who = caller.get();
      event.actor = who.subject();
      if (who.authenticated()) {
        event.actorKind = who.kind().name().toLowerCase(Locale.ROOT);
      }
      String requestId = request.get().getHeader(RequestIds.HEADER);
      event.requestId = requestId == null || requestId.isBlank() ? null
          : requestId.substring(0, Math.min(128, requestId.length()));
    }
    event.action = action;
    event.target = target;
    event.occurredAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    event.details = details == null || details.isEmpty() ? null : details;
    outbox.persist(event);
  }
}
