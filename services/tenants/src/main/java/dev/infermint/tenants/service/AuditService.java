package dev.infermint.tenants.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;
import dev.infermint.tenants.repository.AuditEventEntity;
import dev.infermint.tenants.repository.AuditEventRepository;
import dev.infermint.tenants.rest.AuditEventResponse;
import dev.infermint.tenants.rest.AuditPageResponse;

/**
 * The audit log of management actions. {@link #record} joins the transaction of the change it records, so an
 * action and its event are stored together or not at all; actions on Keycloak (members) are recorded in a
 * transaction right after Keycloak accepted them.
 */
@ApplicationScoped
public class AuditService {

  /** Page size when {@code limit} is not given. */
  public static final int DEFAULT_LIMIT = 50;
  /** Largest page. */
  public static final int MAX_LIMIT = 200;

  @Inject
  AuditEventRepository events;

  /**
   * Records an action in the caller's transaction.
   *
   * @param actor who did it
   * @param tenantId the tenant it concerns
   * @param action what was done
   * @param target the id of what it was done to
   * @param details further facts, may be null
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void record(Actor actor, String tenantId, AuditAction action, String target, Map<String, Object> details) {
    AuditEventEntity event = new AuditEventEntity();
    event.tenantId = tenantId;
    event.actor = actor.subject();
    event.actorKind = actor.kind();
    event.action = action.wireName();
    event.target = target;
    event.requestId = actor.requestId();
    event.occurredAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    event.details = details == null || details.isEmpty() ? null : details;
    events.persist(event);
  }

  /**
   * A page of a tenant's events, newest first. The caller has checked access to the tenant.
   *
   * @param tenantId the tenant
   * @param limit the page size as given ({@code 1}–{@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}), may be
   *     null
   * @param before an event id: only older events; null for the newest
   * @return the page
   * @throws ProblemException 422 naming {@code limit} or {@code before}
   */
  @Transactional
  public AuditPageResponse list(String tenantId, String limit, String before) {
    int size = DEFAULT_LIMIT;
    if (limit != null) {
      try {
        size = Integer.parseInt(limit);
      } catch (NumberFormatException e) {
        size = -1;
      }
      if (size < 1 || size > MAX_LIMIT) {
        throw Problems.validation("limit", "must be a whole number from 1 to " + MAX_LIMIT);
      }
    }
    Long cursor = null;
    if (before != null) {
      try {
        cursor = Long.parseLong(before);
      } catch (NumberFormatException e) {
        throw Problems.validation("before", "must be the id of an event from a previous page");
      }
    }
    List<AuditEventResponse> page = events.page(tenantId, cursor, size).stream()
        .map(e -> new AuditEventResponse(e.id, e.actor, e.actorKind, e.action, e.target, e.requestId, e.occurredAt,
            e.details))
        .toList();
    return new AuditPageResponse(page);
  }
}
