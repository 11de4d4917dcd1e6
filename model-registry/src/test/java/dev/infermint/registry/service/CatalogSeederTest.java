package dev.infermint.registry.service;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.infermint.registry.config.RegistryConfig;
import dev.infermint.testsupport.AsService;

/**
 * The public catalog: all-MiniLM-L6-v2 and its 8-bit quantized twin from the LangChain4j artifacts, registered once
 * at startup.
 */
@QuarkusTest
class CatalogSeederTest {

  private static final String ONNX = "catalog/all-minilm-l6-v2/all-minilm-l6-v2.onnx";
  private static final String TOKENIZER = "catalog/all-minilm-l6-v2/all-minilm-l6-v2-tokenizer.json";
  private static final String Q_ONNX = "catalog/all-minilm-l6-v2-q/all-minilm-l6-v2-q.onnx";
  private static final String Q_TOKENIZER = "catalog/all-minilm-l6-v2-q/all-minilm-l6-v2-q-tokenizer.json";
  /** The signature both MiniLM variants share: token ids, attention mask, token types; 384-wide hidden states. */
  private static final List<Map<String, Object>> MINILM_INPUTS = List.of(
      Map.of("name", "input_ids", "datatype", "INT64", "shape", List.of(-1, -1)),
      Map.of("name", "attention_mask", "datatype", "INT64", "shape", List.of(-1, -1)),
      Map.of("name", "token_type_ids", "datatype", "INT64", "shape", List.of(-1, -1)));
  private static final List<Map<String, Object>> MINILM_OUTPUTS = List.of(
      Map.of("name", "last_hidden_state", "datatype", "FP32", "shape", List.of(-1, -1, 384)));

  @Inject
  CatalogSeeder seeder;

  @Inject
  RegistryConfig config;

  @Test
  void miniLmIsInThePublicCatalogWithItsRealSignature() throws IOException {
    asTenant().get("/api/v1/models/all-minilm-l6-v2/versions/1").then()
        .statusCode(200)
        .body("owner", equalTo("public"))
        .body("task", equalTo("embedding"))
        .body("inputs", equalTo(MINILM_INPUTS))
        .body("outputs", equalTo(MINILM_OUTPUTS))
        .body("digest", equalTo("sha256:" + sha256(ONNX)))
        .body("tokenizerDigest", equalTo("sha256:" + sha256(TOKENIZER)));
    asTenant().get("/api/v1/models/all-minilm-l6-v2").then()
        .statusCode(200).body("versions", contains(1)).body("latestVersion", equalTo(1));
  }

  @Test
  void theQuantizedTwinIsInThePublicCatalogTooAtAQuarterOfTheSize() throws IOException {
    int full = asTenant().get("/api/v1/models/all-minilm-l6-v2/versions/1").then().statusCode(200)
        .extract().path("sizeBytes");
    int quantized = asTenant().get("/api/v1/models/all-minilm-l6-v2-q/versions/1").then()
        .statusCode(200)
        .body("owner", equalTo("public"))
        .body("task", equalTo("embedding"))
        .body("inputs", equalTo(MINILM_INPUTS))
        .body("outputs", equalTo(MINILM_OUTPUTS))
        .body("digest", equalTo("sha256:" + sha256(Q_ONNX)))
        .body("tokenizerDigest", equalTo("sha256:" + sha256(Q_TOKENIZER)))
        .extract().path("sizeBytes");
    assertTrue(quantized < full / 3, "8-bit weights: " + quantized + " bytes against " + full);
    asTenant().get("/api/v1/models").then().statusCode(200)
        .body("findAll { it.owner == 'public' }.name", org.hamcrest.Matchers.hasItems("all-minilm-l6-v2",
            "all-minilm-l6-v2-q"));
  }

  @Test
  void seedingAgainChangesNothingAndRepairsAMissingFile() throws IOException {
    seeder.seed();
    asTenant().get("/api/v1/models/all-minilm-l6-v2").then().statusCode(200).body("versions", contains(1));
    asTenant().get("/api/v1/models/all-minilm-l6-v2-q").then().statusCode(200).body("versions", contains(1));

    Path tokenizer = config.dataDir().resolve("blobs/sha256").resolve(sha256(TOKENIZER));
    assertTrue(Files.exists(tokenizer));
    Files.delete(tokenizer);
    assertFalse(Files.exists(tokenizer));
    seeder.seed();
    assertTrue(Files.exists(tokenizer), "the missing tokenizer file is put back from the classpath");
    assertEquals(sha256(TOKENIZER), sha256(tokenizer));
    asTenant().get("/api/v1/models/all-minilm-l6-v2").then().statusCode(200).body("versions", contains(1));
  }

  private static io.restassured.specification.RequestSpecification asTenant() {
    String tenant = UUID.randomUUID().toString();
    return AsService.apiKey(tenant, "key-" + tenant, "tenant-member").log().ifValidationFails();
  }

  private static String sha256(String resource) throws IOException {
    try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
      assertTrue(in != null, resource + " is on the classpath");
      return sha256(in);
    }
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return sha256(in);
    }
  }

  private static String sha256(InputStream in) throws IOException {
    try {
      DigestInputStream digest = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"));
      digest.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(digest.getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
