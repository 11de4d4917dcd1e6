package dev.infermint.billing.payments;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.Event;
import com.stripe.model.Invoice;
import com.stripe.model.InvoiceLineItem;
import com.stripe.model.Price;
import com.stripe.model.Product;
import com.stripe.model.StripeCollection;
import com.stripe.model.Subscription;
import com.stripe.model.SubscriptionItem;
import com.stripe.model.billing.Meter;
import com.stripe.model.billing.MeterEventSummary;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.net.Webhook;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerSearchParams;
import com.stripe.param.InvoiceCreatePreviewParams;
import com.stripe.param.InvoiceListParams;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.PriceListParams;
import com.stripe.param.ProductCreateParams;
import com.stripe.param.billing.MeterCreateParams;
import com.stripe.param.billing.MeterEventCreateParams;
import com.stripe.param.billing.MeterEventSummaryListParams;
import com.stripe.param.billing.MeterListParams;
import com.stripe.param.checkout.SessionCreateParams;

import dev.infermint.billing.config.StripeConfig;
import dev.infermint.billing.service.Plan;

/**
 * Stripe, through stripe-java's {@link StripeClient} (SPEC §1). Plans are products with a flat monthly price and,
 * for {@code overage: bill} plans, a metered price on one billing meter, found by lookup key
 * ({@code infermint_<plan>_monthly}, {@code infermint_<plan>_overage}) and created when missing; customers carry
 * {@code metadata.tenant_id}. Every create call sends an Idempotency-Key derived from what it creates, so a call
 * retried after a lost answer creates nothing twice.
 */
public final class StripePaymentProvider implements PaymentProvider {

  /** The id that selects this provider. */
  public static final String ID = "stripe";
  /** Metadata key of the tenant id on customers, subscriptions and sessions. */
  public static final String TENANT_ID = "tenant_id";
  /** Metadata key of the plan id on products, prices and subscriptions. */
  public static final String PLAN = "infermint_plan";
  /** Metadata key of the licence product on one-time prices and payment-mode sessions. */
  public static final String LICENSE_PRODUCT = "infermint_license_product";
  /** Payload key of the customer in meter events. */
  static final String CUSTOMER_KEY = "stripe_customer_id";
  /** Payload key of the value in meter events. */
  static final String VALUE_KEY = "value";

