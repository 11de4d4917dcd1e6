package dev.infermint.billing.subscriptions;

import java.util.List;

import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;

/** The failures of checkout and the customer portal, built in one place (answered by libs/problem's mapper). */
final class SubscriptionProblems {

  private SubscriptionProblems() {
  }

  /** 422 naming {@code plan}: missing, unknown, or free (nothing to pay for). */
  static ProblemException notPurchasable(String plan, List<String> purchasable) {
    String what = plan == null || plan.isBlank() ? "is required" : "'" + plan + "' cannot be bought";
    return Problems.validation("plan", what + "; plans that can be bought: " + purchasable);
  }

  /** 409 {@code already_subscribed}: a second checkout of the same plan would bill the tenant twice. */
  static ProblemException alreadySubscribed(String tenantId, String plan) {
    return Problems.of(409, "already_subscribed", "Already subscribed", "Tenant " + tenantId
        + " already has a current subscription to plan '" + plan + "'; change or renew it in the billing portal");
  }

  /** 503 {@code unavailable}: the plan's prices are not known at the processor yet (catalog sync pending). */
  static ProblemException catalogNotReady(String plan) {
    return Problems.unavailable("The prices of plan '" + plan + "' are not synchronised with the payment provider"
        + " yet; try again shortly");
  }
}
