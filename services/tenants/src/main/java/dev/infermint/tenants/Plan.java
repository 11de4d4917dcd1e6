package dev.infermint.tenants;

import java.util.Locale;
import java.util.Optional;

/** The plan a tenant is on; billing owns the limits and prices of each (configuration {@code infermint.plans.*}). */
public enum Plan {
  /** The default plan of a new tenant. */
  FREE,
  /** Paid plan with higher limits. */
  PRO,
  /** Negotiated plan with the highest limits. */
  ENTERPRISE;

  /** @return the plan as written in the API and the database, e.g. {@code free} */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads a plan from its wire name.
   *
   * @param value the wire name, e.g. {@code pro}; may be null
   * @return the plan, or empty when the value names no plan
   */
  public static Optional<Plan> fromWireName(String value) {
    if (value != null) {
      for (Plan plan : values()) {
        if (plan.wireName().equals(value)) {
          return Optional.of(plan);
        }
      }
    }
    return Optional.empty();
  }
}
