package dev.infermint.gateway.quota;

import java.time.Instant;

import dev.infermint.metering.QuotaKeys;

/** Turns counter values into decisions the same way for every store, so that local and Redis answer alike. */
final class QuotaWindows {

  private QuotaWindows() {
  }

  /**
   * @param outcome what the counters said
   * @param limits the plan's limits
   * @param minuteCount the minute counter after the step
   * @param monthCount the month counter after the step
   * @param now the instant of the step
   * @return the decision with its header values
   */
  static QuotaDecision decide(QuotaDecision.Outcome outcome, PlanLimits limits, long minuteCount, long monthCount,
      Instant now) {
    long limit = limits.requestsPerMinute();
    long reset = QuotaKeys.secondsToNextMinute(now);
    long remaining = Math.max(0, limit - minuteCount);
    long retryAfter = switch (outcome) {
      case RATE_LIMITED -> reset;
      case QUOTA_EXCEEDED -> QuotaKeys.secondsToNextMonth(now);
      default -> 0;
    };
    return new QuotaDecision(outcome, limit, remaining, reset, retryAfter, monthCount);
  }

  /**
   * @param limits the plan's limits
   * @param minuteCount calls counted this minute
   * @param monthCount calls counted this month
   * @param now the instant of the reading
   * @return the state as {@code /quota} shows it
   */
  static QuotaState state(PlanLimits limits, long minuteCount, long monthCount, Instant now) {
    return new QuotaState(limits.requestsPerMinute(), Math.max(0, limits.requestsPerMinute() - minuteCount),
        QuotaKeys.secondsToNextMinute(now), limits.requestsPerMonth(), monthCount, QuotaKeys.nextMonth(now));
  }

  /** @return the outcome for counters before a step, without counting it */
  static QuotaDecision.Outcome outcomeBefore(PlanLimits limits, long minuteCount, long monthCount) {
    boolean pastMonth = monthCount >= limits.requestsPerMonth();
    if (pastMonth && limits.overage() == PlanLimits.Overage.BLOCK) {
      return QuotaDecision.Outcome.QUOTA_EXCEEDED;
    }
    if (minuteCount >= limits.requestsPerMinute()) {
      return QuotaDecision.Outcome.RATE_LIMITED;
    }
    return pastMonth ? QuotaDecision.Outcome.ADMITTED_OVERAGE : QuotaDecision.Outcome.ADMITTED;
  }
}
