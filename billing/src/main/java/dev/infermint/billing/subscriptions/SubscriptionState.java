package dev.infermint.billing.subscriptions;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * A subscription as billing last read it from the processor, and what it means for the tenant's plan.
 *
 * @param id subscription id
 * @param tenantId the tenant it is for
 * @param customerId the tenant's customer
 * @param status the processor's status ({@code trialing}, {@code active}, {@code past_due}, {@code canceled}, ...)
 * @param plan the plan its flat price belongs to; null when none of ours
 * @param currentPeriodEnd end of the period paid for; null when unknown
 * @param pastDueSince when billing first saw it past due; null unless past due
 * @param graceEndedAt when the end of the past-due grace was applied; null otherwise
 */
public record SubscriptionState(String id, String tenantId, String customerId, String status, String plan,
    Instant currentPeriodEnd, Instant pastDueSince, Instant graceEndedAt) {

  /** Statuses that give the tenant the subscription's plan. */
  static final Set<String> GRANTING = Set.of("trialing", "active");
  /** Statuses after which the tenant falls back (past_due joins them once the grace is over). */
  static final Set<String> ENDED = Set.of("canceled", "unpaid", "incomplete_expired", "paused");
  /** Statuses that make a second checkout of the same plan a duplicate. */
  static final Set<String> CURRENT = Set.of("trialing", "active", "past_due");

  /**
   * @param now the time to judge at
   * @param grace how long a past-due subscription keeps its plan
   * @return whether the tenant is owed this subscription's plan at {@code now}
   */
  public boolean grantsPlan(Instant now, Duration grace) {
    if (plan == null) {
      return false;
    }
    return GRANTING.contains(status) || "past_due".equals(status) && !graceOver(now, grace);
  }

  /**
   * @param now the time to judge at
   * @param grace how long a past-due subscription keeps its plan
   * @return whether this subscription no longer pays for anything: the tenant falls back unless another one does
   */
  public boolean ended(Instant now, Duration grace) {
    return ENDED.contains(status) || "past_due".equals(status) && graceOver(now, grace);
  }

  private boolean graceOver(Instant now, Duration grace) {
    return pastDueSince != null && !now.isBefore(pastDueSince.plus(grace));
  }
}
