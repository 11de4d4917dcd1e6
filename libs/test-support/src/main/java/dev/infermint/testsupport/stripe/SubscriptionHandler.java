package dev.infermint.testsupport.stripe;

import java.util.List;
import java.util.Map;

/** Subscriptions, invoices (list, retrieve, {@code create_preview}) and events, read-only except the preview. */
final class SubscriptionHandler {

  private final Store store;
  private final SubscriptionLifecycle lifecycle;

  SubscriptionHandler(Store store, SubscriptionLifecycle lifecycle) {
    this.store = store;
    this.lifecycle = lifecycle;
  }

  void routes(Router router) {
    router.get("/v1/subscriptions", this::listSubscriptions);
    router.get("/v1/subscriptions/{id}", this::retrieveSubscription);
    router.get("/v1/invoices", this::listInvoices);
    router.get("/v1/invoices/{id}", this::retrieveInvoice);
    router.post("/v1/invoices/create_preview", this::preview);
    router.get("/v1/events", this::listEvents);
    router.get("/v1/events/{id}", this::retrieveEvent);
  }

  private Map<String, Object> retrieveSubscription(ApiRequest request) {
    Map<String, Object> subscription = SubscriptionLifecycle.requireSubscription(store, request.pathParam("id"));
    return Expansion.apply(Json.copy(subscription), request.expand(), store);
  }

  /** Like Stripe, a list without {@code status} leaves out canceled subscriptions; {@code status=all} keeps them. */
  private Map<String, Object> listSubscriptions(ApiRequest request) {
    String customer = request.string("customer");
    String status = request.string("status");
    List<Map<String, Object>> matching = store.all("subscription").stream()
        .filter(s -> customer == null || customer.equals(s.get("customer")))
        .filter(s -> status == null ? !"canceled".equals(s.get("status"))
            : status.equals("all") || status.equals(s.get("status"))).toList();
    return Listing.list(matching, request, "/v1/subscriptions", store);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> listInvoices(ApiRequest request) {
    String customer = request.string("customer");
    String subscription = request.string("subscription");
    String status = request.string("status");
    List<Map<String, Object>> matching = store.all("invoice").stream()
        .filter(i -> customer == null || customer.equals(i.get("customer")))
        .filter(i -> subscription == null || subscription.equals(
            ((Map<String, Object>) ((Map<String, Object>) i.get("parent")).get("subscription_details"))
                .get("subscription")))
        .filter(i -> status == null || status.equals(i.get("status"))).toList();
    return Listing.list(matching, request, "/v1/invoices", store);
  }

  private Map<String, Object> retrieveInvoice(ApiRequest request) {
    Map<String, Object> invoice = store.get("invoice", request.pathParam("id"));
    if (invoice == null) {
      throw StripeError.noSuch("invoice", request.pathParam("id"), "invoice");
    }
    return Expansion.apply(Json.copy(invoice), request.expand(), store);
  }

  private Map<String, Object> preview(ApiRequest request) {
    String customer = request.string("customer");
    String subscriptionId = request.string("subscription");
    Map<String, Object> subscription;
    if (subscriptionId != null) {
      subscription = SubscriptionLifecycle.requireSubscription(store, subscriptionId);
      if (customer != null && !customer.equals(subscription.get("customer"))) {
        throw StripeError.invalid("The subscription " + subscriptionId + " does not belong to customer "
            + customer + ".", "subscription");
      }
    } else {
      if (customer == null) {
        throw StripeError.missingParam("customer");
      }
      CustomerHandler.require(store, customer, "customer");
      subscription = store.all("subscription").stream()
          .filter(s -> customer.equals(s.get("customer")) && !"canceled".equals(s.get("status"))).findFirst()
          .orElse(null);
    }
    if (subscription == null || "canceled".equals(subscription.get("status"))) {
      throw StripeError.noUpcomingInvoice(customer == null ? (String) subscription.get("customer") : customer);
    }
    return Expansion.apply(lifecycle.preview(subscription), request.expand(), store);
  }

  private Map<String, Object> listEvents(ApiRequest request) {
    String type = request.string("type");
    List<Map<String, Object>> matching = store.all("event").stream()
        .filter(e -> type == null || type.equals(e.get("type"))).toList();
    return Listing.list(matching, request, "/v1/events", store);
  }

  private Map<String, Object> retrieveEvent(ApiRequest request) {
    Map<String, Object> event = store.get("event", request.pathParam("id"));
    if (event == null) {
      throw StripeError.noSuch("event", request.pathParam("id"), "id");
    }
    return Json.copy(event);
  }
}
