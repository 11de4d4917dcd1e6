package dev.infermint.billing.license;

import java.time.Duration;

/**
 * How a licence may be used (Keygen's policy).
 *
 * @param floating true: machines come and go up to maxMachines; false: node-locked to one machine, which only an
 *     admin deactivates
 * @param expirationStrategy {@code REVOKE_ACCESS}: an expired licence stops working; {@code RESTRICT_ACCESS}: it keeps
 *     working for versions released before its expiry (the claim {@code expirationStrategy} tells offline verifiers)
 * @param heartbeat a machine that does not ping within this window is dead and frees its seat; null: none required
 * @param machineFileTtl lifetime of a machine file
 */
public record LicensePolicy(boolean floating, String expirationStrategy, Duration heartbeat,
    Duration machineFileTtl) {

  /** Expired licences stop working. */
  public static final String REVOKE_ACCESS = "REVOKE_ACCESS";
  /** Expired licences keep working for versions released before the expiry. */
  public static final String RESTRICT_ACCESS = "RESTRICT_ACCESS";
}
