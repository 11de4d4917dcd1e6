package dev.infermint.registry.rest;

import static dev.infermint.registry.rest.ModelResourceTest.sha256;
import static dev.infermint.registry.rest.Uploads.affine;
import static dev.infermint.registry.rest.Uploads.newModel;
import static dev.infermint.registry.rest.Uploads.newTenant;
import static dev.infermint.registry.rest.Uploads.upload;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.infermint.registry.config.RegistryConfig;
import dev.infermint.testsupport.OnnxModelBuilder;
import dev.infermint.testsupport.TestTokens;

/**
 * Uploads as they stream in (UploadReceiver): chunked bodies, parts over their limit while they arrive, a client that
 * goes away half-way, broken multipart, and many uploads to one model at once. Each refusal leaves no row and no file.
 */
@QuarkusTest
class UploadStreamingTest {

  private static final String BOUNDARY = "infermint-stream-boundary";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestHTTPResource("/")
  URL base;

  @Inject
  RegistryConfig config;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void aChunkedUploadIsStoredUnderTheDigestOfItsBytes() throws Exception {
    String tenant = newTenant();
    String model = newModel("chunked");
    byte[] onnx = affine(5005);
    HttpResponse<String> answer = postChunked(tenant, model, multipart("file", "m.onnx", onnx));
    assertEquals(201, answer.statusCode(), answer.body());
    JsonNode body = JSON.readTree(answer.body());
    assertEquals("sha256:" + sha256(onnx), body.get("digest").asText());
    assertEquals(onnx.length, body.get("sizeBytes").asLong());
    assertTrue(Files.exists(blob(sha256(onnx))));
    assertEquals(0, stagedFiles());
  }

  @Test
  void aChunkedPartOverItsLimitIs413ProblemNamingIt() throws Exception {
    String tenant = newTenant();
    String model = newModel("chunked-big");
    byte[] big = new byte[(int) config.maxModelBytes() + 4096];
    HttpResponse<String> answer = postChunked(tenant, model, multipart("file", "m.onnx", big));
    assertEquals(413, answer.statusCode());
    assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").orElse(""));
    JsonNode problem = JSON.readTree(answer.body());
    assertEquals("payload_too_large", problem.get("code").asText());
    assertEquals("file", problem.get("field").asText());
    assertEquals(config.maxModelBytes(), problem.get("limit").asLong());
    assertNoTrace(tenant, model, big);
  }

