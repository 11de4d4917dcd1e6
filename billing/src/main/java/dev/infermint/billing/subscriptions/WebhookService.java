package dev.infermint.billing.subscriptions;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.infermint.billing.license.LicenseProduct;
import dev.infermint.billing.license.LicenseProducts;
import dev.infermint.billing.license.LicenseService;
import dev.infermint.billing.payments.CheckoutResult;
import dev.infermint.billing.payments.InvoicesChanged;
import dev.infermint.billing.payments.PaymentCustomers;
import dev.infermint.billing.payments.PaymentProvider;
import dev.infermint.billing.payments.PaymentProviderException;
import dev.infermint.billing.payments.ProviderEvent;

/**
 * Handles the processor's webhooks: verify, process each event id once, converge on the processor's state.
 * <ol>
 *   <li>The signature is checked over the body exactly as received ({@link PaymentProvider#verifyWebhook}); a
 *       forged, missing, stale or altered one is refused before anything is read or stored.</li>
 *   <li>In one transaction: the event id is claimed in {@code payment_webhook_event} (a replay finds it and changes
 *       nothing; a concurrent second delivery waits for the first), the event's object is re-read from the
 *       processor, the subscription is stored and the tenant's plan moved ({@link SubscriptionService}), and the
 *       outcome is recorded.</li>
 *   <li>If the processor or the tenants service cannot be reached, the transaction rolls back and the webhook is
 *       answered 503: nothing is stored as processed, so the processor's retry runs it again.</li>
 * </ol>
 * Handled: {@code checkout.session.completed}, {@code customer.subscription.created/updated/deleted},
 * {@code invoice.paid}, {@code invoice.payment_failed} (which also fire {@link InvoicesChanged}). Any other type is
 * recorded as {@code ignored} and answered 2xx, as the processor expects.
 */
@ApplicationScoped
public class WebhookService {

  private static final Logger LOG = Logger.getLogger(WebhookService.class);
  /** Seconds a webhook's transaction may take: two processor reads and two tenants calls, each with retries. */
  private static final int TRANSACTION_TIMEOUT_S = 120;

  @Inject
  PaymentProvider provider;
  @Inject
  PaymentCustomers customers;
  @Inject
  SubscriptionRepository repository;
  @Inject
  SubscriptionService subscriptions;
  @Inject
  Event<InvoicesChanged> invoicesChanged;
  @Inject
  ObjectMapper json;
  @Inject
  LicenseProducts licenseProducts;
  @Inject
  LicenseService licenses;
  @Inject
  MeterRegistry metrics;

  /** What was done with an event. */
  public enum Outcome {
    /** Its object was re-read and stored; the tenant's plan follows it. */
    SYNCED,
    /** A type billing does not act on, or an object that is not a subscription's. */
    IGNORED,
    /** No tenant could be found for its object. */
    TENANT_UNKNOWN,
    /** The processor does not know its object. */
    OBJECT_MISSING,
    /** Processed before: nothing was done this time. */
    DUPLICATE;

    /** @return the value stored and answered, e.g. {@code tenant_unknown} */
    public String value() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * @param event the verified event
   * @param outcome what was done
   * @param detail why, for people
   */
  public record Receipt(ProviderEvent event, Outcome outcome, String detail) {
  }

  /**
   * @param payload the request body, exactly as received
   * @param signature the signature header; may be null
   * @return what was done
   * @throws dev.infermint.billing.payments.WebhookRejectedException when the signature does not prove the sender
   * @throws dev.infermint.billing.payments.PaymentsDisabledException when the provider takes no webhooks
   * @throws PaymentProviderException when the processor cannot be read (nothing stored; its retry will work)
   * @throws dev.infermint.problem.ProblemException 503 when the tenants service cannot be reached
   */
  public Receipt receive(String payload, String signature) {
    ProviderEvent event = provider.verifyWebhook(payload, signature);
    Receipt receipt;
    try {
      receipt = QuarkusTransaction.requiringNew().timeout(TRANSACTION_TIMEOUT_S).call(() -> process(event, payload));
    } catch (RuntimeException e) {
      count(event, "failed");
      throw e;
    }
    count(event, receipt.outcome().value());
    LOG.debugf("Webhook %s %s (api_version %s): %s, %s", event.id(), event.type(), event.apiVersion(),
        receipt.outcome().value(), receipt.detail());
    return receipt;
  }

