package dev.infermint.licensing;

import java.time.Instant;
import java.util.List;

/**
 * The claims of a licence or machine file whose signature, type, expiry (and fingerprint) were checked.
 *
 * @param licenseId the licence id
 * @param machineId the machine id (machine files), else null
 * @param fingerprint the machine's fingerprint (machine files), else null
 * @param tenant the holder
 * @param product the product
 * @param entitlements the entitlement codes held
 * @param maxMachines machines at once
 * @param expirationStrategy {@code REVOKE_ACCESS} or {@code RESTRICT_ACCESS}
 * @param licenseExpiresAt when the licence expires, or null (perpetual)
 * @param fileExpiresAt the file's own {@code exp}
 */
public record VerifiedLicense(String licenseId, String machineId, String fingerprint, String tenant, String product,
    List<String> entitlements, int maxMachines, String expirationStrategy, Instant licenseExpiresAt,
    Instant fileExpiresAt) {

  /**
   * @param entitlement a code such as {@code model:minilm}
   * @return whether the licence holds it
   */
  public boolean entitles(String entitlement) {
    return entitlements.contains(entitlement);
  }
}
