package dev.infermint.testsupport.stripe;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Products and prices: create, retrieve, and list prices by lookup key (with {@code expand[]=data.product}). */
final class CatalogHandler {

  private static final Set<String> INTERVALS = Set.of("day", "week", "month", "year");

  private final Store store;

  CatalogHandler(Store store) {
    this.store = store;
  }

  void routes(Router router) {
    router.post("/v1/products", this::createProduct);
    router.get("/v1/products/{id}", this::retrieveProduct);
    router.post("/v1/prices", this::createPrice);
    router.get("/v1/prices", this::listPrices);
    router.get("/v1/prices/{id}", this::retrievePrice);
  }

  private Map<String, Object> createProduct(ApiRequest request) {
    String id = request.string("id");
    if (id != null && store.get(id) != null) {
      throw StripeError.alreadyExists("Product already exists.", "id");
    }
    Map<String, Object> product = product(id == null ? store.newId("prod_") : id, request.requiredString("name"),
        request.metadata("metadata"), request.string("description"));
    store.put(product);
    return Json.copy(product);
  }

  private Map<String, Object> product(String id, String name, Map<String, Object> metadata, String description) {
    long now = store.now();
    return Json.obj("id", id, "object", "product", "active", true, "created", now, "default_price", null,
        "description", description, "images", List.of(), "livemode", false, "marketing_features", List.of(),
        "metadata", metadata, "name", name, "package_dimensions", null, "shippable", null,
        "statement_descriptor", null, "tax_code", null, "type", "service", "unit_label", null, "updated", now,
        "url", null);
  }

  private Map<String, Object> retrieveProduct(ApiRequest request) {
    Map<String, Object> product = store.get("product", request.pathParam("id"));
    if (product == null) {
      throw StripeError.noSuch("product", request.pathParam("id"), "id");
    }
    return Json.copy(product);
  }

  private Map<String, Object> createPrice(ApiRequest request) {
    String currency = request.requiredString("currency").toLowerCase(Locale.ROOT);
    String productId = productFor(request);
    Long unitAmount = request.longValue("unit_amount");
    BigDecimal decimal = ApiRequest.parseDecimal(request.string("unit_amount_decimal"), "unit_amount_decimal");
    if (unitAmount != null && decimal != null) {
      throw StripeError.invalid("You may only specify one of these parameters: unit_amount, unit_amount_decimal.",
          "unit_amount_decimal");
    }
    if (unitAmount == null && decimal == null) {
      throw StripeError.missingParam("unit_amount");
    }
    if (unitAmount != null) {
      decimal = BigDecimal.valueOf(unitAmount);
    } else if (decimal.stripTrailingZeros().scale() <= 0) {
      unitAmount = decimal.longValueExact();
    }
    Map<String, Object> recurring = recurring(request);
    String lookupKey = request.string("lookup_key");
    claimLookupKey(lookupKey, request.bool("transfer_lookup_key", false));
    Map<String, Object> price = Json.obj("id", store.newId("price_"), "object", "price", "active",
        request.bool("active", true), "billing_scheme", "per_unit", "created", store.now(), "currency", currency,
        "custom_unit_amount", null, "livemode", false, "lookup_key", lookupKey,
        "metadata", request.metadata("metadata"), "nickname", request.string("nickname"), "product", productId,
        "recurring", recurring, "tax_behavior", "unspecified", "tiers_mode", null, "transform_quantity", null,
        "type", recurring == null ? "one_time" : "recurring", "unit_amount", unitAmount,
        "unit_amount_decimal", decimal.toPlainString());
    store.put(price);
    return Expansion.apply(Json.copy(price), request.expand(), store);
  }

  private String productFor(ApiRequest request) {
    Map<String, Object> productData = request.map("product_data");
    if (!productData.isEmpty()) {
      Object name = productData.get("name");
      if (!(name instanceof String) || ((String) name).isEmpty()) {
        throw StripeError.missingParam("product_data[name]");
      }
      Map<String, Object> product = product(store.newId("prod_"), (String) name, Json.obj(), null);
      store.put(product);
      return (String) product.get("id");
    }
    String productId = request.requiredString("product");
    if (store.get("product", productId) == null) {
      throw StripeError.noSuch("product", productId, "product");
    }
    return productId;
  }

  private Map<String, Object> recurring(ApiRequest request) {
    Map<String, Object> in = request.map("recurring");
    if (in.isEmpty()) {
      return null;
    }
    Object interval = in.get("interval");
    if (!(interval instanceof String) || !INTERVALS.contains(interval)) {
      throw StripeError.invalid("Invalid recurring[interval]: must be one of day, week, month, or year",
          "recurring[interval]");
    }
    Object usageType = in.getOrDefault("usage_type", "licensed");
    if (!"licensed".equals(usageType) && !"metered".equals(usageType)) {
      throw StripeError.invalid("Invalid recurring[usage_type]: must be one of licensed or metered",
          "recurring[usage_type]");
    }
    Object meter = in.get("meter");
    if ("metered".equals(usageType)) {
      // Since the 2025 API versions a metered price must be backed by a billing meter.
      if (!(meter instanceof String) || ((String) meter).isEmpty()) {
        throw StripeError.missingParam("recurring[meter]");
      }
      if (store.get("billing.meter", (String) meter) == null) {
        throw StripeError.noSuch("billing meter", (String) meter, "recurring[meter]");
      }
    } else if (meter != null) {
      throw StripeError.invalid("recurring[meter] can only be set when recurring[usage_type] is metered.",
          "recurring[meter]");
    }
    Long count = ApiRequest.parseLong((String) in.get("interval_count"), "recurring[interval_count]");
    return Json.obj("interval", interval, "interval_count", count == null ? 1L : count, "meter", meter,
        "trial_period_days", null, "usage_type", usageType);
  }

  /** A lookup key names one price; {@code transfer_lookup_key} moves it from the price that holds it. */
  private void claimLookupKey(String lookupKey, boolean transfer) {
    if (lookupKey == null) {
      return;
    }
    for (Map<String, Object> other : store.all("price")) {
      if (lookupKey.equals(other.get("lookup_key"))) {
        if (!transfer) {
          throw StripeError.invalid("A price (`" + other.get("id") + "`) already uses that lookup key.",
              "lookup_key");
        }
        other.put("lookup_key", null);
      }
    }
  }

  private Map<String, Object> retrievePrice(ApiRequest request) {
    Map<String, Object> price = requirePrice(store, request.pathParam("id"), "id");
    return Expansion.apply(Json.copy(price), request.expand(), store);
  }

  private Map<String, Object> listPrices(ApiRequest request) {
    List<String> lookupKeys = request.list("lookup_keys").stream().map(String::valueOf).toList();
    String active = request.string("active");
    String product = request.string("product");
    String type = request.string("type");
    List<Map<String, Object>> matching = store.all("price").stream()
        .filter(p -> lookupKeys.isEmpty() || lookupKeys.contains(p.get("lookup_key")))
        .filter(p -> active == null || String.valueOf(p.get("active")).equals(active))
        .filter(p -> product == null || product.equals(p.get("product")))
        .filter(p -> type == null || type.equals(p.get("type"))).toList();
    return Listing.list(matching, request, "/v1/prices", store);
  }

  /** @return the stored price, or a 404 naming {@code param} */
  static Map<String, Object> requirePrice(Store store, String id, String param) {
    Map<String, Object> price = store.get("price", id);
    if (price == null) {
      throw StripeError.noSuch("price", id, param);
    }
    return price;
  }
}