  /** A paid payment-mode session for a licence product: the licence is issued once per session. */
  private Receipt licensePurchased(ProviderEvent event, CheckoutResult session) {
    if (!"payment".equals(session.mode()) || !"complete".equals(session.status())
        || !"paid".equals(session.paymentStatus())) {
      return new Receipt(event, Outcome.IGNORED, "checkout session " + session.sessionId() + " is "
          + session.status() + "/" + session.paymentStatus() + ": no licence yet");
    }
    String tenantId = customers.tenantOf(session.customerId()).orElse(session.tenantId());
    Optional<LicenseProduct> product = licenseProducts.find(session.licenseProduct());
    if (tenantId == null || product.isEmpty()) {
      LOG.errorf("Paid checkout session %s names tenant %s and licence product %s, which billing cannot issue: "
          + "refund or issue by hand", session.sessionId(), tenantId, session.licenseProduct());
      return new Receipt(event, Outcome.IGNORED, "licence product " + session.licenseProduct() + " is unknown");
    }
    LicenseService.PurchaseResult result = licenses.issueForPurchase(session.sessionId(), tenantId, product.get());
    LOG.infof("Checkout session %s: licence %s for tenant %s (%s)", session.sessionId(), result.licenseId(),
        tenantId, result.issued() ? "issued" : "issued before");
    return new Receipt(event, Outcome.SYNCED, "licence " + result.licenseId()
        + (result.issued() ? " issued" : " was issued before"));
  }

  private Receipt process(ProviderEvent event, String payload) {
    if (!repository.claimEvent(provider.id(), event)) {
      return new Receipt(event, Outcome.DUPLICATE, "processed before: "
          + repository.outcome(event.id()).orElse("?"));
    }
    Receipt receipt = handle(event, payload);
    repository.recordOutcome(event.id(), receipt.outcome().value(), receipt.detail());
    return receipt;
  }

  private Receipt handle(ProviderEvent event, String payload) {
    String requestId = "stripe-" + event.id();
    if (!handled(event.type())) {
      return new Receipt(event, Outcome.IGNORED, "type " + event.type() + " is not handled");
    }
    if (event.objectId() == null) {
      return new Receipt(event, Outcome.IGNORED, "the event names no object");
    }
    switch (event.type()) {
      case "checkout.session.completed": {
        Optional<CheckoutResult> session = read(() -> provider.checkoutSession(event.objectId()));
        if (session.isEmpty()) {
          return new Receipt(event, Outcome.OBJECT_MISSING, "checkout session " + event.objectId() + " is unknown");
        }
        if (session.get().subscriptionId() == null) {
          if (session.get().licenseProduct() != null) {
            return licensePurchased(event, session.get());
          }
          return new Receipt(event, Outcome.IGNORED, "checkout session " + event.objectId()
              + " made no subscription");
        }
        return receipt(event, subscriptions.sync(session.get().subscriptionId(), session.get().tenantId(),
            requestId));
      }
      case "invoice.paid", "invoice.payment_failed": {
        Optional<Optional<String>> subscription = read(() -> provider.invoiceSubscription(event.objectId()));
        if (subscription.isEmpty()) {
          return new Receipt(event, Outcome.OBJECT_MISSING, "invoice " + event.objectId() + " is unknown");
        }
        SubscriptionService.Sync sync = subscription.get().isPresent()
            ? subscriptions.sync(subscription.get().get(), null, requestId) : null;
        String tenantId = customerOf(payload).flatMap(customers::tenantOf)
            .orElse(sync == null ? null : sync.tenantId());
        if (tenantId != null) {
          invoicesChanged.fire(new InvoicesChanged(tenantId));
        }
        return sync != null ? receipt(event, sync)
            : new Receipt(event, Outcome.IGNORED, "invoice " + event.objectId() + " belongs to no subscription");
      }
      default:
        return receipt(event, subscriptions.sync(event.objectId(), null, requestId));
    }
  }

  private static boolean handled(String type) {
    return switch (type) {
      case "checkout.session.completed", "customer.subscription.created", "customer.subscription.updated",
          "customer.subscription.deleted", "invoice.paid", "invoice.payment_failed" -> true;
      default -> false;
    };
  }

  private static Receipt receipt(ProviderEvent event, SubscriptionService.Sync sync) {
    Outcome outcome = switch (sync.outcome()) {
      case SYNCED -> Outcome.SYNCED;
      case TENANT_UNKNOWN -> Outcome.TENANT_UNKNOWN;
      case OBJECT_MISSING -> Outcome.OBJECT_MISSING;
    };
    return new Receipt(event, outcome, sync.detail());
  }

  /** Reads an object; empty when the processor says it does not exist, a failure when it cannot answer. */
  private static <T> Optional<T> read(java.util.function.Supplier<T> call) {
    try {
      return Optional.of(call.get());
    } catch (PaymentProviderException e) {
      if (!e.retryable() && e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The customer of the event's object: an id, stable in every API version (unlike the object's shape). */
  private Optional<String> customerOf(String payload) {
    try {
      JsonNode customer = json.readTree(payload).path("data").path("object").path("customer");
      if (customer.isTextual()) {
        return Optional.of(customer.asText());
      }
      return customer.path("id").isTextual() ? Optional.of(customer.path("id").asText()) : Optional.empty();
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }

  private void count(ProviderEvent event, String outcome) {
    Counter.builder("infermint_billing_webhook_events_total").description("Webhook events received, by outcome")
        .tag("type", handled(event.type()) ? event.type() : "other").tag("outcome", outcome)
        .register(metrics).increment();
  }
}
