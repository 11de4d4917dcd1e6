package dev.infermint.billing.license;

/** The answer of {@code POST /api/v1/licenses/validate} (SPEC §5), as Keygen names them; only VALID is valid. */
public enum ValidationCode {
  /** The licence may be used (on that machine, with those entitlements). */
  VALID,
  /** No licence has that key. */
  NOT_FOUND,
  /** Past {@code expiresAt}. */
  EXPIRED,
  /** Suspended by an admin. */
  SUSPENDED,
  /** More live machines than {@code maxMachines}. */
  TOO_MANY_MACHINES,
  /** The fingerprint is not an activated, live machine of the licence. */
  FINGERPRINT_NOT_ACTIVATED,
  /** An entitlement asked for is not held. */
  ENTITLEMENTS_MISSING
}
