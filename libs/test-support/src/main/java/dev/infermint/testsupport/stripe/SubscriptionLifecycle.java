package dev.infermint.testsupport.stripe;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What happens on Stripe's side after the API calls: a completed checkout becomes a subscription with a paid first
 * invoice, a subscription changes status, a renewal payment fails, and the upcoming invoice is computed (licensed
 * items for the next period, metered usage of the current one from the meter's totals).
 */
final class SubscriptionLifecycle {

  static final Set<String> STATUSES =
      Set.of("active", "past_due", "canceled", "trialing", "unpaid", "incomplete", "incomplete_expired", "paused");

  private final Store store;
  private final MeterHandler meters;
  private final EventFactory events;

  SubscriptionLifecycle(Store store, MeterHandler meters, EventFactory events) {
    this.store = store;
    this.meters = meters;
    this.events = events;
  }

  /** @return the events Stripe emits when the customer finishes checkout, in the order it emits them */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> completeCheckout(String sessionId) {
    Map<String, Object> session = CheckoutHandler.requireSession(store, sessionId);
    if (!"open".equals(session.get("status"))) {
      throw new IllegalStateException("Checkout session " + sessionId + " is " + session.get("status")
          + ", not open");
    }
    if (session.get("customer") == null) {
      // Checkout creates the customer when the session was made without one.
      session.put("customer", CustomerHandler.newCustomer(store, (String) session.get("customer_email"), null,
          Json.obj()).get("id"));
    }
    session.put("status", "complete");
    session.put("payment_status", "paid");
    List<Map<String, Object>> out = new ArrayList<>();
    if (!"subscription".equals(session.get("mode"))) {
      out.add(events.create("checkout.session.completed", session, null, null));
      return out;
    }
    Map<String, Object> subscription = subscription(session);
    Map<String, Object> invoice = invoice(subscription, "subscription_create", true);
    subscription.put("latest_invoice", invoice.get("id"));
    session.put("subscription", subscription.get("id"));
    session.put("invoice", invoice.get("id"));
    out.add(events.create("checkout.session.completed", session, null, null));
    out.add(events.create("customer.subscription.created", subscription, null, null));
    out.add(events.create("invoice.paid", invoice, null, null));
    return out;
  }

  private Map<String, Object> subscription(Map<String, Object> session) {
    String id = store.newId("sub_");
    long now = store.now();
    long[] period = monthOf(now);
    List<Map<String, Object>> items = new ArrayList<>();
    for (Map<String, Object> lineItem : store.lineItems((String) session.get("id"))) {
      items.add(Json.obj("id", store.newId("si_"), "object", "subscription_item", "created", now,
          "current_period_end", period[1], "current_period_start", period[0], "discounts", List.of(),
          "metadata", Json.obj(), "plan", null, "price", Json.copy(lineItem.get("price")),
          "quantity", lineItem.get("quantity"), "subscription", id, "tax_rates", List.of()));
    }
    Map<String, Object> subscription = Json.obj("id", id, "object", "subscription", "application", null,
        "automatic_tax", Json.obj("enabled", false, "liability", null), "billing_cycle_anchor", period[0],
        "cancel_at", null, "cancel_at_period_end", false, "canceled_at", null,
        "collection_method", "charge_automatically", "created", now, "currency", session.get("currency"),
        "customer", session.get("customer"), "days_until_due", null, "default_payment_method", null,
        "description", null, "discounts", List.of(), "ended_at", null,
        "items", Listing.embedded(items, "/v1/subscription_items?subscription=" + id), "latest_invoice", null,
        "livemode", false, "metadata", Json.copy(store.subscriptionMetadata((String) session.get("id"))),
        "start_date", now, "status", "active", "trial_end", null, "trial_start", null);
    store.put(subscription);
    return subscription;
  }

  /** @return a new stored invoice for the subscription's licensed items at their current period */
  private Map<String, Object> invoice(Map<String, Object> subscription, String reason, boolean paid) {
    String id = store.newId("in_");
    long now = store.now();
    List<Map<String, Object>> lines = new ArrayList<>();
    for (Map<String, Object> item : items(subscription)) {
      if (!metered(item)) {
        lines.add(licensedLine(id, subscription, item, (Long) item.get("current_period_start"),
            (Long) item.get("current_period_end")));
      }
    }
    Map<String, Object> invoice = invoiceShell(id, subscription, reason, lines, now, now);
    long total = (Long) invoice.get("total");
    invoice.put("number", store.nextInvoiceNumber());
    invoice.put("hosted_invoice_url", store.baseUrl() + "/invoice/" + id);
    invoice.put("invoice_pdf", store.baseUrl() + "/invoice/" + id + "/pdf");
    invoice.put("status", paid ? "paid" : "open");
    invoice.put("amount_paid", paid ? total : 0L);
    invoice.put("amount_remaining", paid ? 0L : total);
    invoice.put("attempted", true);
    invoice.put("attempt_count", 1);
    invoice.put("next_payment_attempt", paid ? null : now + 3 * 24 * 3600);
    invoice.put("status_transitions", Json.obj("finalized_at", now, "marked_uncollectible_at", null,
        "paid_at", paid ? now : null, "voided_at", null));
    store.put(invoice);
    return invoice;
  }

  /**
   * The upcoming invoice ({@code POST /v1/invoices/create_preview}): the licensed items for the next period and the
   * metered usage of the current one, priced from what the meters hold now.
   */
  Map<String, Object> preview(Map<String, Object> subscription) {
    String id = "upcoming_" + store.newId("in_");
    List<Map<String, Object>> lines = new ArrayList<>();
    long periodStart = 0;
    long periodEnd = 0;
    for (Map<String, Object> item : items(subscription)) {
      long start = (Long) item.get("current_period_start");
      long end = (Long) item.get("current_period_end");
      periodStart = start;
      periodEnd = end;
      if (metered(item)) {
        lines.add(meteredLine(id, subscription, item, start, end));
      } else {
        long[] next = monthOf(end);
        lines.add(licensedLine(id, subscription, item, next[0], next[1]));
      }
    }
    Map<String, Object> invoice = invoiceShell(id, subscription, "upcoming", lines, periodStart, periodEnd);
    invoice.put("status", "draft");
    invoice.put("amount_paid", 0L);
    invoice.put("amount_remaining", invoice.get("total"));
    invoice.put("attempted", false);
    invoice.put("attempt_count", 0);
    invoice.put("next_payment_attempt", periodEnd);
    invoice.put("status_transitions", Json.obj("finalized_at", null, "marked_uncollectible_at", null,
        "paid_at", null, "voided_at", null));
    return invoice;
  }

  private Map<String, Object> invoiceShell(String id, Map<String, Object> subscription, String reason,
      List<Map<String, Object>> lines, long periodStart, long periodEnd) {
    long total = lines.stream().mapToLong(l -> (Long) l.get("amount")).sum();
    Map<String, Object> customer = store.get("customer", (String) subscription.get("customer"));
    return Json.obj("id", id, "object", "invoice", "account_country", "US", "account_name", "Infermint (stand-in)",
        "amount_due", total, "amount_paid", 0L, "amount_remaining", total, "attempt_count", 0, "attempted", false,
        "auto_advance", false, "billing_reason", reason, "collection_method", "charge_automatically",
        "created", store.now(), "currency", subscription.get("currency"), "customer", subscription.get("customer"),
        "customer_email", customer == null ? null : customer.get("email"),
        "customer_name", customer == null ? null : customer.get("name"), "description", null, "discounts", List.of(),
        "hosted_invoice_url", null, "invoice_pdf", null,
        "lines", Listing.embedded(lines, "/v1/invoices/" + id + "/lines"), "livemode", false,
        "metadata", Json.obj(), "next_payment_attempt", null, "number", null,
        "parent", Json.obj("quote_details", null, "subscription_details", Json.obj("metadata",
            Json.copy(subscription.get("metadata")), "subscription", subscription.get("id")),
            "type", "subscription_details"),
        "period_end", periodEnd, "period_start", periodStart, "status", "draft", "status_transitions", null,
        "subtotal", total, "subtotal_excluding_tax", total, "total", total, "total_excluding_tax", total,
        "total_taxes", List.of());
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> licensedLine(String invoiceId, Map<String, Object> subscription,
      Map<String, Object> item, long start, long end) {
    Map<String, Object> price = (Map<String, Object>) item.get("price");
    long quantity = item.get("quantity") == null ? 1 : (Long) item.get("quantity");
    long unit = price.get("unit_amount") == null ? 0 : (Long) price.get("unit_amount");
    return line(invoiceId, subscription, item, start, end, quantity, BigDecimal.valueOf(quantity),
        unit * quantity);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> meteredLine(String invoiceId, Map<String, Object> subscription,
      Map<String, Object> item, long start, long end) {
    Map<String, Object> price = (Map<String, Object>) item.get("price");
    String meterId = (String) ((Map<String, Object>) price.get("recurring")).get("meter");
    Map<String, Object> meter = store.get("billing.meter", meterId);
    BigDecimal usage = meter == null ? BigDecimal.ZERO
        : meters.aggregate(meter, (String) subscription.get("customer"), start, end).max(BigDecimal.ZERO);
    BigDecimal unit = new BigDecimal((String) price.get("unit_amount_decimal"));
    long amount = usage.multiply(unit).setScale(0, RoundingMode.HALF_UP).longValueExact();
    return line(invoiceId, subscription, item, start, end, usage.setScale(0, RoundingMode.DOWN).longValue(), usage,
        amount);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> line(String invoiceId, Map<String, Object> subscription, Map<String, Object> item,
      long start, long end, long quantity, BigDecimal quantityDecimal, long amount) {
    Map<String, Object> price = (Map<String, Object>) item.get("price");
    Map<String, Object> product = store.get("product", (String) price.get("product"));
    String name = product == null ? String.valueOf(price.get("product")) : String.valueOf(product.get("name"));
    return Json.obj("id", store.newId("il_"), "object", "line_item", "amount", amount,
        "currency", price.get("currency"), "description", quantityDecimal.toPlainString() + " × " + name,
        "discount_amounts", List.of(), "discountable", true, "discounts", List.of(), "invoice", invoiceId,
        "livemode", false, "metadata", Json.obj(),
        "parent", Json.obj("invoice_item_details", null, "subscription_item_details", Json.obj("invoice_item", null,
            "proration", false, "proration_details", Json.obj("credited_items", null),
            "subscription", subscription.get("id"), "subscription_item", item.get("id")),
            "type", "subscription_item_details"),
        "period", Json.obj("end", end, "start", start), "pretax_credit_amounts", List.of(),
        "pricing", Json.obj("price_details", Json.obj("price", price.get("id"), "product", price.get("product")),
            "type", "price_details", "unit_amount_decimal", price.get("unit_amount_decimal")),
        "quantity", quantity, "quantity_decimal", quantityDecimal.toPlainString(), "subtotal", amount,
        "taxes", List.of());
  }

  /** @return the {@code customer.subscription.updated} (or {@code .deleted} for canceled) event */
  Map<String, Object> setStatus(String subscriptionId, String status) {
    if (!STATUSES.contains(status)) {
      throw new IllegalArgumentException("Unknown subscription status " + status + "; one of " + STATUSES);
    }
    Map<String, Object> subscription = requireSubscription(store, subscriptionId);
    Object previous = subscription.get("status");
    subscription.put("status", status);
    long now = store.now();
    if (status.equals("canceled")) {
      subscription.put("canceled_at", now);
      subscription.put("ended_at", now);
      return events.create("customer.subscription.deleted", subscription, null, null);
    }
    return events.create("customer.subscription.updated", subscription, Json.obj("status", previous), null);
  }

  /** @return {@code invoice.payment_failed} then {@code customer.subscription.updated} (now past_due) */
  List<Map<String, Object>> paymentFailed(String subscriptionId) {
    Map<String, Object> subscription = requireSubscription(store, subscriptionId);
    Map<String, Object> invoice = invoice(subscription, "subscription_cycle", false);
    Object previousInvoice = subscription.put("latest_invoice", invoice.get("id"));
    Object previousStatus = subscription.put("status", "past_due");
    List<Map<String, Object>> out = new ArrayList<>();
    out.add(events.create("invoice.payment_failed", invoice, null, null));
    out.add(events.create("customer.subscription.updated", subscription,
        Json.obj("latest_invoice", previousInvoice, "status", previousStatus), null));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> items(Map<String, Object> subscription) {
    return (List<Map<String, Object>>) ((Map<String, Object>) subscription.get("items")).get("data");
  }

  @SuppressWarnings("unchecked")
  private static boolean metered(Map<String, Object> item) {
    Map<String, Object> recurring = (Map<String, Object>) ((Map<String, Object>) item.get("price")).get("recurring");
    return recurring != null && "metered".equals(recurring.get("usage_type"));
  }

  /** @return [start, end) of the UTC calendar month holding {@code epochSecond} */
  static long[] monthOf(long epochSecond) {
    YearMonth month = YearMonth.from(Instant.ofEpochSecond(epochSecond).atOffset(ZoneOffset.UTC));
    return new long[] {month.atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC),
        month.plusMonths(1).atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC)};
  }

  /** @return the stored subscription, or a 404 */
  static Map<String, Object> requireSubscription(Store store, String id) {
    Map<String, Object> subscription = store.get("subscription", id);
    if (subscription == null) {
      throw StripeError.noSuch("subscription", id, "subscription");
    }
    return subscription;
  }
}
