package dev.infermint.billing.license;

import java.util.Collection;
import java.util.Map;

import dev.infermint.problem.Problem;
import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;

/** The failures of licence operations, with SPEC's codes; every other failure comes from {@link Problems}. */
final class LicenseProblems {

  private LicenseProblems() {
  }

  /** 404 for an unknown licence, another tenant's, or a key of another licence: the same answer, nothing to probe. */
  static ProblemException notFound(Object id) {
    return Problems.notFound("license", String.valueOf(id));
  }

  /** 401: {@code Authorization: License <key>} is missing or malformed. */
  static ProblemException licenseKeyRequired() {
    return new ProblemException(new Problem(Problem.TYPE_BASE + "unauthenticated", "Unauthenticated", 401,
        "This endpoint needs 'Authorization: License <key>' with the licence's key", "unauthenticated", null,
        Map.of()), Map.of("WWW-Authenticate", "License realm=\"infermint\""));
  }

  /** 422 {@code TOO_MANY_MACHINES}. */
  static ProblemException tooManyMachines(int maxMachines) {
    return Problems.of(422, "TOO_MANY_MACHINES", "Too many machines",
        "The licence allows " + maxMachines + " machine(s) at once and all are activated; deactivate one first");
  }

  /** 409 {@code FINGERPRINT_TAKEN}: the fingerprint is already activated on this licence. */
  static ProblemException fingerprintTaken() {
    return Problems.of(409, "FINGERPRINT_TAKEN", "Fingerprint taken",
        "This fingerprint is already activated on the licence");
  }

  /** 403 {@code SUSPENDED}. */
  static ProblemException suspended() {
    return Problems.of(403, "SUSPENDED", "Licence suspended", "The licence is suspended");
  }

  /** 403 {@code EXPIRED}. */
  static ProblemException expired() {
    return Problems.of(403, "EXPIRED", "Licence expired", "The licence has expired");
  }

  /** 403 {@code ENTITLEMENTS_MISSING}. */
  static ProblemException entitlementsMissing(Collection<String> missing) {
    return Problems.of(403, "ENTITLEMENTS_MISSING", "Entitlements missing",
        "The licence does not hold " + missing);
  }

  /** 403: a node-locked licence's machine is freed by an admin, not with the licence key. */
  static ProblemException nodeLocked() {
    return Problems.forbidden("The licence is node-locked: only a tenant admin or a platform admin deactivates its "
        + "machine");
  }
}
