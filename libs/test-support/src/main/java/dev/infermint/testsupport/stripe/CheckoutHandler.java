package dev.infermint.testsupport.stripe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checkout Sessions and Customer Portal sessions. A checkout session stays {@code open} until the test completes
 * it with {@link StripeServer#completeCheckout(String)}, which plays the customer's part.
 */
final class CheckoutHandler {

  private final Store store;

  CheckoutHandler(Store store) {
    this.store = store;
  }

  void routes(Router router) {
    router.post("/v1/checkout/sessions", this::createSession);
    router.get("/v1/checkout/sessions/{id}", this::retrieveSession);
    router.get("/v1/checkout/sessions/{id}/line_items", this::listLineItems);
    router.post("/v1/billing_portal/sessions", this::createPortalSession);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> createSession(ApiRequest request) {
    String mode = request.requiredString("mode");
    if (!mode.equals("subscription") && !mode.equals("payment")) {
      throw StripeError.unsupported("checkout mode `" + mode + "` (supported: subscription, payment)");
    }
    String customer = request.string("customer");
    if (customer != null) {
      CustomerHandler.require(store, customer, "customer");
    }
    List<Object> rawItems = request.list("line_items");
    if (rawItems.isEmpty()) {
      throw StripeError.missingParam("line_items");
    }
    String id = store.newId("cs_test_");
    List<Map<String, Object>> items = new ArrayList<>();
    long total = 0;
    String currency = null;
    for (int i = 0; i < rawItems.size(); i++) {
      if (!(rawItems.get(i) instanceof Map)) {
        throw StripeError.invalid("Invalid line_items[" + i + "]", "line_items[" + i + "]");
      }
      Map<String, Object> item = lineItem(mode, (Map<String, Object>) rawItems.get(i), i);
      items.add(item);
      currency = (String) item.get("currency");
      total += (Long) item.get("amount_total");
    }
    long now = store.now();
    Map<String, Object> subscriptionData = (Map<String, Object>) request.map("subscription_data");
    Object subscriptionMetadata = subscriptionData.getOrDefault("metadata", Json.obj());
    if (!(subscriptionMetadata instanceof Map)) {
      throw StripeError.invalid("Invalid subscription_data[metadata]", "subscription_data[metadata]");
    }
    Map<String, Object> session = Json.obj("id", id, "object", "checkout.session", "amount_subtotal", total,
        "amount_total", total, "cancel_url", request.string("cancel_url"),
        "client_reference_id", request.string("client_reference_id"), "created", now, "currency", currency,
        "customer", customer, "customer_creation", customer == null ? "always" : null, "customer_details", null,
        "customer_email", request.string("customer_email"), "expires_at", now + 24 * 3600, "invoice", null,
        "livemode", false, "metadata", request.metadata("metadata"), "mode", mode, "payment_intent", null,
        "payment_status", "unpaid", "status", "open", "subscription", null,
        "success_url", request.string("success_url"), "ui_mode", "hosted",
        "url", store.baseUrl() + "/checkout/" + id);
    store.put(session);
    store.lineItems(id, items);
    // Kept for completeCheckout: Stripe copies subscription_data[metadata] onto the subscription it creates.
    store.subscriptionMetadata(id, (Map<String, Object>) subscriptionMetadata);
    return Expansion.apply(withLineItems(Json.copy(session), request.expand()), request.expand(), store);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> lineItem(String mode, Map<String, Object> in, int index) {
    String param = "line_items[" + index + "]";
    Object priceId = in.get("price");
    if (!(priceId instanceof String)) {
      throw StripeError.unsupported(param + ": only line items with `price` are modelled");
    }
    Map<String, Object> price = CatalogHandler.requirePrice(store, (String) priceId, param + "[price]");
    Map<String, Object> recurring = (Map<String, Object>) price.get("recurring");
    if (mode.equals("subscription") && recurring == null) {
      throw StripeError.invalid("You specified `subscription` mode but passed a one-time price in " + param
          + ". Pass a recurring price or switch to `payment` mode.", param + "[price]");
    }
    if (mode.equals("payment") && recurring != null) {
      throw StripeError.invalid("You specified `payment` mode but passed a recurring price in " + param
          + ". Pass a one-time price or switch to `subscription` mode.", param + "[price]");
    }
    boolean metered = recurring != null && "metered".equals(recurring.get("usage_type"));
    Long quantity = ApiRequest.parseLong((String) in.get("quantity"), param + "[quantity]");
    if (metered && quantity != null) {
      throw StripeError.invalid("Quantity should not be specified where usage_type is `metered`. Remove quantity"
          + " from " + param + ".", param + "[quantity]");
    }
    if (!metered && quantity == null) {
      throw StripeError.invalid("Quantity is required. Add `quantity` to " + param + ".", param + "[quantity]");
    }
    long amount = metered || price.get("unit_amount") == null ? 0 : (Long) price.get("unit_amount") * quantity;
    return Json.obj("id", store.newId("li_"), "object", "item", "amount_discount", 0, "amount_subtotal", amount,
        "amount_tax", 0, "amount_total", amount, "currency", price.get("currency"), "description",
        price.get("nickname"), "price", Json.copy(price), "quantity", quantity);
  }

  private Map<String, Object> withLineItems(Map<String, Object> session, List<String> expand) {
    if (expand.contains("line_items")) {
      String id = (String) session.get("id");
      session.put("line_items", Listing.embedded(Json.copy(store.lineItems(id)),
          "/v1/checkout/sessions/" + id + "/line_items"));
    }
    return session;
  }

  private Map<String, Object> retrieveSession(ApiRequest request) {
    Map<String, Object> session = requireSession(store, request.pathParam("id"));
    List<String> expand = request.expand();
    return Expansion.apply(withLineItems(Json.copy(session), expand),
        expand.stream().filter(p -> !p.equals("line_items")).toList(), store);
  }

  private Map<String, Object> listLineItems(ApiRequest request) {
    Map<String, Object> session = requireSession(store, request.pathParam("id"));
    return Listing.list(store.lineItems((String) session.get("id")), request,
        "/v1/checkout/sessions/" + session.get("id") + "/line_items", store);
  }

  private Map<String, Object> createPortalSession(ApiRequest request) {
    String customer = request.requiredString("customer");
    CustomerHandler.require(store, customer, "customer");
    String id = store.newId("bps_");
    Map<String, Object> session = Json.obj("id", id, "object", "billing_portal.session",
        "configuration", "bpc_stand_in_default", "created", store.now(), "customer", customer, "flow", null,
        "livemode", false, "locale", request.string("locale"), "on_behalf_of", null,
        "return_url", request.string("return_url"), "url", store.baseUrl() + "/portal/" + id);
    store.put(session);
    return Json.copy(session);
  }

  /** @return the stored session, or a 404 */
  static Map<String, Object> requireSession(Store store, String id) {
    Map<String, Object> session = store.get("checkout.session", id);
    if (session == null) {
      throw StripeError.noSuch("checkout.session", id, "session");
    }
    return session;
  }
}
