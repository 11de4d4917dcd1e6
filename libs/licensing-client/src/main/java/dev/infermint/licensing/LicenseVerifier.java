package dev.infermint.licensing;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.infermint.licensing.LicenseVerificationException.Reason;

/**
 * Verifies Infermint licence files and machine files offline: Ed25519 signature ({@code alg} EdDSA) by a published
 * key, the file's type, {@code exp}, and for machine files the fingerprint. Thread-safe; build it once from the
 * platform's {@code jwks.json} (every key, so files signed before a key rotation still verify) or its
 * {@code public-key} PEM.
 *
 * <pre>{@code
 * LicenseVerifier verifier = LicenseVerifier.fromJwks(Files.readString(Path.of("jwks.json")));
 * VerifiedLicense lic = verifier.verifyMachineFile(Files.readString(Path.of("machine.lic")), myFingerprint);
 * lic = verifier.requireEntitlements(lic, "model:minilm");
 * }</pre>
 */
public final class LicenseVerifier {

  /** typ of licence files. */
  public static final String LICENSE_TYPE = "license+jwt";
  /** typ of machine files. */
  public static final String MACHINE_FILE_TYPE = "machine-file+jwt";
  /** DER of an Ed25519 SubjectPublicKeyInfo before the 32 key bytes. */
  private static final byte[] SPKI_PREFIX = java.util.HexFormat.of().parseHex("302a300506032b6570032100");

  private final List<OctetKeyPair> keys;
  private final Clock clock;

  private LicenseVerifier(List<OctetKeyPair> keys, Clock clock) {
    this.keys = List.copyOf(keys);
    this.clock = clock;
  }

  /**
   * @param jwks the JWK Set of {@code GET /api/v1/licenses/jwks.json}
   * @return a verifier trusting every Ed25519 key in it
   * @throws IllegalArgumentException when it is not a JWK Set with an Ed25519 key
   */
  public static LicenseVerifier fromJwks(String jwks) {
    try {
      List<OctetKeyPair> okps = JWKSet.parse(jwks).getKeys().stream()
          .filter(k -> k instanceof OctetKeyPair o && Curve.Ed25519.equals(o.getCurve()))
          .map(JWK::toOctetKeyPair).map(OctetKeyPair::toPublicJWK).toList();
      if (okps.isEmpty()) {
        throw new IllegalArgumentException("the JWK Set holds no Ed25519 key");
      }
      return new LicenseVerifier(okps, Clock.systemUTC());
    } catch (ParseException e) {
      throw new IllegalArgumentException("not a JWK Set: " + e.getMessage(), e);
    }
  }

