package dev.infermint.billing.license;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.infermint.testsupport.TestTokens;

/**
 * Licensed model downloads (SPEC §5, issue #11 item 4): with the licence key and an activated machine's fingerprint
 * the buyer gets the files of an entitled model as a zip whose bytes are the registry's; every other case is refused
 * with the licence codes.
 */
@QuarkusTest
class LicensedModelDownloadTest {

  private static final String MODEL = "licensed-affine";

  @Test
  void anEntitledActivatedMachineDownloadsTheRegistrysBytes() throws Exception {
    Map<String, String> licence = licence(List.of("model:" + MODEL));
    activate(licence, "fp-download-1");
    Response r = download(licence, "fp-download-1", MODEL);
    r.then().statusCode(200).contentType("application/zip")
        .header("Content-Disposition", "attachment; filename=\"" + MODEL + "-2.zip\"");
    Map<String, byte[]> files = unzip(r.asByteArray());
    assertEquals(java.util.Set.of("model.json", "model.onnx", "tokenizer.json"), files.keySet());
    assertArrayEquals(RegistryStandIn.ONNX, files.get("model.onnx"));
    assertArrayEquals(RegistryStandIn.TOKENIZER, files.get("tokenizer.json"));
    JsonNode manifest = new ObjectMapper().readTree(files.get("model.json"));
    assertEquals(MODEL, manifest.path("name").asText());
    assertEquals(2, manifest.path("version").asInt());
    assertEquals("sha256:" + RegistryStandIn.sha256(RegistryStandIn.ONNX), manifest.path("digest").asText());
    assertEquals(licence.get("id"), manifest.path("license").asText());
  }

  @Test
  void everythingElseIsRefusedWithTheLicenceCodes() {
    Map<String, String> other = licence(List.of("model:something-else"));
    activate(other, "fp-download-2");
    download(other, "fp-download-2", MODEL).then().statusCode(403).contentType("application/problem+json")
        .body("code", equalTo("ENTITLEMENTS_MISSING"));

    Map<String, String> entitled = licence(List.of("model:" + MODEL));
    activate(entitled, "fp-download-3");
    download(entitled, "fp-not-activated", MODEL).then().statusCode(403).body("code",
        equalTo("FINGERPRINT_NOT_ACTIVATED"));
    download(entitled, null, MODEL).then().statusCode(422).body("field", equalTo("X-Machine-Fingerprint"));
    given().header("Authorization", "License lic_" + "x".repeat(43)).header("X-Machine-Fingerprint", "fp-download-3")
        .get("/api/v1/licenses/{id}/models/{m}", entitled.get("id"), MODEL).then().statusCode(404);
    given().header("X-Machine-Fingerprint", "fp-download-3")
        .get("/api/v1/licenses/{id}/models/{m}", entitled.get("id"), MODEL).then().statusCode(401);

    given().auth().oauth2(TestTokens.platformAdmin()).post("/api/v1/licenses/{id}/suspend", entitled.get("id"))
        .then().statusCode(200);
    download(entitled, "fp-download-3", MODEL).then().statusCode(403).body("code", equalTo("SUSPENDED"));
  }

  private static Map<String, String> licence(List<String> entitlements) {
    Map<String, Object> body = new HashMap<>(Map.of("tenantId", "t-dl-" + UUID.randomUUID().toString().substring(0, 8),
        "product", "offline-models", "maxMachines", 2, "entitlements", entitlements));
    Response r = given().auth().oauth2(TestTokens.platformAdmin()).contentType(ContentType.JSON).body(body)
        .post("/api/v1/licenses");
    r.then().statusCode(201);
    return Map.of("id", r.path("id"), "key", r.path("key"));
  }

  private static void activate(Map<String, String> licence, String fingerprint) {
    given().header("Authorization", "License " + licence.get("key")).contentType(ContentType.JSON)
        .body(Map.of("fingerprint", fingerprint)).post("/api/v1/licenses/{id}/machines", licence.get("id"))
        .then().statusCode(201);
  }

  private static Response download(Map<String, String> licence, String fingerprint, String model) {
    var request = given().header("Authorization", "License " + licence.get("key"));
    if (fingerprint != null) {
      request = request.header("X-Machine-Fingerprint", fingerprint);
    }
    return request.get("/api/v1/licenses/{id}/models/{m}", licence.get("id"), model);
  }

  private static Map<String, byte[]> unzip(byte[] zip) throws Exception {
    Map<String, byte[]> files = new HashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        files.put(e.getName(), in.readAllBytes());
      }
    }
    return files;
  }
}
