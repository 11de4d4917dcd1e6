package dev.infermint.testsupport.stripe;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Billing meters, meter events and meter event summaries, with the rules Stripe documents for meter events: the
 * event name must belong to an active meter, the timestamp must lie within the past 35 days and at most 5 minutes
 * ahead, and an {@code identifier} seen before is rejected (400, {@code Stripe-Should-Retry: false}) and never
 * counted twice.
 */
final class MeterHandler {

  static final long MAX_AGE_SECONDS = 35L * 24 * 3600;
  static final long MAX_FUTURE_SECONDS = 5L * 60;
  private static final Set<String> FORMULAS = Set.of("sum", "count", "last");

  private final Store store;

  MeterHandler(Store store) {
    this.store = store;
  }

  void routes(Router router) {
    router.post("/v1/billing/meters", this::createMeter);
    router.get("/v1/billing/meters", this::listMeters);
    router.get("/v1/billing/meters/{id}", this::retrieveMeter);
    router.post("/v1/billing/meters/{id}/deactivate", r -> setStatus(r, "inactive"));
    router.post("/v1/billing/meters/{id}/reactivate", r -> setStatus(r, "active"));
    router.post("/v1/billing/meter_events", this::createEvent);
    router.get("/v1/billing/meters/{id}/event_summaries", this::summaries);
  }

  private Map<String, Object> createMeter(ApiRequest request) {
    String eventName = request.requiredString("event_name");
    String displayName = request.requiredString("display_name");
    Object formula = request.map("default_aggregation").get("formula");
    if (formula == null) {
      throw StripeError.missingParam("default_aggregation[formula]");
    }
    if (!FORMULAS.contains(formula)) {
      throw StripeError.invalid("Invalid default_aggregation[formula]: must be one of sum, count, or last",
          "default_aggregation[formula]");
    }
    if (activeMeter(eventName) != null) {
      throw StripeError.invalid("A meter with event_name `" + eventName + "` already exists.", "event_name");
    }
    Map<String, Object> mapping = request.map("customer_mapping");
    Map<String, Object> valueSettings = request.map("value_settings");
    long now = store.now();
    Map<String, Object> meter = Json.obj("id", store.newId("mtr_test_"), "object", "billing.meter", "created", now,
        "customer_mapping", Json.obj("event_payload_key", mapping.getOrDefault("event_payload_key",
            "stripe_customer_id"), "type", mapping.getOrDefault("type", "by_id")),
        "default_aggregation", Json.obj("formula", formula), "display_name", displayName, "event_name", eventName,
        "event_time_window", request.string("event_time_window"), "livemode", false, "status", "active",
        "status_transitions", Json.obj("deactivated_at", null), "updated", now,
        "value_settings", Json.obj("event_payload_key", valueSettings.getOrDefault("event_payload_key", "value")));
    store.put(meter);
    return Json.copy(meter);
  }

  private Map<String, Object> listMeters(ApiRequest request) {
    String status = request.string("status");
    List<Map<String, Object>> matching = store.all("billing.meter").stream()
        .filter(m -> status == null || status.equals(m.get("status"))).toList();
    return Listing.list(matching, request, "/v1/billing/meters", store);
  }