  /**
   * @param pem the Ed25519 public key, SubjectPublicKeyInfo PEM ({@code GET /api/v1/licenses/public-key})
   * @return a verifier trusting that key
   * @throws IllegalArgumentException when it is not such a key
   */
  public static LicenseVerifier fromPublicKeyPem(String pem) {
    String b64 = Objects.requireNonNull(pem, "pem").replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "")
        .replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the PEM is not base64", e);
    }
    if (der.length != SPKI_PREFIX.length + 32
        || !Arrays.equals(Arrays.copyOf(der, SPKI_PREFIX.length), SPKI_PREFIX)) {
      throw new IllegalArgumentException("not an Ed25519 public key (SubjectPublicKeyInfo)");
    }
    Base64URL x = Base64URL.encode(Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length));
    return new LicenseVerifier(List.of(new OctetKeyPair.Builder(Curve.Ed25519, x).build()), Clock.systemUTC());
  }

  /**
   * @param clock the clock that decides expiry (tests, or a trusted time source)
   * @return this verifier with that clock
   */
  public LicenseVerifier withClock(Clock clock) {
    return new LicenseVerifier(keys, Objects.requireNonNull(clock, "clock"));
  }

  /**
   * Verifies a licence file ({@code license} of a licence answer).
   *
   * @param jws the compact JWS
   * @return its claims
   * @throws LicenseVerificationException when it is forged, changed, of another type or expired
   */
  public VerifiedLicense verifyLicense(String jws) throws LicenseVerificationException {
    return verify(jws, LICENSE_TYPE, null);
  }

  /**
   * Verifies a machine file for this machine.
   *
   * @param jws the compact JWS ({@code machineFile})
   * @param fingerprint this machine's fingerprint, as it was activated
   * @return its claims
   * @throws LicenseVerificationException when it is forged, changed, of another type, expired, or another
   *     machine's
   */
  public VerifiedLicense verifyMachineFile(String jws, String fingerprint) throws LicenseVerificationException {
    return verify(jws, MACHINE_FILE_TYPE, Objects.requireNonNull(fingerprint, "fingerprint"));
  }

  /**
   * @param license a verified licence or machine file
   * @param entitlements codes this software needs
   * @return the licence
   * @throws LicenseVerificationException ENTITLEMENTS_MISSING naming what is not held
   */
  public VerifiedLicense requireEntitlements(VerifiedLicense license, String... entitlements)
      throws LicenseVerificationException {
    List<String> missing = Arrays.stream(entitlements).filter(e -> !license.entitles(e)).toList();
    if (!missing.isEmpty()) {
      throw new LicenseVerificationException(Reason.ENTITLEMENTS_MISSING, "the licence does not hold " + missing);
    }
    return license;
  }

  private VerifiedLicense verify(String jws, String type, String fingerprint) throws LicenseVerificationException {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(Objects.requireNonNull(jws, "jws").trim());
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new LicenseVerificationException(Reason.MALFORMED, "not a compact JWS: " + e.getMessage());
    }
    if (!JWSAlgorithm.EdDSA.equals(jwt.getHeader().getAlgorithm())) {
      throw new LicenseVerificationException(Reason.UNKNOWN_KEY, "alg is " + jwt.getHeader().getAlgorithm()
          + ", not EdDSA");
    }
    if (!verified(jwt)) {
      throw new LicenseVerificationException(Reason.BAD_SIGNATURE,
          "the signature does not match any trusted key (kid " + jwt.getHeader().getKeyID() + ")");
    }
    if (!new JOSEObjectType(type).equals(jwt.getHeader().getType())) {
      throw new LicenseVerificationException(Reason.WRONG_TYPE, "typ is " + jwt.getHeader().getType() + ", not "
          + type);
    }
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw new LicenseVerificationException(Reason.MALFORMED, "the file has no exp");
    }
    if (!exp.toInstant().isAfter(clock.instant())) {
      throw new LicenseVerificationException(Reason.EXPIRED, "the file expired at " + exp.toInstant());
    }
    try {
      boolean machine = MACHINE_FILE_TYPE.equals(type);
      String fileFingerprint = machine ? claims.getStringClaim("fingerprint") : null;
      if (machine && !fingerprint.equals(fileFingerprint)) {
        throw new LicenseVerificationException(Reason.FINGERPRINT_MISMATCH,
            "the machine file is bound to another machine's fingerprint");
      }
      Long licenseExp = claims.getLongClaim("expiresAt");
      Long max = claims.getLongClaim("maxMachines");
      List<String> entitlements = claims.getStringListClaim("entitlements");
      return new VerifiedLicense(machine ? claims.getStringClaim("license") : claims.getSubject(),
          machine ? claims.getSubject() : null, fileFingerprint, claims.getStringClaim("tenant"),
          claims.getStringClaim("product"), entitlements == null ? List.of() : List.copyOf(entitlements),
          max == null ? 0 : max.intValue(), claims.getStringClaim("expirationStrategy"),
          licenseExp == null ? null : Instant.ofEpochSecond(licenseExp), exp.toInstant());
    } catch (ParseException e) {
      throw new LicenseVerificationException(Reason.MALFORMED, "a claim has the wrong type: " + e.getMessage());
    }
  }

  private boolean verified(SignedJWT jwt) throws LicenseVerificationException {
    String kid = jwt.getHeader().getKeyID();
    for (OctetKeyPair key : keys) {
      if (kid != null && key.getKeyID() != null && !kid.equals(key.getKeyID())) {
        continue;
      }
      try {
        if (jwt.verify(new Ed25519Verifier(key))) {
          return true;
        }
      } catch (JOSEException e) {
        throw new LicenseVerificationException(Reason.UNKNOWN_KEY, "cannot verify: " + e.getMessage());
      }
    }
    return false;
  }
}
