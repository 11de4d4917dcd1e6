package dev.infermint.worker.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

import org.jboss.logging.Logger;

import dev.infermint.licensing.LicenseVerificationException;
import dev.infermint.licensing.LicenseVerifier;
import dev.infermint.licensing.VerifiedLicense;
import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;

/**
 * The licence a standalone worker serves under, verified offline with licensing-client: the licence file and this
 * machine's machine file, signed with the platform's Ed25519 key (the public key PEM), bound to this machine's
 * fingerprint, unexpired; every model served must be entitled ({@code model:<name>}). Files are read again at every
 * {@link #refresh()}, so a renewed machine file is picked up without a restart; expiry is checked on every call.
 */
public final class StandaloneLicense {

  private static final Logger LOG = Logger.getLogger(StandaloneLicense.class);

  private final Path publicKey;
  private final Path licenseFile;
  private final Path machineFile;
  private final String fingerprint;
  private final Clock clock;
  private volatile VerifiedLicense license;
  private volatile String refusal = "the licence has not been verified yet";

  /**
   * @param publicKey the licence public key (PEM)
   * @param licenseFile the licence file (compact JWS)
   * @param machineFile this machine's machine file (compact JWS)
   * @param fingerprint this machine's fingerprint
   * @param clock the clock expiry is judged by
   */
  public StandaloneLicense(Path publicKey, Path licenseFile, Path machineFile, String fingerprint, Clock clock) {
    this.publicKey = publicKey;
    this.licenseFile = licenseFile;
    this.machineFile = machineFile;
    this.fingerprint = fingerprint;
    this.clock = clock;
  }

  /**
   * Verifies the files again.
   *
   * @return whether the worker may serve
   */
  public synchronized boolean refresh() {
    try {
      LicenseVerifier verifier = LicenseVerifier.fromPublicKeyPem(Files.readString(publicKey)).withClock(clock);
      VerifiedLicense lic = verifier.verifyLicense(Files.readString(licenseFile).trim());
      VerifiedLicense machine = verifier.verifyMachineFile(Files.readString(machineFile).trim(), fingerprint);
      if (!lic.licenseId().equals(machine.licenseId())) {
        throw new LicenseVerificationException(LicenseVerificationException.Reason.MALFORMED,
            "the machine file belongs to licence " + machine.licenseId() + ", not " + lic.licenseId());
      }
      if (license == null || !license.equals(machine)) {
        LOG.infof("Licence %s verified for machine %s: entitlements %s, valid until %s", machine.licenseId(),
            fingerprint, machine.entitlements(), servingUntil(machine));
      }
      license = machine;
      refusal = null;
      return true;
    } catch (LicenseVerificationException e) {
      fail(e.reason() + ": " + e.getMessage());
    } catch (IOException | IllegalArgumentException e) {
      fail("the licence files cannot be read: " + e.getMessage());
    }
    return false;
  }

  private void fail(String why) {
    if (!why.equals(refusal)) {
      LOG.errorf("Standalone worker stops serving: %s", why);
    }
    license = null;
    refusal = why;
  }

  private static Instant servingUntil(VerifiedLicense l) {
    Instant until = l.fileExpiresAt();
    if (l.licenseExpiresAt() != null && (until == null || l.licenseExpiresAt().isBefore(until))) {
      until = l.licenseExpiresAt();
    }
    return until;
  }

  /**
   * @return the verified licence, for a call
   * @throws ProblemException 503 {@code license_invalid} while the files do not verify or have expired
   */
  public VerifiedLicense requireServing() {
    VerifiedLicense l = license;
    if (l == null) {
      throw Problems.of(503, "license_invalid", "Licence not valid", "This worker serves under a licence that does "
          + "not verify: " + refusal);
    }
    Instant until = servingUntil(l);
    if (until != null && !clock.instant().isBefore(until)) {
      fail("EXPIRED: the licence or machine file expired at " + until);
      throw Problems.of(503, "license_invalid", "Licence not valid", "This worker serves under a licence that does "
          + "not verify: " + refusal);
    }
    return l;
  }

  /**
   * @param model a model name
   * @return the licence's tenant, whose calls these are
   * @throws ProblemException 503 as {@link #requireServing()}; 403 {@code ENTITLEMENTS_MISSING} without
   *     {@code model:<name>}
   */
  public String requireEntitled(String model) {
    VerifiedLicense l = requireServing();
    if (!l.entitles("model:" + model)) {
      throw Problems.of(403, "ENTITLEMENTS_MISSING", "Entitlements missing", "The licence does not hold model:"
          + model);
    }
    return l.tenant();
  }

  /** @return whether the worker may serve now */
  public boolean serving() {
    try {
      requireServing();
      return true;
    } catch (ProblemException e) {
      return false;
    }
  }

  /** @return why the worker does not serve, or null while it does */
  public String refusal() {
    return serving() ? null : refusal;
  }
}
