package dev.infermint.gateway.quota;

/**
 * The limits of a plan that the gateway enforces.
 *
 * @param plan the plan id
 * @param requestsPerMinute admitted inference calls per minute per tenant
 * @param requestsPerMonth admitted inference calls per calendar month (UTC) per tenant
 * @param overage what happens past {@code requestsPerMonth}
 */
public record PlanLimits(String plan, long requestsPerMinute, long requestsPerMonth, Overage overage) {

  /** A plan's policy for calls past its monthly quota, as billing's plan catalog names it. */
  public enum Overage {
    /** Refuse them: 429 {@code quota_exceeded} until the next month. */
    BLOCK,
    /** Admit them and flag their usage as billable overage. */
    BILL;

    /**
     * @param value {@code block} or {@code bill} (any case); anything else is {@code block}
     * @return the policy
     */
    public static Overage of(String value) {
      return "bill".equalsIgnoreCase(value) ? BILL : BLOCK;
    }

    /** @return the policy as the API writes it */
    public String wire() {
      return this == BILL ? "bill" : "block";
    }
  }
}
