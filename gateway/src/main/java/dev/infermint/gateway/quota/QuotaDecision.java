package dev.infermint.gateway.quota;

/**
 * Whether one call was admitted, which limit refused it otherwise, and what the {@code X-RateLimit-*} headers report.
 *
 * @param outcome admitted (within quota or as billable overage) or which limit refused
 * @param limit the per-minute limit
 * @param remaining calls left in the current minute after this one
 * @param resetSeconds seconds until the current minute's allowance refills
 * @param retryAfterSeconds when refused, seconds until a call can be admitted (to the next minute or month)
 * @param monthUsed calls counted this month, this one included when admitted
 */
public record QuotaDecision(Outcome outcome, long limit, long remaining, long resetSeconds, long retryAfterSeconds,
    long monthUsed) {

  /** What the quota said. */
  public enum Outcome {
    /** Within both limits. */
    ADMITTED,
    /** Past the monthly quota on a plan with {@code overage: bill}: admitted, its usage flagged as overage. */
    ADMITTED_OVERAGE,
    /** Past the per-minute limit: 429 {@code rate_limited}. */
    RATE_LIMITED,
    /** Past the monthly quota on a plan with {@code overage: block}: 429 {@code quota_exceeded}. */
    QUOTA_EXCEEDED
  }

  /** @return whether the call may go on */
  public boolean admitted() {
    return outcome == Outcome.ADMITTED || outcome == Outcome.ADMITTED_OVERAGE;
  }

  /** @return whether the call is billable overage */
  public boolean overage() {
    return outcome == Outcome.ADMITTED_OVERAGE;
  }
}