  private static final Logger LOG = Logger.getLogger(StripePaymentProvider.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<Capability> CAPABILITIES = EnumSet.allOf(Capability.class);

  private final StripeClient client;
  private final StripeConfig config;

  /**
   * @param apiKey the secret key
   * @param config the rest of Stripe's settings
   */
  public StripePaymentProvider(String apiKey, StripeConfig config) {
    StripeClient.StripeClientBuilder builder = StripeClient.builder().setApiKey(apiKey)
        .setMaxNetworkRetries(config.maxNetworkRetries())
        .setConnectTimeout((int) config.timeout().toMillis())
        .setReadTimeout((int) config.timeout().toMillis());
    config.apiBase().ifPresent(base -> builder.setApiBase(base).setMeterEventsBase(base).setFilesBase(base)
        .setConnectBase(base));
    this.client = builder.build();
    this.config = config;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  // ---------------------------------------------------------------------------------------------------- catalog

  @Override
  public CatalogIds syncCatalog(List<Plan> plans) {
    Meter meter = call("find or create the overage meter", this::overageMeter);
    Map<String, CatalogIds.PlanPrices> ids = new HashMap<>();
    for (Plan plan : plans) {
      ids.put(plan.id(), call("match or create the prices of plan " + plan.id(), () -> planPrices(plan, meter)));
    }
    return new CatalogIds(meter.getId(), meter.getEventName(), Map.copyOf(ids));
  }

  private Meter overageMeter() throws StripeException {
    String eventName = config.meterEventName();
    for (Meter meter : client.billing().meters()
        .list(MeterListParams.builder().setStatus(MeterListParams.Status.ACTIVE).setLimit(100L).build())
        .autoPagingIterable()) {
      if (eventName.equals(meter.getEventName())) {
        return meter;
      }
    }
    return client.billing().meters().create(MeterCreateParams.builder()
        .setDisplayName("Infermint overage requests")
        .setEventName(eventName)
        .setDefaultAggregation(MeterCreateParams.DefaultAggregation.builder()
            .setFormula(MeterCreateParams.DefaultAggregation.Formula.SUM).build())
        .setCustomerMapping(MeterCreateParams.CustomerMapping.builder()
            .setEventPayloadKey(CUSTOMER_KEY).setType(MeterCreateParams.CustomerMapping.Type.BY_ID).build())
        .setValueSettings(MeterCreateParams.ValueSettings.builder().setEventPayloadKey(VALUE_KEY).build())
        .build(), idempotent("meter-" + eventName));
  }

  private CatalogIds.PlanPrices planPrices(Plan plan, Meter meter) throws StripeException {
    String monthlyKey = config.lookupKeyPrefix() + plan.id() + "_monthly";
    String overageKey = config.lookupKeyPrefix() + plan.id() + "_overage";
    Map<String, Price> found = new HashMap<>();
    for (Price price : client.prices().list(PriceListParams.builder().addLookupKey(monthlyKey)
        .addLookupKey(overageKey).setActive(true).setLimit(10L).build()).getData()) {
      found.put(price.getLookupKey(), price);
    }
    long monthlyCents = cents(plan.priceMonthly());
    Price monthly = found.get(monthlyKey);
    String productId = monthly != null ? monthly.getProduct() : null;
    if (productId == null) {
      Product product = client.products().create(ProductCreateParams.builder()
          .setName("Infermint " + plan.name()).putMetadata(PLAN, plan.id()).build(),
          idempotent("product-" + plan.id()));
      productId = product.getId();
    }
    if (monthly == null || !plan.currency().equals(monthly.getCurrency())
        || monthly.getUnitAmount() == null || monthly.getUnitAmount() != monthlyCents) {
      // A changed price is a new price that takes the lookup key over; subscriptions on the old one keep it. The
      // idempotency key names the price it replaces: a retry after a lost answer is the same call, while going back
      // to an earlier amount later is a new one (replaying the first creation would not move the lookup key back).
      monthly = client.prices().create(PriceCreateParams.builder()
          .setProduct(productId).setCurrency(plan.currency()).setUnitAmount(monthlyCents)
          .setNickname(plan.name() + " monthly")
          .setRecurring(PriceCreateParams.Recurring.builder()
              .setInterval(PriceCreateParams.Recurring.Interval.MONTH)
              .setUsageType(PriceCreateParams.Recurring.UsageType.LICENSED).build())
          .setLookupKey(monthlyKey).setTransferLookupKey(true).putMetadata(PLAN, plan.id()).build(),
          idempotent("price-" + monthlyKey + "-" + plan.currency() + "-" + monthlyCents + "-replacing-"
              + (monthly == null ? "none" : monthly.getId())));
    }
    String overagePriceId = null;
    if (Plan.OVERAGE_BILL.equals(plan.overage()) && plan.overagePer1000().signum() > 0) {
      BigDecimal perRequestCents = plan.overagePer1000().movePointRight(2).divide(BigDecimal.valueOf(1000), 12,
          RoundingMode.HALF_UP).stripTrailingZeros();
      Price overage = found.get(overageKey);
      if (overage == null || !plan.currency().equals(overage.getCurrency()) || overage.getUnitAmountDecimal() == null
          || overage.getUnitAmountDecimal().compareTo(perRequestCents) != 0
          || overage.getRecurring() == null || !meter.getId().equals(overage.getRecurring().getMeter())) {
        overage = client.prices().create(PriceCreateParams.builder()
            .setProduct(productId).setCurrency(plan.currency()).setUnitAmountDecimal(perRequestCents)
            .setNickname(plan.name() + " overage per request")
            .setRecurring(PriceCreateParams.Recurring.builder()
                .setInterval(PriceCreateParams.Recurring.Interval.MONTH)
                .setUsageType(PriceCreateParams.Recurring.UsageType.METERED)
                .setMeter(meter.getId()).build())
            .setLookupKey(overageKey).setTransferLookupKey(true).putMetadata(PLAN, plan.id()).build(),
            idempotent("price-" + overageKey + "-" + plan.currency() + "-" + perRequestCents.toPlainString()
                + "-" + meter.getId() + "-replacing-" + (overage == null ? "none" : overage.getId())));
      }
      overagePriceId = overage.getId();
    }
    return new CatalogIds.PlanPrices(productId, monthly.getId(), overagePriceId);
  }

  private static long cents(BigDecimal amount) {
    return amount.movePointRight(2).setScale(0, RoundingMode.HALF_UP).longValueExact();
  }

  // -------------------------------------------------------------------------------------------------- customers

  @Override
  public String createCustomer(TenantRef tenant) {
    return call("create the customer of tenant " + tenant.id(), () -> client.customers().create(
        CustomerCreateParams.builder().setName(tenant.name()).putMetadata(TENANT_ID, tenant.id())
            .putMetadata("tenant_slug", tenant.slug()).build(),
        idempotent("customer-" + tenant.id())).getId());
  }

  @Override
  public Optional<String> findCustomer(String tenantId) {
    if (!tenantId.matches("[A-Za-z0-9_-]{1,64}")) {
      return Optional.empty();
    }
    return call("find the customer of tenant " + tenantId, () -> client.customers().search(
        CustomerSearchParams.builder().setQuery("metadata['" + TENANT_ID + "']:'" + tenantId + "'").build())
        .getData().stream().map(Customer::getId).findFirst());
  }

  // --------------------------------------------------------------------------------------------- checkout, portal

  @Override
  public String checkout(CheckoutRequest request) {
    SessionCreateParams.Builder params = SessionCreateParams.builder()
        .setMode(SessionCreateParams.Mode.SUBSCRIPTION)
        .setCustomer(request.customerId())
        .setClientReferenceId(request.tenantId())
        .setSuccessUrl(config.checkoutSuccessUrl())
        .setCancelUrl(config.checkoutCancelUrl())
        .putMetadata(TENANT_ID, request.tenantId()).putMetadata(PLAN, request.plan())
        .setSubscriptionData(SessionCreateParams.SubscriptionData.builder()
            .putMetadata(TENANT_ID, request.tenantId()).putMetadata(PLAN, request.plan()).build())
        .addLineItem(SessionCreateParams.LineItem.builder().setPrice(request.prices().flatPriceId())
            .setQuantity(1L).build());
    if (request.prices().overagePriceId() != null) {
      params.addLineItem(SessionCreateParams.LineItem.builder().setPrice(request.prices().overagePriceId()).build());
    }
    return call("open a checkout for tenant " + request.tenantId(),
        () -> client.checkout().sessions().create(params.build(), idempotent(request.idempotencyKey())).getUrl());
  }

  @Override
  public String licenseCheckout(LicenseCheckoutRequest request) {
    String priceId = call("match or create the price of licence product " + request.productId(),
        () -> licensePrice(request));
    SessionCreateParams params = SessionCreateParams.builder()
        .setMode(SessionCreateParams.Mode.PAYMENT)
        .setCustomer(request.customerId())
        .setClientReferenceId(request.tenantId())
        .setSuccessUrl(config.checkoutSuccessUrl())
        .setCancelUrl(config.checkoutCancelUrl())
        .putMetadata(TENANT_ID, request.tenantId()).putMetadata(LICENSE_PRODUCT, request.productId())
        .addLineItem(SessionCreateParams.LineItem.builder().setPrice(priceId).setQuantity(1L).build())
        .build();
    return call("open a licence checkout for tenant " + request.tenantId(),
        () -> client.checkout().sessions().create(params, idempotent(request.idempotencyKey())).getUrl());
  }

  /** The product's one-time price, lookup key {@code <prefix>license_<id>}; a changed amount is a new price. */
  private String licensePrice(LicenseCheckoutRequest request) throws StripeException {
    String lookupKey = config.lookupKeyPrefix() + "license_" + request.productId();
    long amount = cents(request.price());
    List<Price> found = client.prices().list(PriceListParams.builder().addLookupKey(lookupKey).setActive(true)
        .setLimit(1L).build()).getData();
    Price current = found.isEmpty() ? null : found.get(0);
    if (current != null && request.currency().equals(current.getCurrency()) && current.getUnitAmount() != null
        && current.getUnitAmount() == amount && current.getRecurring() == null) {
      return current.getId();
    }
    String productId = current != null ? current.getProduct() : client.products().create(ProductCreateParams
        .builder().setName(request.productName()).putMetadata(LICENSE_PRODUCT, request.productId()).build(),
        idempotent("license-product-" + request.productId())).getId();
    return client.prices().create(PriceCreateParams.builder().setProduct(productId).setCurrency(request.currency())
        .setUnitAmount(amount).setNickname(request.productName()).setLookupKey(lookupKey).setTransferLookupKey(true)
        .putMetadata(LICENSE_PRODUCT, request.productId()).build(),
        idempotent("price-" + lookupKey + "-" + request.currency() + "-" + amount + "-replacing-"
            + (current == null ? "none" : current.getId()))).getId();
  }

  @Override
  public CheckoutResult checkoutSession(String sessionId) {
    Session session = call("read checkout session " + sessionId, () -> client.checkout().sessions()
        .retrieve(sessionId));
    return new CheckoutResult(session.getId(), session.getCustomer(), session.getClientReferenceId(),
        session.getSubscription(), session.getStatus(), session.getMode(), session.getPaymentStatus(),
        session.getMetadata() == null ? null : session.getMetadata().get(LICENSE_PRODUCT));
  }

  @Override
  public String portal(String customerId) {
    return call("open the customer portal", () -> client.billingPortal().sessions().create(
        com.stripe.param.billingportal.SessionCreateParams.builder().setCustomer(customerId)
            .setReturnUrl(config.portalReturnUrl()).build()).getUrl());
  }

  // --------------------------------------------------------------------------------------------- meters, usage

  @Override
  public void reportMeterEvent(MeterEvent event) {
    try {
      client.billing().meterEvents().create(meterEvent(event), idempotent("meter-event-" + event.identifier()));
    } catch (com.stripe.exception.InvalidRequestException e) {
      // Stripe keeps identifiers for at least 24 h and refuses a second event with one ("An event already exists
      // with identifier …", 400, no code): the usage is counted already, which is what a retry wanted.
      if (e.getMessage() != null && e.getMessage().contains("already exists with identifier")) {
        LOG.debugf("Meter event %s was counted before", event.identifier());
        return;
      }
      if ("timestamp".equals(e.getParam())) {
        // Outside the window Stripe accepts (the past 35 days): no retry can succeed.
        throw new MeterEventTooOldException("Stripe: meter event " + event.identifier() + " refused: "
            + e.getMessage(), e, e.getStatusCode() == null ? 400 : e.getStatusCode());
      }
      throw failure("report meter event " + event.identifier(), e);
    } catch (StripeException e) {
      throw failure("report meter event " + event.identifier(), e);
    }
  }

  private MeterEventCreateParams meterEvent(MeterEvent event) {
    return MeterEventCreateParams.builder().setEventName(config.meterEventName())
        .setIdentifier(event.identifier())
        .setTimestamp(event.timestamp().getEpochSecond())
        .putPayload(CUSTOMER_KEY, event.customerId())
        .putPayload(VALUE_KEY, Long.toString(event.value())).build();
  }

  @Override
  public long meterTotal(String meterId, String customerId, Instant from, Instant to) {
    return call("read the meter's summary", () -> {
      long total = 0;
      StripeCollection<MeterEventSummary> page = client.billing().meters().eventSummaries().list(meterId,
          MeterEventSummaryListParams.builder().setCustomer(customerId).setStartTime(from.getEpochSecond())
              .setEndTime(to.getEpochSecond()).setLimit(100L).build());
      for (MeterEventSummary summary : page.autoPagingIterable()) {
        total += summary.getAggregatedValue().setScale(0, RoundingMode.HALF_UP).longValueExact();
      }
      return total;
    });
  }

  // ------------------------------------------------------------------------------------------------------ invoices

  @Override
  public List<InvoiceView> invoices(String customerId, int limit) {
    return call("list invoices", () -> client.invoices().list(InvoiceListParams.builder().setCustomer(customerId)
        .setLimit((long) limit).build()).getData().stream().map(StripePaymentProvider::view).toList());
  }

  @Override
  public Optional<InvoiceView> upcomingInvoice(String customerId) {
    try {
      return Optional.of(view(client.invoices().createPreview(
          InvoiceCreatePreviewParams.builder().setCustomer(customerId).build())));
    } catch (com.stripe.exception.InvalidRequestException e) {
      // Stripe answers 400 invoice_upcoming_none when the customer has nothing to invoice next.
      LOG.debugf("No upcoming invoice for %s: %s", customerId, e.getMessage());
      return Optional.empty();
    } catch (StripeException e) {
      throw failure("preview the upcoming invoice", e);
    }
  }

  @Override
  public Optional<String> invoiceSubscription(String invoiceId) {
    Invoice invoice = call("read invoice " + invoiceId, () -> client.invoices().retrieve(invoiceId));
    if (invoice.getParent() != null && invoice.getParent().getSubscriptionDetails() != null) {
      return Optional.ofNullable(invoice.getParent().getSubscriptionDetails().getSubscription());
    }
    return Optional.empty();
  }

  private static InvoiceView view(Invoice invoice) {
    List<InvoiceView.Line> lines = new ArrayList<>();
    if (invoice.getLines() != null && invoice.getLines().getData() != null) {
      for (InvoiceLineItem line : invoice.getLines().getData()) {
        lines.add(new InvoiceView.Line(line.getDescription(), line.getQuantity(),
            line.getAmount() == null ? 0 : line.getAmount()));
      }
    }
    return new InvoiceView(invoice.getId(), invoice.getNumber(),
        invoice.getId() == null ? "upcoming" : invoice.getStatus(), invoice.getCurrency(),
        invoice.getTotal() == null ? 0 : invoice.getTotal(),
        invoice.getAmountDue() == null ? 0 : invoice.getAmountDue(),
        seconds(invoice.getPeriodStart()), seconds(invoice.getPeriodEnd()), invoice.getHostedInvoiceUrl(),
        List.copyOf(lines));
  }

  // ------------------------------------------------------------------------------------------------------ webhooks

  @Override
  public ProviderEvent verifyWebhook(String payload, String signatureHeader) {
    String secret = config.webhookSecret().orElseThrow(() -> new WebhookRejectedException(
        "STRIPE_WEBHOOK_SECRET is not set: webhooks cannot be verified", null));
    if (signatureHeader == null || signatureHeader.isBlank()) {
      throw new WebhookRejectedException("The Stripe-Signature header is missing", null);
    }
    Event event;
    try {
      event = Webhook.constructEvent(payload, signatureHeader, secret, config.webhookTolerance().toSeconds());
    } catch (SignatureVerificationException e) {
      throw new WebhookRejectedException("The Stripe-Signature does not match the payload, or is older than "
          + config.webhookTolerance().toSeconds() + " s", e);
    } catch (RuntimeException e) {
      throw new WebhookRejectedException("The payload is not a Stripe event", e);
    }
    if (event.getId() == null || event.getType() == null) {
      throw new WebhookRejectedException("The payload is not a Stripe event (no id or type)", null);
    }
    return new ProviderEvent(event.getId(), event.getType(), seconds(event.getCreated()), event.getApiVersion(),
        objectId(payload));
  }

  /** The object's id from the raw payload: readable whatever API version the event was rendered in. */
  private static String objectId(String payload) {
    try {
      JsonNode id = JSON.readTree(payload).path("data").path("object").path("id");
      return id.isTextual() ? id.asText() : null;
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public SubscriptionSnapshot subscription(String subscriptionId) {
    Subscription sub = call("read subscription " + subscriptionId, () -> client.subscriptions()
        .retrieve(subscriptionId));
    String plan = sub.getMetadata() == null ? null : sub.getMetadata().get(PLAN);
    Long periodEnd = null;
    if (sub.getItems() != null && sub.getItems().getData() != null) {
      for (SubscriptionItem item : sub.getItems().getData()) {
        String fromPrice = planOf(item.getPrice());
        if (fromPrice != null && item.getPrice().getRecurring() != null
            && !"metered".equals(item.getPrice().getRecurring().getUsageType())) {
          plan = fromPrice;
        }
        if (item.getCurrentPeriodEnd() != null) {
          periodEnd = periodEnd == null ? item.getCurrentPeriodEnd() : Math.max(periodEnd, item.getCurrentPeriodEnd());
        }
      }
    }
    return new SubscriptionSnapshot(sub.getId(), sub.getCustomer(),
        sub.getMetadata() == null ? null : sub.getMetadata().get(TENANT_ID), sub.getStatus(), plan, seconds(periodEnd));
  }

  /** The plan a price belongs to: its lookup key ({@code <prefix><plan>_monthly}), else its metadata. */
  private String planOf(Price price) {
    if (price == null) {
      return null;
    }
    String key = price.getLookupKey();
    String prefix = config.lookupKeyPrefix();
    if (key != null && key.startsWith(prefix) && key.endsWith("_monthly")) {
      return key.substring(prefix.length(), key.length() - "_monthly".length());
    }
    return price.getMetadata() == null ? null : price.getMetadata().get(PLAN);
  }

  // ------------------------------------------------------------------------------------------------------- helpers

  private static Instant seconds(Long epochSeconds) {
    return epochSeconds == null ? null : Instant.ofEpochSecond(epochSeconds);
  }

  private static RequestOptions idempotent(String key) {
    return RequestOptions.builder().setIdempotencyKey("infermint-" + key).build();
  }

  @FunctionalInterface
  private interface StripeCall<T> {
    T run() throws StripeException;
  }

  private static <T> T call(String what, StripeCall<T> call) {
    try {
      return call.run();
    } catch (StripeException e) {
      throw failure(what, e);
    }
  }

  private static PaymentProviderException failure(String what, StripeException e) {
    int status = e.getStatusCode() == null ? 0 : e.getStatusCode();
    boolean retryable = e instanceof ApiConnectionException || e instanceof RateLimitException
        || e instanceof ApiException || status == 0 || status == 409 || status == 429 || status >= 500;
    return new PaymentProviderException("Stripe: could not " + what + ": " + e.getMessage()
        + (e.getRequestId() == null ? "" : " (request " + e.getRequestId() + ")"), e, retryable, status);
  }
}
