package dev.infermint.billing.service;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.infermint.billing.repository.UsageEventEntity;
import dev.infermint.billing.repository.UsageEventRepository;
import dev.infermint.billing.repository.UsageEventRepository.Grouping;
import dev.infermint.billing.rest.UsageEvent;
import dev.infermint.billing.rest.UsageReport;
import dev.infermint.problem.Problems;

/** Records usage events (idempotently) and reports usage per tenant. */
@ApplicationScoped
public class UsageService {

  /** Longest accepted request id, as the column allows. */
  static final int MAX_REQUEST_ID = 128;
  /** Longest accepted tenant id, as the column allows. */
  static final int MAX_TENANT_ID = 64;
  /** Longest accepted model or endpoint, as the columns allow. */
  static final int MAX_NAME = 255;

  /**
   * The outcome of recording an event.
   *
   * @param created true when stored now, false when the request id was already recorded
   * @param event the event as stored (the first one, for a duplicate)
   */
  public record Recorded(boolean created, UsageEvent event) {
  }

  /** Today is a UTC day. */
  private final Clock clock = Clock.systemUTC();

  @Inject
  UsageEventRepository repository;

  /**
   * Stores one usage event unless its request id is already recorded.
   *
   * @param event the event
   * @return whether it was new, and the stored event
   * @throws dev.infermint.problem.ProblemException 422 {@code validation_failed} naming the first wrong field
   */
  @Transactional
  public Recorded record(UsageEvent event) {
    if (event == null) {
      throw Problems.malformed("The request body must be a usage event");
    }
    UsageEventEntity e = new UsageEventEntity();
    e.requestId = requireText("requestId", event.requestId(), MAX_REQUEST_ID);
    e.tenantId = requireText("tenantId", event.tenantId(), MAX_TENANT_ID);
    e.model = requireText("model", event.model(), MAX_NAME);
    e.endpoint = requireText("endpoint", event.endpoint(), MAX_NAME);
    e.units = nonNegative("units", event.units());
    e.computeMs = nonNegative("computeMs", event.computeMs());
    if (event.status() == null) {
      throw Problems.validation("status", "is required");
    }
    if (event.status() < 100 || event.status() > 599) {
      throw Problems.validation("status", "must be an HTTP status between 100 and 599");
    }
    e.status = event.status();
    if (event.occurredAt() == null) {
      throw Problems.validation("occurredAt", "is required");
    }
    e.occurredAt = event.occurredAt();
    if (repository.insertIfAbsent(e)) {
      return new Recorded(true, toEvent(e));
    }
    return new Recorded(false, repository.findByRequestId(e.requestId).map(UsageService::toEvent)
        .orElseThrow(() -> new IllegalStateException("Conflicting usage event vanished: " + e.requestId)));
  }

  /**
   * Sums a tenant's usage over whole UTC days, as {@code GET /api/v1/tenants/{tenantId}/usage} asks.
   *
   * @param tenantId the tenant (access already checked)
   * @param from first day included, {@code YYYY-MM-DD}; null for the first day of {@code to}'s month
   * @param to last day included, {@code YYYY-MM-DD}; null for today (UTC)
   * @param groupBy {@code day}, {@code model}, or null for a single row of totals
   * @return the report
   * @throws dev.infermint.problem.ProblemException 422 {@code validation_failed} naming {@code from}, {@code to} or
   *     {@code groupBy} when one is malformed or {@code from} is after {@code to}
   */
  @Transactional(Transactional.TxType.SUPPORTS)
  public UsageReport report(String tenantId, String from, String to, String groupBy) {
    LocalDate last = to == null || to.isBlank() ? LocalDate.now(clock) : date("to", to);
    LocalDate first = from == null || from.isBlank() ? last.withDayOfMonth(1) : date("from", from);
    if (first.isAfter(last)) {
      throw Problems.validation("from", "must not be after 'to' (" + last + ")");
    }
    Grouping grouping = grouping(groupBy);
    var rows = repository.aggregate(tenantId, first.atStartOfDay().toInstant(ZoneOffset.UTC),
            last.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC), grouping).stream()
        .map(a -> new UsageReport.Row(grouping == Grouping.DAY ? a.key() : null,
            grouping == Grouping.MODEL ? a.key() : null, a.requests(), a.units(), a.computeMs()))
        .toList();
    return new UsageReport(rows);
  }

  private static LocalDate date(String field, String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw Problems.validation(field, "must be a date as YYYY-MM-DD, got '" + value + "'");
    }
  }

  private static Grouping grouping(String groupBy) {
    if (groupBy == null || groupBy.isBlank()) {
      return Grouping.NONE;
    }
    return switch (groupBy.toLowerCase(Locale.ROOT)) {
      case "day" -> Grouping.DAY;
      case "model" -> Grouping.MODEL;
      default -> throw Problems.validation("groupBy", "must be 'day' or 'model', got '" + groupBy + "'");
    };
  }

  private static String requireText(String field, String value, int max) {
    if (value == null || value.isBlank()) {
      throw Problems.validation(field, "is required");
    }
    if (value.length() > max) {
      throw Problems.validation(field, "must be at most " + max + " characters");
    }
    return value;
  }

  private static long nonNegative(String field, Long value) {
    if (value == null) {
      return 0;
    }
    if (value < 0) {
      throw Problems.validation(field, "must not be negative");
    }
    return value;
  }

  private static UsageEvent toEvent(UsageEventEntity e) {
    return new UsageEvent(e.requestId, e.tenantId, e.model, e.endpoint, e.units, e.computeMs, e.status,
        e.occurredAt);
  }
}
