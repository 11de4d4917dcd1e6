package dev.infermint.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import dev.infermint.stack.Stack;
import dev.infermint.testsupport.OnnxModelBuilder;
import dev.infermint.testsupport.TestTokens;

/**
 * A 300 MB model uploads through the gateway to a registry whose heap is 256 MiB: the upload streams to disk while it
 * is hashed, and ONNX Runtime checks it from a memory-mapped file, so the heap never holds it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeUploadIT {

  private static final String BOUNDARY = "infermint-large-upload";
  private static final int FLOATS = 37_500_000; // two initializers of 150 MB each

  private Stack stack;
  private Path model;

  @BeforeAll
  void start() throws IOException {
    stack = SharedStack.get();
    RestAssured.baseURI = stack.gatewayUrl();
    model = Files.createTempFile("infermint-large", ".onnx");
    Files.write(model, OnnxModelBuilder.affine(new float[FLOATS], new float[FLOATS]));
  }

  @AfterAll
  void cleanUp() throws IOException {
    Files.deleteIfExists(model);
  }

  @Test
  void aModelLargerThanTheRegistrysHeapUploadsAndIsStoredUnderItsDigest() throws Exception {
    List<String> registryJvm = ProcessHandle.of(stack.service("model-registry").pid()).orElseThrow().info()
        .arguments().map(List::of).orElse(List.of());
    assertTrue(registryJvm.contains("-Xmx256m"), "the registry runs with a 256 MiB heap: " + registryJvm);
    long size = Files.size(model);
    assertTrue(size > 300_000_000L, "the model is over 300 MB: " + size);

    String admin = TestTokens.password(stack.keycloakUrl(), "admin", "admin");
    String tenant = given().auth().oauth2(admin).contentType(ContentType.JSON)
        .body(Map.of("name", "Large Uploads", "slug", "large-uploads-e2e"))
        .post("/api/v1/tenants").then().statusCode(201).extract().path("id");
    String key = given().auth().oauth2(admin).contentType(ContentType.JSON)
        .body(Map.of("name", "uploader", "scopes", List.of("admin")))
        .post("/api/v1/tenants/{id}/api-keys", tenant).then().statusCode(201).extract().path("key");

    byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"task\"\r\n\r\ngeneric\r\n--" + BOUNDARY
        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"large.onnx\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    HttpRequest request = HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/api/v1/models/large/versions"))
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
        .timeout(Duration.ofMinutes(5))
        .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
            HttpRequest.BodyPublishers.ofFile(model), HttpRequest.BodyPublishers.ofByteArray(tail)))
        .build();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(201, answer.statusCode(), answer.body());
    JsonPath version = JsonPath.from(answer.body());
    assertEquals("sha256:" + sha256(model), version.getString("digest"));
    assertEquals(size, version.getLong("sizeBytes"));
    assertTrue(stack.service("model-registry").isAlive(), "the registry is still up");

    // The version is listed with its size; deleting it removes the 300 MB file again.
    given().header("Authorization", "Bearer " + key).get("/api/v1/models/large/versions/1")
        .then().statusCode(200).body("sizeBytes", org.hamcrest.Matchers.equalTo((int) size));
    given().header("Authorization", "Bearer " + key).delete("/api/v1/models/large/versions/1")
        .then().statusCode(204);
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        digest.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
