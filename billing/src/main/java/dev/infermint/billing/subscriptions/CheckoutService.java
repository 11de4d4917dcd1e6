package dev.infermint.billing.subscriptions;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.infermint.billing.payments.CatalogIds;
import dev.infermint.billing.payments.CheckoutRequest;
import dev.infermint.billing.payments.IdempotencyKeys;
import dev.infermint.billing.payments.PaymentCatalog;
import dev.infermint.billing.payments.PaymentCustomers;
import dev.infermint.billing.payments.PaymentProvider;
import dev.infermint.billing.payments.PaymentsDisabledException;
import dev.infermint.billing.service.Plan;
import dev.infermint.billing.service.PlanService;

/**
 * Opens the processor's hosted pages for a tenant: a checkout of a plan's subscription (its flat monthly price and,
 * for {@code overage: bill} plans, its metered overage price) and the customer portal. What is bought and its price
 * come from billing's catalog, never from the client; the client only names the plan.
 */
@ApplicationScoped
public class CheckoutService {

  @Inject
  PaymentProvider provider;
  @Inject
  PaymentCatalog catalog;
  @Inject
  PaymentCustomers customers;
  @Inject
  PlanService plans;
  @Inject
  SubscriptionService subscriptions;

  /**
   * @param tenantId the buying tenant
   * @param plan the plan id
   * @param clientKey the client's {@code Idempotency-Key}, or null: a retry with the same key (and tenant and plan)
   *     opens the same session; without one each call opens its own
   * @return the checkout page's url
   * @throws PaymentsDisabledException with a provider that has no checkout
   * @throws dev.infermint.problem.ProblemException 422 for a plan that cannot be bought, 409
   *     {@code already_subscribed}, 503 while the catalog is not synchronised, 404 for an unknown tenant
   */
  public String checkout(String tenantId, String plan, String clientKey) {
    if (!provider.capabilities().contains(PaymentProvider.Capability.CHECKOUT)) {
      throw new PaymentsDisabledException(provider.id(), PaymentProvider.Capability.CHECKOUT);
    }
    List<String> purchasable = plans.list().stream().filter(p -> p.priceMonthly().signum() > 0).map(Plan::id)
        .toList();
    if (plan == null || !purchasable.contains(plan)) {
      throw SubscriptionProblems.notPurchasable(plan, purchasable);
    }
    CatalogIds.PlanPrices prices = catalog.ids().map(ids -> ids.plans().get(plan))
        .orElseThrow(() -> SubscriptionProblems.catalogNotReady(plan));
    if (prices == null) {
      throw SubscriptionProblems.catalogNotReady(plan);
    }
    if (QuarkusTransaction.joiningExisting().call(() -> subscriptions.subscribed(tenantId, plan))) {
      throw SubscriptionProblems.alreadySubscribed(tenantId, plan);
    }
    String customerId = customers.ensure(tenantId);
    String attempt = IdempotencyKeys.attempt(clientKey);
    return provider.checkout(new CheckoutRequest(tenantId, customerId, plan, prices,
        "checkout-" + tenantId + "-" + plan + "-" + attempt));
  }

  /**
   * @param tenantId the tenant
   * @return the customer portal's url for the tenant's customer
   * @throws PaymentsDisabledException with a provider that has no portal
   * @throws dev.infermint.problem.ProblemException 404 for an unknown tenant
   */
  public String portal(String tenantId) {
    if (!provider.capabilities().contains(PaymentProvider.Capability.PORTAL)) {
      throw new PaymentsDisabledException(provider.id(), PaymentProvider.Capability.PORTAL);
    }
    return provider.portal(customers.ensure(tenantId));
  }

  /** Bounds the key's length (Stripe takes at most 255 characters) whatever the client sent. */
}
