package dev.infermint.billing.service;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.infermint.billing.repository.UsageDeadLetterEntity;
import dev.infermint.billing.repository.UsageDeadLetterRepository;
import dev.infermint.billing.repository.UsageEventEntity;
import dev.infermint.billing.repository.UsageEventRepository;
import dev.infermint.billing.repository.UsageEventRepository.Grouping;
import dev.infermint.problem.Problems;

/** Stores usage events (idempotently, a batch per transaction) and reports usage per tenant. */
@ApplicationScoped
public class UsageService {

  /**
   * What one {@link #store} call did.
   *
   * @param inserted events stored now
   * @param duplicates events whose event id was already stored (a replay or a re-delivery), counted once
   * @param deadLetters entries set aside as not billable
   */
  public record Stored(int inserted, int duplicates, int deadLetters) {
  }

  /** Today is a UTC day. */
  private final Clock clock = Clock.systemUTC();

  @Inject
  UsageEventRepository repository;
  @Inject
  UsageDeadLetterRepository deadLetterRepository;
  @Inject
  ObjectMapper json;

  /**
   * Stores a batch in one transaction: each event unless its event id is already stored, and each dead letter unless
   * that stream entry is already set aside. Either all of it is committed or none, so the caller acknowledges the
   * batch's stream entries only after this returns.
   *
   * @param records the admitted calls to bill
   * @param rejected the entries that cannot be billed
   * @return what was stored
   */
  @Transactional
  public Stored store(List<UsageRecord> records, List<UsageDeadLetter> rejected) {
    int inserted = repository.insertAbsent(records.stream().map(UsageService::toEntity).toList());
    int set = 0;
    for (UsageDeadLetter d : rejected) {
      if (deadLetterRepository.insertIfAbsent(toEntity(d))) {
        set++;
      }
    }
    return new Stored(inserted, records.size() - inserted, set);
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

  private static UsageEventEntity toEntity(UsageRecord r) {
    UsageEventEntity e = new UsageEventEntity();
    e.eventId = r.eventId();
    e.requestId = r.requestId();
    e.tenantId = r.tenantId();
    e.keyId = r.keyId();
    e.model = r.model();
    e.modelVersion = r.modelVersion();
    e.endpoint = r.endpoint();
    e.units = r.units();
    e.computeMs = r.computeMs();
    e.status = r.status();
    e.occurredAt = r.occurredAt();
    e.overage = r.overage();
    return e;
  }

  private UsageDeadLetterEntity toEntity(UsageDeadLetter d) {
    UsageDeadLetterEntity e = new UsageDeadLetterEntity();
    e.streamKey = d.streamKey();
    e.streamId = d.streamId();
    try {
      Map<String, String> fields = new TreeMap<>();
      d.fields().forEach((k, v) -> fields.put(storable(k), v == null ? null : storable(v)));
      e.fields = json.writeValueAsString(fields);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("A map of strings is always JSON", ex);
    }
    e.reason = storable(d.reason());
    return e;
  }

  /**
   * PostgreSQL text and JSONB hold no NUL character, and a dead letter is often there because of one: it is kept as
   * U+FFFD instead.
   */
  private static String storable(String s) {
    return s.replace('\0', '\uFFFD');
  }
}
