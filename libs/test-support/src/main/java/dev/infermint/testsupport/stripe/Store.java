package dev.infermint.testsupport.stripe;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the stand-in holds, in memory. Not thread-safe on its own: {@link StripeServer} runs every call and
 * every test control while holding this object's monitor, so handlers see one consistent state.
 */
final class Store {

  /** One usage fact a meter aggregates: a meter event, or a direct adjustment made by a test (no identifier). */
  record Usage(String identifier, String customer, long timestamp, BigDecimal value) {
  }

  private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private final SecureRandom random = new SecureRandom();
  private final Map<String, Map<String, Object>> objects = new LinkedHashMap<>();
  private final Map<String, List<Map<String, Object>>> sessionLineItems = new LinkedHashMap<>();
  private final Map<String, Map<String, Object>> subscriptionMetadata = new LinkedHashMap<>();
  private final Map<String, List<Usage>> usageByMeter = new LinkedHashMap<>();
  private final Set<String> meterEventIdentifiers = new HashSet<>();
  private final String baseUrl;
  private Clock clock = Clock.systemUTC();
  private int invoiceSequence;

  Store(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  String baseUrl() {
    return baseUrl;
  }

  void clock(Clock clock) {
    this.clock = clock;
  }

  /** @return the stand-in's current time, unix seconds */
  long now() {
    return clock.instant().getEpochSecond();
  }

  /** @return a Stripe-like id: the prefix and 24 random base-62 characters */
  String newId(String prefix) {
    StringBuilder sb = new StringBuilder(prefix);
    for (int i = 0; i < 24; i++) {
      sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    return sb.toString();
  }

  /** @return the next invoice number, e.g. {@code INFM-0001} */
  String nextInvoiceNumber() {
    invoiceSequence++;
    return String.format("INFM-%04d", invoiceSequence);
  }

  void put(Map<String, Object> object) {
    objects.put((String) object.get("id"), object);
  }

  /** @return the stored object (live, not a copy), or null */
  Map<String, Object> get(String id) {
    return id == null ? null : objects.get(id);
  }

  /** @return the stored object if its {@code object} field is {@code type}, else null */
  Map<String, Object> get(String type, String id) {
    Map<String, Object> o = get(id);
    return o != null && type.equals(o.get("object")) ? o : null;
  }

  /** @return every stored object of one {@code object} type, newest first as Stripe lists them */
  List<Map<String, Object>> all(String type) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> o : objects.values()) {
      if (type.equals(o.get("object"))) {
        out.add(o);
      }
    }
    Collections.reverse(out);
    return out;
  }

  void lineItems(String sessionId, List<Map<String, Object>> items) {
    sessionLineItems.put(sessionId, items);
  }

  List<Map<String, Object>> lineItems(String sessionId) {
    return sessionLineItems.getOrDefault(sessionId, List.of());
  }

  void subscriptionMetadata(String sessionId, Map<String, Object> metadata) {
    subscriptionMetadata.put(sessionId, metadata);
  }

  /** @return the {@code subscription_data[metadata]} a checkout session was created with */
  Map<String, Object> subscriptionMetadata(String sessionId) {
    return subscriptionMetadata.getOrDefault(sessionId, Map.of());
  }

  /** @return false when the identifier was seen before (and nothing was recorded) */
  boolean recordMeterEvent(String meterId, Usage usage) {
    if (!meterEventIdentifiers.add(usage.identifier())) {
      return false;
    }
    usage(meterId).add(usage);
    return true;
  }

  void adjust(String meterId, Usage usage) {
    usage(meterId).add(usage);
  }

  List<Usage> usage(String meterId) {
    return usageByMeter.computeIfAbsent(meterId, k -> new ArrayList<>());
  }

  void clear() {
    objects.clear();
    sessionLineItems.clear();
    subscriptionMetadata.clear();
    usageByMeter.clear();
    meterEventIdentifiers.clear();
    invoiceSequence = 0;
  }
}
