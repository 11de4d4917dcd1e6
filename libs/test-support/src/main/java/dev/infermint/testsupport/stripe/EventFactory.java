package dev.infermint.testsupport.stripe;

import java.util.List;
import java.util.Map;

import com.stripe.Stripe;

/**
 * Builds {@code event} objects as Stripe sends them to a webhook endpoint and keeps them, so
 * {@code GET /v1/events/{id}} finds them too. The {@code api_version} is {@link Stripe#API_VERSION} unless a test
 * asks for another.
 */
final class EventFactory {

  private final Store store;
  private String apiVersion = Stripe.API_VERSION;

  EventFactory(Store store) {
    this.store = store;
  }

  void apiVersion(String apiVersion) {
    this.apiVersion = apiVersion;
  }

  String apiVersion() {
    return apiVersion;
  }

  /**
   * @param type e.g. {@code customer.subscription.updated}
   * @param object the object the event is about (copied as it is now)
   * @param previousAttributes for {@code *.updated} events, the changed fields' old values; else null
   * @param version the {@code api_version} to stamp, or null for the configured one
   * @return the stored event
   */
  Map<String, Object> create(String type, Map<String, Object> object, Map<String, Object> previousAttributes,
      String version) {
    Map<String, Object> data = Json.obj("object", Json.copy(object));
    if (previousAttributes != null) {
      data.put("previous_attributes", Json.copy(previousAttributes));
    }
    Map<String, Object> event = Json.obj("id", store.newId("evt_"), "object", "event",
        "api_version", version == null ? apiVersion : version, "created", store.now(), "data", data,
        "livemode", false, "pending_webhooks", 1, "request", Json.obj("id", null, "idempotency_key", null),
        "type", type);
    store.put(event);
    return event;
  }

  static List<String> json(List<Map<String, Object>> events) {
    return events.stream().map(Json::write).toList();
  }
}
