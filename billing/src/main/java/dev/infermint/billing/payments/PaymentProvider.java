package dev.infermint.billing.payments;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.infermint.billing.service.Plan;

/**
 * Where payments are taken: one implementation per processor, chosen by configuration and built only when chosen
 * ({@link PaymentProviders}). A provider declares what it can do in {@link #capabilities()}; every operation of a
 * capability it lacks throws {@link PaymentsDisabledException}, which the API answers as 409 {@code payment_sync_off}.
 * Operations that reach the processor throw {@link PaymentProviderException}, which says whether a retry may help.
 */
public interface PaymentProvider {

  /** What a provider can do. */
  enum Capability {
    /** A customer per tenant. */
    CUSTOMERS,
    /** Plans as products and prices, matched or created at start. */
    CATALOG,
    /** Hosted checkout of a subscription. */
    CHECKOUT,
    /** Hosted customer portal. */
    PORTAL,
    /** Usage reported to the processor's meters, and read back for reconciliation. */
    METER_REPORTING,
    /** The processor's invoices, and the upcoming one. */
    INVOICES,
    /** Signed notifications from the processor. */
    WEBHOOKS
  }

  /** @return the id by which configuration selects this provider, e.g. {@code none} */
  String id();

  /** @return what this provider can do; empty for {@code none} */
  Set<Capability> capabilities();

  /** @return whether subscriptions and invoices are synchronised with a real payment processor */
  default boolean syncsPayments() {
    return !capabilities().isEmpty();
  }

  /**
   * Matches or creates each plan's product, its flat monthly price and, for {@code overage: bill} plans, its metered
   * overage price on the overage meter.
   *
   * @param plans the catalog
   * @return the processor's ids per plan, and the meter's
   */
  default CatalogIds syncCatalog(List<Plan> plans) {
    throw new PaymentsDisabledException(id(), Capability.CATALOG);
  }

  /**
   * Creates the tenant's customer, idempotently: calling it twice for one tenant makes one customer.
   *
   * @param tenant the tenant
   * @return the customer's id at the processor
   */
  default String createCustomer(TenantRef tenant) {
    throw new PaymentsDisabledException(id(), Capability.CUSTOMERS);
  }

  /**
   * @param tenantId a tenant id
   * @return the processor's customer for the tenant, found by the tenant id in its metadata
   */
  default Optional<String> findCustomer(String tenantId) {
    throw new PaymentsDisabledException(id(), Capability.CUSTOMERS);
  }

  /**
   * Opens a hosted checkout for a subscription to a plan.
   *
   * @param request who buys what
   * @return the page to send the customer to
   */
  default String checkout(CheckoutRequest request) {
    throw new PaymentsDisabledException(id(), Capability.CHECKOUT);
  }

  /**
   * @param customerId the customer
   * @return the customer portal's page for that customer
   */
  default String portal(String customerId) {
    throw new PaymentsDisabledException(id(), Capability.PORTAL);
  }

  /**
   * Reports usage to the overage meter. The identifier is the processor's deduplication key: reporting the same
   * event twice counts it once.
   *
   * @param event the aggregated usage
   */
  default void reportMeterEvent(MeterEvent event) {
    throw new PaymentsDisabledException(id(), Capability.METER_REPORTING);
  }

  /**
   * @param meterId the meter
   * @param customerId the customer
   * @param from start, inclusive, aligned to a UTC day
   * @param to end, exclusive, aligned to a UTC day
   * @return the meter's total for the customer over the range, as the processor aggregated it
   */
  default long meterTotal(String meterId, String customerId, Instant from, Instant to) {
    throw new PaymentsDisabledException(id(), Capability.METER_REPORTING);
  }

  /**
   * @param customerId the customer
   * @param limit at most this many, newest first
   * @return the customer's invoices
   */
  default List<InvoiceView> invoices(String customerId, int limit) {
    throw new PaymentsDisabledException(id(), Capability.INVOICES);
  }

  /**
   * @param customerId the customer
   * @return the invoice the customer's subscription will produce next, if it has one
   */
  default Optional<InvoiceView> upcomingInvoice(String customerId) {
    throw new PaymentsDisabledException(id(), Capability.INVOICES);
  }

  /**
   * Verifies a webhook's signature and reads its envelope.
   *
   * @param payload the request body, exactly as received
   * @param signatureHeader the signature header's value; may be null
   * @return the event
   * @throws WebhookRejectedException when the signature is missing, wrong or too old, or the payload is not an event
   */
  default ProviderEvent verifyWebhook(String payload, String signatureHeader) {
    throw new PaymentsDisabledException(id(), Capability.WEBHOOKS);
  }

  /**
   * Reads a subscription's current state from the processor (webhooks are hints: the object is re-read).
   *
   * @param subscriptionId the subscription
   * @return its state
   */
  default SubscriptionSnapshot subscription(String subscriptionId) {
    throw new PaymentsDisabledException(id(), Capability.WEBHOOKS);
  }

  /**
   * Opens a hosted checkout of a one-time payment for a licence product; the processor's price is matched by lookup
   * key or made.
   *
   * @param request who buys which product
   * @return the page to send the customer to
   */
  default String licenseCheckout(LicenseCheckoutRequest request) {
    throw new PaymentsDisabledException(id(), Capability.CHECKOUT);
  }

  /**
   * @param sessionId a checkout session
   * @return what the session bought
   */
  default CheckoutResult checkoutSession(String sessionId) {
    throw new PaymentsDisabledException(id(), Capability.CHECKOUT);
  }

  /**
   * @param invoiceId an invoice
   * @return the subscription the invoice belongs to, if any
   */
  default Optional<String> invoiceSubscription(String invoiceId) {
    throw new PaymentsDisabledException(id(), Capability.INVOICES);
  }
}