  @Test
  void aClientThatGoesAwayHalfWayLeavesNoRowAndNoFile() throws Exception {
    String tenant = newTenant();
    String model = newModel("interrupted");
    byte[] onnx = OnnxModelBuilder.affine(new float[12_000], new float[12_000]); // ~96 KB, under the 1M body limit
    byte[] body = multipart("file", "m.onnx", onnx);
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/v1/models/" + model + "/versions HTTP/1.1\r\nHost: localhost\r\n"
          + "Authorization: Bearer " + TestTokens.service() + "\r\n"
          + "X-Infermint-Caller-Kind: API_KEY\r\nX-Infermint-Subject: key-" + tenant + "\r\n"
          + "X-Infermint-Tenant-Id: " + tenant + "\r\nX-Infermint-Roles: tenant-admin\r\n"
          + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\n"
          + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, body.length / 2);
      out.flush();
      // The registry has begun writing the part when its staging file appears; then the client vanishes.
      await().atMost(Duration.ofSeconds(10)).until(() -> stagedFiles() > 0);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> stagedFiles() == 0);
    assertNoTrace(tenant, model, onnx);
  }

  @Test
  void aBodyThatIsNotMultipartIs400ProblemAndStoresNothing() throws Exception {
    String tenant = newTenant();
    String model = newModel("broken");
    byte[] body = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.onnx\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n" + "x".repeat(100) + "\r\n--" + BOUNDARY + "\r\n"
        + "no-colon-header-line\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    HttpResponse<String> answer = post(tenant, model, body);
    assertEquals(400, answer.statusCode(), answer.body());
    assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").orElse(""));
    assertEquals(0, stagedFiles());
  }

  @Test
  void anUnknownOrRepeatedFilePartIs422ProblemNamingIt() throws Exception {
    String tenant = newTenant();
    String model = newModel("parts");
    ByteArrayOutputStream unknown = new ByteArrayOutputStream();
    unknown.writeBytes(partBytes("file", "m.onnx", affine(6001)));
    unknown.writeBytes(partBytes("weights", "w.bin", new byte[10]));
    unknown.writeBytes(end());
    HttpResponse<String> first = post(tenant, model, unknown.toByteArray());
    assertEquals(422, first.statusCode(), first.body());
    assertEquals("weights", JSON.readTree(first.body()).get("field").asText());

    ByteArrayOutputStream twice = new ByteArrayOutputStream();
    twice.writeBytes(partBytes("file", "m.onnx", affine(6001)));
    twice.writeBytes(partBytes("file", "n.onnx", affine(6002)));
    twice.writeBytes(end());
    HttpResponse<String> second = post(tenant, model, twice.toByteArray());
    assertEquals(422, second.statusCode(), second.body());
    assertEquals("file", JSON.readTree(second.body()).get("field").asText());
    assertNoTrace(tenant, model, affine(6001));
    assertFalse(Files.exists(blob(sha256(affine(6002)))));
  }

  @Test
  void aCallerWithoutTheAdminRoleIsRefusedAndItsFileDeleted() {
    String tenant = newTenant();
    String model = newModel("member");
    byte[] onnx = affine(7007);
    Callers.as(tenant, "tenant-member")
        .multiPart("file", "model.onnx", onnx, "application/octet-stream")
        .post("/api/v1/models/{model}/versions", model)
        .then().statusCode(403);
    assertFalse(Files.exists(blob(sha256(onnx))));
    await().atMost(Duration.ofSeconds(5)).until(() -> stagedFiles() == 0);
  }

  @Test
  void concurrentUploadsToOneModelGetDistinctGapFreeVersionsAndSameBytesOneFile() throws Exception {
    String tenant = newTenant();
    String model = newModel("concurrent");
    int uploads = 12;
    ExecutorService pool = Executors.newFixedThreadPool(uploads);
    List<Future<Integer>> versions = new ArrayList<>();
    try {
      for (int i = 0; i < uploads; i++) {
        // Half the uploads carry the same bytes: the same blob, stored once.
        byte[] onnx = affine(i % 2 == 0 ? 9100 : 9100 + i);
        Callable<Integer> call = () -> upload(tenant, model, onnx).statusCode(201).extract().path("version");
        versions.add(pool.submit(call));
      }
      Set<Integer> got = new TreeSet<>();
      for (Future<Integer> v : versions) {
        got.add(v.get());
      }
      Set<Integer> expected = new TreeSet<>();
      for (int i = 1; i <= uploads; i++) {
        expected.add(i);
      }
      assertEquals(expected, got);
    } finally {
      pool.shutdownNow();
    }
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}/versions", model).then()
        .statusCode(200).body("size()", equalTo(uploads));
    long shared = Callers.tenantAdmin(tenant).get("/api/v1/models/{m}/versions", model).then().extract()
        .<List<String>>path("digest").stream().filter(("sha256:" + sha256(affine(9100)))::equals).count();
    assertEquals(uploads / 2, shared);
    try (Stream<Path> blobs = Files.list(config.dataDir().resolve("blobs").resolve("sha256"))) {
      assertEquals(1, blobs.filter(p -> p.getFileName().toString().equals(sha256(affine(9100)))).count());
    }
    assertEquals(0, stagedFiles());
  }

  private void assertNoTrace(String tenant, String model, byte[] bytes) throws IOException {
    Callers.tenantAdmin(tenant).get("/api/v1/models/{m}/versions", model).then().statusCode(404);
    assertFalse(Files.exists(blob(sha256(bytes))), "no blob");
    assertEquals(0, stagedFiles(), "no staged file");
  }

  private HttpResponse<String> postChunked(String tenant, String model, byte[] body) throws Exception {
    // ofInputStream has no length, so the client sends Transfer-Encoding: chunked.
    return send(tenant, model, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
  }

  private HttpResponse<String> post(String tenant, String model, byte[] body) throws Exception {
    return send(tenant, model, HttpRequest.BodyPublishers.ofByteArray(body));
  }

  private HttpResponse<String> send(String tenant, String model, HttpRequest.BodyPublisher body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString()).resolve("api/v1/models/" + model
            + "/versions"))
        .header("Authorization", "Bearer " + TestTokens.service())
        .header("X-Infermint-Caller-Kind", "API_KEY")
        .header("X-Infermint-Subject", "key-" + tenant)
        .header("X-Infermint-Tenant-Id", tenant)
        .header("X-Infermint-Roles", "tenant-admin")
        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
        .timeout(Duration.ofSeconds(30))
        .POST(body).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] multipart(String name, String filename, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(partBytes(name, filename, content));
    out.writeBytes(end());
    return out.toByteArray();
  }

  private static byte[] partBytes(String name, String filename, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
        + filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(content);
    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static byte[] end() {
    return ("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  private Path blob(String hex) {
    return Uploads.blob(config, hex);
  }

  private long stagedFiles() throws IOException {
    return Uploads.stagedFiles(config);
  }
}
