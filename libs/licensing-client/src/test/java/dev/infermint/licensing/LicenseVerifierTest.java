package dev.infermint.licensing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.infermint.licensing.LicenseVerificationException.Reason;

/** Files signed here as billing signs them (EdDSA, kid, typ, claims), verified offline. */
class LicenseVerifierTest {

  private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

  private final OctetKeyPair key = generate("k1");
  private final OctetKeyPair rotated = generate("k2");
  private final LicenseVerifier verifier = LicenseVerifier.fromJwks(
      new JWKSet(List.of(rotated.toPublicJWK(), key.toPublicJWK())).toString())
      .withClock(Clock.fixed(NOW, ZoneOffset.UTC));

  private static OctetKeyPair generate(String kid) {
    try {
      return new OctetKeyPairGenerator(Curve.Ed25519).keyID(kid).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sign(OctetKeyPair key, String type, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(key.getKeyID())
        .type(new JOSEObjectType(type)).build(), claims);
    jwt.sign(new Ed25519Signer(key));
    return jwt.serialize();
  }

  private static JWTClaimsSet.Builder claims(Instant exp) {
    return new JWTClaimsSet.Builder().issuer("infermint").issueTime(Date.from(NOW.minusSeconds(60)))
        .expirationTime(Date.from(exp)).claim("tenant", "t1").claim("product", "minilm-offline")
        .claim("entitlements", List.of("model:minilm")).claim("maxMachines", 2)
        .claim("expirationStrategy", "REVOKE_ACCESS").claim("expiresAt", exp.getEpochSecond());
  }

  private String machineFile(OctetKeyPair signer, String fingerprint, Instant exp) throws Exception {
    return sign(signer, LicenseVerifier.MACHINE_FILE_TYPE, claims(exp).subject("m1").claim("license", "lic-1")
        .claim("fingerprint", fingerprint).build());
  }

  @Test
  void verifiesALicenceAndReadsItsClaims() throws Exception {
    String jws = sign(key, LicenseVerifier.LICENSE_TYPE, claims(NOW.plusSeconds(3600)).subject("lic-1").build());
    VerifiedLicense lic = verifier.verifyLicense(jws);
    assertEquals("lic-1", lic.licenseId());
    assertEquals("t1", lic.tenant());
    assertEquals(2, lic.maxMachines());
    assertEquals(List.of("model:minilm"), lic.entitlements());
    assertEquals(NOW.plusSeconds(3600), lic.licenseExpiresAt());
    verifier.requireEntitlements(lic, "model:minilm");
    assertEquals(Reason.ENTITLEMENTS_MISSING, assertThrows(LicenseVerificationException.class,
        () -> verifier.requireEntitlements(lic, "model:minilm", "model:gpt")).reason());
  }

  @Test
  void aTamperedOrForeignFileFails() throws Exception {
    String jws = sign(key, LicenseVerifier.LICENSE_TYPE, claims(NOW.plusSeconds(3600)).subject("lic-1").build());
    String[] parts = jws.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"maxMachines\":2",
        "\"maxMachines\":200");
    String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes())
        + "." + parts[2];
    assertEquals(Reason.BAD_SIGNATURE, assertThrows(LicenseVerificationException.class,
        () -> verifier.verifyLicense(tampered)).reason());
    String foreign = sign(generate("k1"), LicenseVerifier.LICENSE_TYPE,
        claims(NOW.plusSeconds(3600)).subject("lic-1").build());
    assertEquals(Reason.BAD_SIGNATURE, assertThrows(LicenseVerificationException.class,
        () -> verifier.verifyLicense(foreign)).reason());
    assertEquals(Reason.MALFORMED, assertThrows(LicenseVerificationException.class,
        () -> verifier.verifyLicense("not.a-jws")).reason());
  }

  @Test
  void anExpiredLicenceFails() throws Exception {
    String jws = sign(key, LicenseVerifier.LICENSE_TYPE, claims(NOW.minusSeconds(1)).subject("lic-1").build());
    assertEquals(Reason.EXPIRED, assertThrows(LicenseVerificationException.class,
        () -> verifier.verifyLicense(jws)).reason());
  }

  @Test
  void aMachineFileIsRefusedOnAnotherFingerprintAndAfterItsTtl() throws Exception {
    String file = machineFile(key, "fp-1", NOW.plusSeconds(600));
    VerifiedLicense lic = verifier.verifyMachineFile(file, "fp-1");
    assertEquals("m1", lic.machineId());
    assertEquals("lic-1", lic.licenseId());
    assertEquals(Reason.FINGERPRINT_MISMATCH, assertThrows(LicenseVerificationException.class,
        () -> verifier.verifyMachineFile(file, "fp-2")).reason());
    LicenseVerifier later = verifier.withClock(Clock.fixed(NOW.plusSeconds(601), ZoneOffset.UTC));
    assertEquals(Reason.EXPIRED, assertThrows(LicenseVerificationException.class,
        () -> later.verifyMachineFile(file, "fp-1")).reason());
    // A licence file is no machine file, and the reverse.
    assertEquals(Reason.WRONG_TYPE, assertThrows(LicenseVerificationException.class,
        () -> verifier.verifyLicense(file)).reason());
  }

  @Test
  void filesSignedBeforeARotationVerifyWithTheJwksAndThePemTrustsOneKey() throws Exception {
    String old = machineFile(key, "fp-1", NOW.plusSeconds(600));
    String current = machineFile(rotated, "fp-1", NOW.plusSeconds(600));
    verifier.verifyMachineFile(old, "fp-1");
    verifier.verifyMachineFile(current, "fp-1");

    byte[] spki = java.security.KeyFactory.getInstance("Ed25519").generatePublic(
        new java.security.spec.X509EncodedKeySpec(concat(java.util.HexFormat.of()
            .parseHex("302a300506032b6570032100"), rotated.getDecodedX()))).getEncoded();
    String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(spki)
        + "\n-----END PUBLIC KEY-----\n";
    LicenseVerifier byPem = LicenseVerifier.fromPublicKeyPem(pem).withClock(Clock.fixed(NOW, ZoneOffset.UTC));
    byPem.verifyMachineFile(current, "fp-1");
    assertEquals(Reason.BAD_SIGNATURE, assertThrows(LicenseVerificationException.class,
        () -> byPem.verifyMachineFile(old, "fp-1")).reason());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