  private Map<String, Object> retrieveMeter(ApiRequest request) {
    return Json.copy(requireMeter(request.pathParam("id")));
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> setStatus(ApiRequest request, String status) {
    Map<String, Object> meter = requireMeter(request.pathParam("id"));
    meter.put("status", status);
    meter.put("updated", store.now());
    ((Map<String, Object>) meter.get("status_transitions")).put("deactivated_at",
        "inactive".equals(status) ? store.now() : null);
    return Json.copy(meter);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> createEvent(ApiRequest request) {
    String eventName = request.requiredString("event_name");
    Map<String, Object> meter = activeMeter(eventName);
    if (meter == null) {
      throw StripeError.invalid("No active meter was found with event_name `" + eventName + "`.", "event_name");
    }
    Map<String, Object> payload = request.map("payload");
    String customerKey = (String) ((Map<String, Object>) meter.get("customer_mapping")).get("event_payload_key");
    String valueKey = (String) ((Map<String, Object>) meter.get("value_settings")).get("event_payload_key");
    Object customer = payload.get(customerKey);
    if (!(customer instanceof String) || ((String) customer).isEmpty()) {
      throw StripeError.missingParam("payload[" + customerKey + "]");
    }
    CustomerHandler.require(store, (String) customer, "payload[" + customerKey + "]");
    BigDecimal value = value(meter, payload, valueKey);
    long now = store.now();
    Long timestamp = request.longValue("timestamp");
    if (timestamp == null) {
      timestamp = now;
    }
    if (timestamp < now - MAX_AGE_SECONDS) {
      throw StripeError.invalid("Timestamp " + timestamp + " is too far in the past: meter events must be within"
          + " the past 35 calendar days.", "timestamp");
    }
    if (timestamp > now + MAX_FUTURE_SECONDS) {
      throw StripeError.invalid("Timestamp " + timestamp + " is too far in the future: meter events may be at most"
          + " 5 minutes ahead.", "timestamp");
    }
    String identifier = request.string("identifier");
    if (identifier == null || identifier.isEmpty()) {
      identifier = store.newId("");
    }
    if (!store.recordMeterEvent((String) meter.get("id"),
        new Store.Usage(identifier, (String) customer, timestamp, value))) {
      throw StripeError.duplicateMeterEvent(identifier);
    }
    return Json.obj("object", "billing.meter_event", "created", now, "event_name", eventName,
        "identifier", identifier, "livemode", false, "payload", Json.copy(payload), "timestamp", timestamp);
  }

  @SuppressWarnings("unchecked")
  private static BigDecimal value(Map<String, Object> meter, Map<String, Object> payload, String valueKey) {
    Object raw = payload.get(valueKey);
    String formula = (String) ((Map<String, Object>) meter.get("default_aggregation")).get("formula");
    if (raw == null) {
      if ("count".equals(formula)) {
        return BigDecimal.ONE;
      }
      throw StripeError.missingParam("payload[" + valueKey + "]");
    }
    if (!(raw instanceof String)) {
      throw StripeError.invalid("Invalid payload[" + valueKey + "]", "payload[" + valueKey + "]");
    }
    return ApiRequest.parseDecimal((String) raw, "payload[" + valueKey + "]");
  }

  private Map<String, Object> summaries(ApiRequest request) {
    Map<String, Object> meter = requireMeter(request.pathParam("id"));
    String customer = request.requiredString("customer");
    Long start = request.longValue("start_time");
    Long end = request.longValue("end_time");
    if (start == null) {
      throw StripeError.missingParam("start_time");
    }
    if (end == null) {
      throw StripeError.missingParam("end_time");
    }
    String window = request.string("value_grouping_window");
    long step = stepOf(window);
    requireAligned(start, "start_time", window);
    requireAligned(end, "end_time", window);
    if (start >= end) {
      throw StripeError.invalid("start_time must be before end_time.", "start_time");
    }
    String meterId = (String) meter.get("id");
    List<Map<String, Object>> rows = new ArrayList<>();
    long width = step == 0 ? end - start : step;
    for (long from = start; from < end; from += width) {
      long to = Math.min(end, from + width);
      BigDecimal aggregated = aggregate(meter, customer, from, to);
      // A stable id per window, so starting_after pages through the same rows on every call.
      String id = "mtrusg_test_" + meterId.substring("mtr_test_".length()) + "_" + from + "_" + to;
      rows.add(Json.obj("id", id, "object", "billing.meter_event_summary",
          "aggregated_value", jsonNumber(aggregated), "end_time", to, "livemode", false, "meter", meterId,
          "start_time", from));
    }
    return Listing.list(rows, request, "/v1/billing/meters/" + meterId + "/event_summaries", store);
  }

  /** @return {@code 7} rather than {@code 7.0} or {@code 7E+0}, as Stripe writes whole aggregates */
  private static Number jsonNumber(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.scale() <= 0 ? stripped.toBigIntegerExact() : stripped;
  }

  /**
   * Stripe documents that summary bounds must be aligned with minute boundaries; with
   * {@code value_grouping_window=hour} with hour boundaries, and with {@code day} with UTC day boundaries.
   */
  private static void requireAligned(long time, String param, String window) {
    long unit = window == null ? 60 : stepOf(window);
    if (time % unit != 0) {
      String what = unit == 60 ? "minute" : unit == 3600 ? "hour" : "day (00:00 UTC)";
      throw StripeError.invalid(param + " must be aligned with " + what + " boundaries.", param);
    }
  }

  private static long stepOf(String window) {
    if (window == null) {
      return 0;
    }
    return switch (window) {
      case "hour" -> 3600;
      case "day" -> 86400;
      default -> throw StripeError.invalid("Invalid value_grouping_window: must be one of day or hour",
          "value_grouping_window");
    };
  }

  /**
   * @return the meter's aggregate for one customer over [from, to): sum or count of events (adjustments add their
   *     value to either), or the last event's value
   */
  @SuppressWarnings("unchecked")
  BigDecimal aggregate(Map<String, Object> meter, String customer, long from, long to) {
    String formula = (String) ((Map<String, Object>) meter.get("default_aggregation")).get("formula");
    List<Store.Usage> usage = store.usage((String) meter.get("id")).stream()
        .filter(u -> u.customer().equals(customer) && u.timestamp() >= from && u.timestamp() < to).toList();
    return switch (formula) {
      case "count" -> usage.stream().map(u -> u.identifier() == null ? u.value() : BigDecimal.ONE)
          .reduce(BigDecimal.ZERO, BigDecimal::add);
      case "last" -> usage.stream().max(Comparator.comparingLong(Store.Usage::timestamp)).map(Store.Usage::value)
          .orElse(BigDecimal.ZERO);
      default -> usage.stream().map(Store.Usage::value).reduce(BigDecimal.ZERO, BigDecimal::add);
    };
  }

  Map<String, Object> activeMeter(String eventName) {
    return store.all("billing.meter").stream()
        .filter(m -> eventName.equals(m.get("event_name")) && "active".equals(m.get("status"))).findFirst()
        .orElse(null);
  }

  Map<String, Object> requireMeter(String id) {
    Map<String, Object> meter = store.get("billing.meter", id);
    if (meter == null) {
      throw StripeError.noSuch("billing meter", id, "id");
    }
    return meter;
  }
}
