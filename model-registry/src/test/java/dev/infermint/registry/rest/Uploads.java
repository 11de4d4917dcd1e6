package dev.infermint.registry.rest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;

import io.restassured.response.ValidatableResponse;

import dev.infermint.registry.config.RegistryConfig;
import dev.infermint.testsupport.OnnxModelBuilder;

/** Small models and uploads shared by the tests. */
final class Uploads {

  private Uploads() {
  }

  /** @return a fresh tenant id, so tests never see each other's models */
  static String newTenant() {
    return UUID.randomUUID().toString();
  }

  /** @return a fresh model name */
  static String newModel(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** y = x * w + b with x FP32 [N, 3]. */
  static byte[] affine(float scale) {
    return OnnxModelBuilder.affine(new float[] {scale, 2 * scale, 3 * scale}, new float[] {1, 1, 1});
  }

  /** @return the smallest tokenizer.json the Hugging Face tokenizers library loads: a word-level vocabulary */
  static byte[] wordLevelTokenizer() {
    return ("{\"version\": \"1.0\", \"pre_tokenizer\": {\"type\": \"Whitespace\"}, \"model\": {\"type\": \"WordLevel\","
        + " \"vocab\": {\"[UNK]\": 0, \"hello\": 1, \"world\": 2}, \"unk_token\": \"[UNK]\"}}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Uploads an ONNX file as the given tenant's admin. */
  static ValidatableResponse upload(String tenant, String model, byte[] onnx) {
    return Callers.tenantAdmin(tenant)
        .multiPart("file", "model.onnx", onnx, "application/octet-stream")
        .post("/api/v1/models/{model}/versions", model)
        .then();
  }

  /** @return where the blob of a digest is stored */
  static Path blob(RegistryConfig config, String hex) {
    return config.dataDir().resolve("blobs").resolve("sha256").resolve(hex);
  }

  /** @return how many files sit in the staging folder (uploads in flight, or left behind) */
  static long stagedFiles(RegistryConfig config) throws IOException {
    try (Stream<Path> files = Files.list(config.dataDir().resolve("blobs").resolve("tmp"))) {
      return files.count();
    }
  }
}
