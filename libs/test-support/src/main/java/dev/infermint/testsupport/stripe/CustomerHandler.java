package dev.infermint.testsupport.stripe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code /v1/customers}: create, retrieve, list by email, and search (the clause forms billing uses). */
final class CustomerHandler {

  /** {@code metadata['key']:'value'} or {@code field:'value'}; Stripe's query language, the exact-match part. */
  private static final Pattern CLAUSE =
      Pattern.compile("\\s*(metadata\\[['\"]([^'\"]+)['\"]\\]|[a-z_]+)\\s*:\\s*['\"]([^'\"]*)['\"]\\s*");

  private final Store store;

  CustomerHandler(Store store) {
    this.store = store;
  }

  void routes(Router router) {
    router.post("/v1/customers", this::create);
    router.get("/v1/customers", this::list);
    router.get("/v1/customers/search", this::search);
    router.get("/v1/customers/{id}", this::retrieve);
  }

  private Map<String, Object> create(ApiRequest request) {
    Map<String, Object> customer = newCustomer(store, request.string("email"), request.string("name"),
        request.metadata("metadata"));
    customer.put("description", request.string("description"));
    customer.put("phone", request.string("phone"));
    return Json.copy(customer);
  }

  /** @return a new stored customer (also what Checkout creates when a session has none) */
  static Map<String, Object> newCustomer(Store store, String email, String name, Map<String, Object> metadata) {
    String id = store.newId("cus_");
    Map<String, Object> customer = Json.obj("id", id, "object", "customer", "address", null, "balance", 0,
        "created", store.now(), "currency", null, "default_source", null, "delinquent", false,
        "description", null, "email", email, "invoice_prefix", id.substring(4, 12).toUpperCase(Locale.ROOT),
        "invoice_settings", Json.obj("custom_fields", null, "default_payment_method", null, "footer", null,
            "rendering_options", null),
        "livemode", false, "metadata", metadata, "name", name, "next_invoice_sequence", 1, "phone", null,
        "preferred_locales", List.of(), "shipping", null, "tax_exempt", "none", "test_clock", null);
    store.put(customer);
    return customer;
  }

  private Map<String, Object> retrieve(ApiRequest request) {
    Map<String, Object> customer = require(store, request.pathParam("id"), "id");
    return Expansion.apply(Json.copy(customer), request.expand(), store);
  }

  private Map<String, Object> list(ApiRequest request) {
    String email = request.string("email");
    List<Map<String, Object>> matching = store.all("customer").stream()
        .filter(c -> email == null || email.equalsIgnoreCase((String) c.get("email"))).toList();
    return Listing.list(matching, request, "/v1/customers", store);
  }

  private Map<String, Object> search(ApiRequest request) {
    String query = request.requiredString("query");
    boolean any = query.contains(" OR ");
    if (any && query.contains(" AND ")) {
      throw StripeError.invalid("Search queries cannot mix AND and OR.", "query");
    }
    List<String[]> clauses = new ArrayList<>();
    for (String part : query.split(any ? " OR " : " AND ")) {
      Matcher m = CLAUSE.matcher(part);
      if (!m.matches()) {
        throw StripeError.unsupported("search clause not understood (supported: field:'v', metadata['k']:'v'): "
            + part);
      }
      clauses.add(m.group(2) != null ? new String[] {"metadata", m.group(2), m.group(3)}
          : new String[] {m.group(1), null, m.group(3)});
    }
    List<Map<String, Object>> matching = store.all("customer").stream().filter(c -> any
        ? clauses.stream().anyMatch(cl -> matches(c, cl)) : clauses.stream().allMatch(cl -> matches(c, cl))).toList();
    return Listing.search(matching, request, "/v1/customers/search", store);
  }

  @SuppressWarnings("unchecked")
  private static boolean matches(Map<String, Object> customer, String[] clause) {
    Object actual = clause[1] != null ? ((Map<String, Object>) customer.get("metadata")).get(clause[1])
        : customer.get(clause[0]);
    if (actual == null) {
      return false;
    }
    // Metadata values match exactly; plain fields such as email match regardless of case.
    return clause[1] != null ? actual.equals(clause[2]) : String.valueOf(actual).equalsIgnoreCase(clause[2]);
  }

  /** @return the stored customer, or a 404 naming {@code param} */
  static Map<String, Object> require(Store store, String id, String param) {
    Map<String, Object> customer = store.get("customer", id);
    if (customer == null) {
      throw StripeError.noSuch("customer", id, param);
    }
    return customer;
  }
}
