package dev.infermint.worker.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.infermint.licensing.LicenseVerifier;
import dev.infermint.problem.ProblemException;

/**
 * The standalone worker's licence check, offline: serves while the licence and this machine's machine file verify
 * with the public key; refuses (503 {@code license_invalid}) an expired, tampered or foreign file, and (403
 * {@code ENTITLEMENTS_MISSING}) a model the licence does not entitle. Files signed here as billing signs them.
 */
class StandaloneLicenseTest {

  private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

  @TempDir
  Path dir;

  private final OctetKeyPair key = generate();

  private static OctetKeyPair generate() {
    try {
      return new OctetKeyPairGenerator(Curve.Ed25519).keyID("k1").generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String sign(String type, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID("k1")
        .type(new JOSEObjectType(type)).build(), claims);
    jwt.sign(new Ed25519Signer(key));
    return jwt.serialize();
  }

  private JWTClaimsSet.Builder claims(Instant exp) {
    return new JWTClaimsSet.Builder().issuer("infermint").issueTime(Date.from(NOW.minusSeconds(60)))
        .expirationTime(Date.from(exp)).claim("tenant", "t-buyer").claim("product", "minilm-offline")
        .claim("entitlements", List.of("model:affine")).claim("maxMachines", 1)
        .claim("expirationStrategy", "REVOKE_ACCESS");
  }

  private StandaloneLicense license(Instant licenceExp, Instant machineExp, String boundTo, Instant now)
      throws Exception {
    Files.writeString(dir.resolve("license.jws"), sign(LicenseVerifier.LICENSE_TYPE,
        claims(licenceExp).subject("lic-1").build()));
    Files.writeString(dir.resolve("machine.jws"), sign(LicenseVerifier.MACHINE_FILE_TYPE,
        claims(machineExp).subject("m-1").claim("license", "lic-1").claim("fingerprint", boundTo).build()));
    byte[] spki = java.security.KeyFactory.getInstance("Ed25519").generatePublic(
        new java.security.spec.X509EncodedKeySpec(concat(
            new byte[] {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00},
            key.getDecodedX()))).getEncoded();
    Files.writeString(dir.resolve("public.pem"), "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(spki) + "\n-----END PUBLIC KEY-----\n");
    return new StandaloneLicense(dir.resolve("public.pem"), dir.resolve("license.jws"), dir.resolve("machine.jws"),
        "fp-here", Clock.fixed(now, ZoneOffset.UTC));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void servesEntitledModelsOnlyWhileTheFilesVerify() throws Exception {
    StandaloneLicense l = license(NOW.plusSeconds(86_400), NOW.plusSeconds(3_600), "fp-here", NOW);
    assertTrue(l.refresh());
    assertEquals("t-buyer", l.requireEntitled("affine"));
    ProblemException unentitled = assertThrows(ProblemException.class, () -> l.requireEntitled("other-model"));
    assertEquals(403, unentitled.status());
    assertEquals("ENTITLEMENTS_MISSING", unentitled.problem().code());
  }

  @Test
  void anExpiredMachineFileStopsServing() throws Exception {
    StandaloneLicense l = license(NOW.plusSeconds(86_400), NOW.minusSeconds(1), "fp-here", NOW);
    assertFalse(l.refresh());
    ProblemException e = assertThrows(ProblemException.class, () -> l.requireEntitled("affine"));
    assertEquals(503, e.status());
    assertEquals("license_invalid", e.problem().code());
    assertTrue(l.refusal().startsWith("EXPIRED"), l.refusal());
  }

  @Test
  void aFileThatExpiresWhileServingIsRefusedAtTheNextCall() throws Exception {
    StandaloneLicense l = license(NOW.plusSeconds(86_400), NOW.plusSeconds(1), "fp-here", NOW);
    assertTrue(l.refresh());
    StandaloneLicense later = new StandaloneLicense(dir.resolve("public.pem"), dir.resolve("license.jws"),
        dir.resolve("machine.jws"), "fp-here", Clock.fixed(NOW.plusSeconds(2), ZoneOffset.UTC));
    assertFalse(later.refresh());
    assertThrows(ProblemException.class, later::requireServing);
  }

  @Test
  void aTamperedOrForeignMachineFileIsRefused() throws Exception {
    StandaloneLicense foreign = license(NOW.plusSeconds(86_400), NOW.plusSeconds(3_600), "fp-elsewhere", NOW);
    assertFalse(foreign.refresh());
    assertTrue(foreign.refusal().startsWith("FINGERPRINT_MISMATCH"), foreign.refusal());

    StandaloneLicense l = license(NOW.plusSeconds(86_400), NOW.plusSeconds(3_600), "fp-here", NOW);
    assertTrue(l.refresh());
    String jws = Files.readString(dir.resolve("license.jws"));
    String[] parts = jws.split("\\.");
    String claims = new String(Base64.getUrlDecoder().decode(parts[1]));
    String widened = claims.replace("model:affine", "model:everything");
    Files.writeString(dir.resolve("license.jws"), parts[0] + "."
        + Base64.getUrlEncoder().withoutPadding().encodeToString(widened.getBytes()) + "." + parts[2]);
    assertFalse(l.refresh(), "a licence whose entitlements were edited no longer verifies");
    assertTrue(l.refusal().startsWith("BAD_SIGNATURE"), l.refusal());
    assertThrows(ProblemException.class, () -> l.requireEntitled("affine"));
  }
}
