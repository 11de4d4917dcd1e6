package dev.infermint.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

import dev.infermint.stack.Ports;
import dev.infermint.stack.ServiceProcess;
import dev.infermint.stack.Stack;
import dev.infermint.testsupport.OnnxModelBuilder;
import dev.infermint.testsupport.TestTokens;

/**
 * A licensed model on the buyer's machine (issue #11 item 4), end to end: the platform issues a licence for a
 * tenant's model, the buyer activates a machine, takes its machine file and the public key, downloads the model
 * through the gateway, and runs the inference worker standalone from that folder — no Keycloak, no registry, no
 * token. It serves the entitled model with the right numbers, refuses a model the licence does not entitle, and
 * stops serving when the machine file expires.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneWorkerIT {

  private static final String FINGERPRINT = "buyer-box-" + UUID.randomUUID();
  private static final Map<String, Object> CALL = Map.of("inputs", List.of(Map.of("name", "x",
      "shape", List.of(1, 3), "datatype", "FP32", "data", List.of(1, 2, 3))));

  private ServiceProcess worker;
  private Path home;

  @BeforeAll
  void buyAndInstall() throws Exception {
    Stack stack = SharedStack.get();
    String gateway = stack.gatewayUrl();
    String admin = TestTokens.password(stack.keycloakUrl(), "admin", "admin");
    String slug = "seller-" + Long.toHexString(System.nanoTime());
    String tenant = given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("name", slug, "slug", slug))
        .post(gateway + "/api/v1/tenants").then().statusCode(201).extract().path("id");
    String apiKey = given().auth().oauth2(admin).contentType(ContentType.JSON)
        .body(Map.of("name", "ci", "scopes", List.of("inference", "admin")))
        .post(gateway + "/api/v1/tenants/{id}/api-keys", tenant).then().statusCode(201).extract().path("key");
    given().auth().oauth2(apiKey)
        .multiPart("file", "m.onnx", OnnxModelBuilder.affine(new float[] {2, 3, 4}, new float[] {1, -1, 0.5f}),
            "application/octet-stream")
        .multiPart("task", "generic").post(gateway + "/api/v1/models/{m}/versions", "offline-affine")
        .then().statusCode(201);

    // A licence whose machine files live 20 s, so that the test sees one expire.
    Response licence = given().auth().oauth2(admin).contentType(ContentType.JSON)
        .body(Map.of("tenantId", tenant, "product", "offline-affine", "maxMachines", 1,
            "entitlements", List.of("model:offline-affine"), "policy", Map.of("machineFileTtlSeconds", 20)))
        .post(gateway + "/api/v1/licenses").then().statusCode(201).extract().response();
    String id = licence.path("id");
    String key = licence.path("key");
    String machine = given().header("Authorization", "License " + key).contentType(ContentType.JSON)
        .body(Map.of("fingerprint", FINGERPRINT)).post(gateway + "/api/v1/licenses/{id}/machines", id)
        .then().statusCode(201).extract().path("id");
    String machineFile = given().header("Authorization", "License " + key)
        .post(gateway + "/api/v1/licenses/{id}/machines/{m}/file", id, machine).then().statusCode(200).extract()
        .path("machineFile");
    byte[] zip = given().header("Authorization", "License " + key).header("X-Machine-Fingerprint", FINGERPRINT)
        .get(gateway + "/api/v1/licenses/{id}/models/offline-affine", id).then().statusCode(200)
        .contentType("application/zip").extract().asByteArray();

    home = Files.createTempDirectory("buyer-");
    Path models = home.resolve("models");
    unzip(zip, models.resolve("offline-affine"));
    // The same files under a name the licence does not entitle.
    Path copy = models.resolve("not-licensed");
    unzip(zip, copy);
    Files.writeString(home.resolve("license.jws"), (String) licence.path("license"));
    Files.writeString(home.resolve("machine.jws"), machineFile);
    Files.writeString(home.resolve("public.pem"), given().get(gateway + "/api/v1/licenses/public-key")
        .then().statusCode(200).extract().asString());

    Path root = Path.of(System.getProperty("infermint.root", "..")).toAbsolutePath().normalize();
    worker = new ServiceProcess("standalone-worker", root.resolve("services/inference-worker"), Ports.free(),
        Map.of("INFERMINT_WORKER_STANDALONE_ENABLED", "true",
            "INFERMINT_WORKER_STANDALONE_MODELS_DIR", models.toString(),
            "INFERMINT_WORKER_STANDALONE_LICENSE_FILE", home.resolve("license.jws").toString(),
            "INFERMINT_WORKER_STANDALONE_MACHINE_FILE", home.resolve("machine.jws").toString(),
            "INFERMINT_WORKER_STANDALONE_PUBLIC_KEY", home.resolve("public.pem").toString(),
            "INFERMINT_WORKER_STANDALONE_FINGERPRINT", FINGERPRINT,
            "INFERMINT_WORKER_STANDALONE_CHECK_INTERVAL", "1s",
            "INFERMINT_WORKER_CACHE_DIR", home.resolve("cache").toString(),
            "DJL_OFFLINE", "true", "OPT_OUT_TRACKING", "true"),
        List.of("-Xmx384m", "-XX:+UseSerialGC"), home.resolve("worker.log"));
    worker.start();
    worker.awaitReady(Duration.ofMinutes(2));
  }

  @AfterAll
  void stop() {
    if (worker != null) {
      worker.close();
    }
  }

  @Test
  void servesTheEntitledModelRefusesTheOtherAndStopsWhenTheMachineFileExpires() throws Exception {
    Response r = given().contentType(ContentType.JSON).body(CALL)
        .post(worker.url() + "/v2/models/offline-affine/infer");
    r.then().statusCode(200).body("outputs[0].name", equalTo("y"));
    List<Float> y = r.path("outputs[0].data");
    assertEquals(List.of(3f, 5f, 12.5f), y, "2x+1, 3x-1, 4x+0.5 of (1, 2, 3)");

    given().contentType(ContentType.JSON).body(CALL).post(worker.url() + "/v2/models/not-licensed/infer")
        .then().statusCode(403).contentType("application/problem+json").body("code", equalTo("ENTITLEMENTS_MISSING"));

    // Callers from another machine (here: this machine's own non-loopback address) are refused without an API key.
    String lan = nonLoopbackAddress();
    if (lan != null) {
      given().contentType(ContentType.JSON).body(CALL)
          .post(worker.url().replace("localhost", lan).replace("127.0.0.1", lan) + "/v2/models/offline-affine/infer")
          .then().statusCode(403).body("code", equalTo("forbidden"));
    }

    await("the machine file's 20 s run out").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500))
        .until(() -> given().contentType(ContentType.JSON).body(CALL)
            .post(worker.url() + "/v2/models/offline-affine/infer").statusCode() == 503);
    given().contentType(ContentType.JSON).body(CALL).post(worker.url() + "/v2/models/offline-affine/infer")
        .then().statusCode(503).body("code", equalTo("license_invalid"));
    given().get(worker.url() + "/q/health/ready").then().statusCode(503);
  }

  private static String nonLoopbackAddress() throws Exception {
    for (java.net.NetworkInterface nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (java.net.InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
        if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress()) {
          return a.getHostAddress();
        }
      }
    }
    return null;
  }

  private static void unzip(byte[] zip, Path into) throws Exception {
    Files.createDirectories(into);
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        Files.write(into.resolve(Path.of(e.getName()).getFileName().toString()), in.readAllBytes());
      }
    }
  }
}
