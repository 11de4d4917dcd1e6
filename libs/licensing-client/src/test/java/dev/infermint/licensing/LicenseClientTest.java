package dev.infermint.licensing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The online calls and the command line, against a local server that answers as billing's licence API does and
 * records what the client sent.
 */
class LicenseClientTest {

  private static final String KEY = "LIC-TEST-KEY-1234";
  private static final String LICENSE = "0b5c2f8e-1111-4222-8333-444455556666";

  private HttpServer server;
  private final Map<String, String> seen = new ConcurrentHashMap<>();
  private volatile int seatsLeft = 1;
  private volatile boolean broken;
  private String machineFile;
  private OctetKeyPair signer;

  @TempDir
  Path dir;

  @BeforeEach
  void start() throws Exception {
    signer = new OctetKeyPairGenerator(Curve.Ed25519).keyID("k1").generate();
    machineFile = sign(new JWTClaimsSet.Builder().issuer("infermint").subject("m-1")
        .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(3600)))
        .claim("license", LICENSE).claim("fingerprint", "fp-1").claim("tenant", "t1").claim("product", "offline")
        .claim("entitlements", List.of("model:minilm")).claim("maxMachines", 1).build());
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/licenses/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String sign(JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID("k1")
        .type(new JOSEObjectType(LicenseVerifier.MACHINE_FILE_TYPE)).build(), claims);
    jwt.sign(new Ed25519Signer(signer));
    return jwt.serialize();
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    seen.put("path", path);
    seen.put("body", body);
    seen.put("auth", String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
    if (broken) {
      reply(ex, 503, "{\"code\":\"unavailable\",\"detail\":\"down for maintenance\"}");
      return;
    }
    boolean licensed = ("License " + KEY).equals(ex.getRequestHeaders().getFirst("Authorization"));
    if (path.equals("/api/v1/licenses/validate")) {
      boolean known = body.contains(KEY);
      reply(ex, 200, known ? "{\"valid\":true,\"code\":\"VALID\"}" : "{\"valid\":false,\"code\":\"NOT_FOUND\"}");
    } else if (path.equals("/api/v1/licenses/" + LICENSE + "/machines") && licensed) {
      if (seatsLeft-- > 0) {
        reply(ex, 201, "{\"id\":\"m-1\",\"licenseId\":\"" + LICENSE + "\",\"fingerprint\":\"fp-1\",\"name\":\"laptop\","
            + "\"heartbeatDeadline\":null}");
      } else {
        reply(ex, 422, "{\"code\":\"TOO_MANY_MACHINES\",\"detail\":\"1 of 1 machines are active\"}");
      }
    } else if (path.equals("/api/v1/licenses/" + LICENSE + "/machines/m-1/file") && licensed) {
      reply(ex, 200, "{\"machineFile\":\"" + machineFile + "\"}");
    } else if (!licensed) {
      reply(ex, 401, "{\"code\":\"unauthenticated\",\"detail\":\"a licence key is required\"}");
    } else {
      reply(ex, 404, "{\"code\":\"not_found\",\"detail\":\"no such licence\"}");
    }
  }

  private static void reply(HttpExchange ex, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", status < 400 ? "application/json" : "application/problem+json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  private LicenseClient client() {
    return new LicenseClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"));
  }

  @Test
  void validateSendsTheKeyFingerprintAndEntitlements() throws Exception {
    LicenseClient.Validation v = client().validate(KEY, "fp-1", List.of("model:minilm"));
    assertTrue(v.valid());
    assertEquals("VALID", v.code());
    Map<String, Object> sent = JSONObjectUtils.parse(seen.get("body"));
    assertEquals(Map.of("key", KEY, "fingerprint", "fp-1", "entitlements", List.of("model:minilm")), sent);
    assertEquals("null", seen.get("auth"), "validate needs no credentials");

    LicenseClient.Validation unknown = client().validate("LIC-NOPE", null, List.of());
    assertFalse(unknown.valid());
    assertEquals("NOT_FOUND", unknown.code());
    assertEquals(Map.of("key", "LIC-NOPE"), JSONObjectUtils.parse(seen.get("body")));
  }

  @Test
  void activateTakesOneSeatThenTooManyMachines() throws Exception {
    LicenseClient.Machine m = client().activate(LICENSE, KEY, "fp-1", "laptop");
    assertEquals("m-1", m.id());
    assertEquals("fp-1", m.fingerprint());
    assertNull(m.heartbeatDeadline());
    assertEquals("License " + KEY, seen.get("auth"));
    assertEquals("/api/v1/licenses/" + LICENSE + "/machines", seen.get("path"));
    assertEquals(Map.of("fingerprint", "fp-1", "name", "laptop"), JSONObjectUtils.parse(seen.get("body")));

    LicenseApiException full = assertThrows(LicenseApiException.class,
        () -> client().activate(LICENSE, KEY, "fp-2", null));
    assertEquals(422, full.status());
    assertEquals("TOO_MANY_MACHINES", full.code());
    assertTrue(full.getMessage().contains("1 of 1 machines"), full.getMessage());

    LicenseApiException wrongKey = assertThrows(LicenseApiException.class,
        () -> client().activate(LICENSE, "LIC-WRONG", "fp-3", null));
    assertEquals(401, wrongKey.status());
  }

  @Test
  void theMachineFileFetchedOnlineVerifiesOfflineForThisMachineOnly() throws Exception {
    String file = client().machineFile(LICENSE, "m-1", KEY);
    LicenseVerifier verifier = LicenseVerifier.fromJwks(new JWKSet(signer.toPublicJWK()).toString());
    VerifiedLicense license = verifier.verifyMachineFile(file, "fp-1");
    assertEquals(LICENSE, license.licenseId());
    LicenseVerificationException other = assertThrows(LicenseVerificationException.class,
        () -> verifier.verifyMachineFile(file, "fp-other"));
    assertEquals(LicenseVerificationException.Reason.FINGERPRINT_MISMATCH, other.reason());
  }

  @Test
  void failuresNameTheServersProblemOrTheUnreachableServer() throws Exception {
    broken = true;
    LicenseApiException down = assertThrows(LicenseApiException.class, () -> client().validate(KEY, null, null));
    assertEquals(503, down.status());
    assertEquals("unavailable", down.code());
    assertTrue(down.getMessage().contains("down for maintenance"));
    server.stop(0);
    LicenseApiException gone = assertThrows(LicenseApiException.class, () -> client().validate(KEY, null, null));
    assertEquals(0, gone.status());
  }

  @Test
  void theCommandLineActivatesFetchesAndVerifies() throws Exception {
    String url = "http://127.0.0.1:" + server.getAddress().getPort();
    Result activate = run("activate", "--url", url, "--key", KEY, "--license", LICENSE, "--fingerprint", "fp-1");
    assertEquals(0, activate.code, activate.err);
    assertTrue(activate.out.contains("ACTIVATED machine m-1"), activate.out);
    Result again = run("activate", "--url", url, "--key", KEY, "--license", LICENSE, "--fingerprint", "fp-2");
    assertEquals(LicenseCli.API_FAILED, again.code);
    assertTrue(again.err.startsWith("TOO_MANY_MACHINES"), again.err);

    Path file = dir.resolve("machine.jws");
    Result fetch = run("machine-file", "--url", url, "--key", KEY, "--license", LICENSE, "--machine", "m-1",
        "-o", file.toString());
    assertEquals(0, fetch.code, fetch.err);
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(signer.toPublicJWK()).toString());

    Result ok = run("verify", file.toString(), "--jwks", jwks.toString(), "--fingerprint", "fp-1",
        "--entitlement", "model:minilm");
    assertEquals(0, ok.code, ok.err);
    assertTrue(ok.out.startsWith("VALID licence " + LICENSE), ok.out);
    Result elsewhere = run("verify", file.toString(), "--jwks", jwks.toString(), "--fingerprint", "fp-9");
    assertEquals(LicenseCli.INVALID, elsewhere.code);
    assertTrue(elsewhere.err.contains("FINGERPRINT_MISMATCH"), elsewhere.err);
    Result notEntitled = run("verify", file.toString(), "--jwks", jwks.toString(), "--fingerprint", "fp-1",
        "--entitlement", "model:other");
    assertEquals(LicenseCli.INVALID, notEntitled.code);
    assertTrue(notEntitled.err.contains("ENTITLEMENTS_MISSING"), notEntitled.err);
    String tampered = Files.readString(file);
    tampered = tampered.substring(0, tampered.length() - 4) + (tampered.endsWith("AAAA") ? "BBBB" : "AAAA");
    Result forged = run("verify", tampered, "--jwks", jwks.toString(), "--fingerprint", "fp-1");
    assertEquals(LicenseCli.INVALID, forged.code, forged.out);

    Result valid = run("validate", "--url", url, "--key", KEY, "--fingerprint", "fp-1");
    assertEquals(0, valid.code, valid.err);
    assertEquals("VALID", valid.out.trim());
    Result invalid = run("validate", "--url", url, "--key", "LIC-NOPE");
    assertEquals(LicenseCli.INVALID, invalid.code);
    assertEquals("NOT_FOUND", invalid.err.trim());

    assertEquals(2, run("verify", file.toString()).code, "neither --public-key nor --jwks is a usage error");
    assertEquals(0, run("--help").code);
  }

  private record Result(int code, String out, String err) {
  }

  private static Result run(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine cli = LicenseCli.commandLine();
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
