package dev.infermint.tenants.service;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;
import dev.infermint.tenants.repository.AuditEventEntity;
import dev.infermint.tenants.repository.AuditEventRepository;
import dev.infermint.tenants.rest.AuditEventResponse;
import dev.infermint.tenants.rest.AuditPageResponse;
import dev.infermint.tenants.rest.RecordAuditRequest;

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

  private static final Set<String> ACTOR_KINDS = Set.of("user", "api_key", "service");

  @Inject
  AuditEventRepository events;

  /**
   * Checks an event another service sent, before anything is stored.
   *
   * @param request the event as sent
   * @return its id
   * @throws ProblemException 422 naming the first missing or malformed field
   */
  public static UUID validate(RecordAuditRequest request) {
    if (request == null) {
      throw Problems.validation("id", "is required (the body is empty)");
    }
    UUID id;
    try {
      id = UUID.fromString(required("id", request.id()));
    } catch (IllegalArgumentException e) {
      throw Problems.validation("id", "must be a UUID");
    }
    if (required("tenantId", request.tenantId()).length() > 64) {
      throw Problems.validation("tenantId", "must be at most 64 characters");
    }
    if (!ACTOR_KINDS.contains(required("actorKind", request.actorKind()))) {
      throw Problems.validation("actorKind", "must be one of user, api_key, service");
    }
    if (!AuditAction.isForeign(required("action", request.action()))) {
      throw Problems.validation("action", "must be a lower-case name under one of " + AuditAction.FOREIGN_PREFIXES
          + ", at most 64 characters (got '" + request.action() + "')");
    }
    if (request.actor() != null && request.actor().length() > 255) {
      throw Problems.validation("actor", "must be at most 255 characters");
    }
    if (required("target", request.target()).length() > 255) {
      throw Problems.validation("target", "must be at most 255 characters");
    }
    if (request.requestId() != null && request.requestId().length() > 128) {
      throw Problems.validation("requestId", "must be at most 128 characters");
    }
    try {
      Instant.parse(required("occurredAt", request.occurredAt()));
    } catch (DateTimeParseException e) {
      throw Problems.validation("occurredAt", "must be an ISO-8601 instant, e.g. 2026-01-31T12:00:00Z");
    }
    return id;
  }

  private static String required(String field, String value) {
    if (value == null || value.isBlank()) {
      throw Problems.validation(field, "is required");
    }
    return value;
  }

  /**
   * Stores an event another service sent, once per event id.
   *
   * @param request the event, already {@linkplain #validate validated}
   * @return the stored event, and whether it was stored now (false: it was there already)
   */
  @Transactional
  public Stored recordForeign(RecordAuditRequest request) {
    UUID id = validate(request);
    Optional<AuditEventEntity> existing = events.findByEventId(id);
    if (existing.isPresent()) {
      return new Stored(response(existing.get()), false);
    }
    AuditEventEntity event = new AuditEventEntity();
    event.eventId = id;
    event.tenantId = request.tenantId();
    event.actor = request.actor();
    event.actorKind = request.actorKind();
    event.action = request.action();
    event.target = request.target();
    event.requestId = request.requestId();
    event.occurredAt = Instant.parse(request.occurredAt()).truncatedTo(ChronoUnit.MICROS);
    event.details = request.details() == null || request.details().isEmpty() ? null : request.details();
    events.persistAndFlush(event);
    return new Stored(response(event), true);
  }

  /**
   * @param eventId the sender's id of an event
   * @return the event stored under it
   */
  @Transactional
  public Optional<AuditEventResponse> findForeign(UUID eventId) {
    return events.findByEventId(eventId).map(AuditService::response);
  }

  /**
   * An event as stored by {@link #recordForeign}.
   *
   * @param event the event
   * @param created whether this call stored it
   */
  public record Stored(AuditEventResponse event, boolean created) {
  }

  private static AuditEventResponse response(AuditEventEntity e) {
    return new AuditEventResponse(e.id, e.actor, e.actorKind, e.action, e.target, e.requestId, e.occurredAt,
        e.details);
  }

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
        .map(AuditService::response)
        .toList();
    return new AuditPageResponse(page);
  }
}
