package dev.infermint.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Every spelling of a metered path is either exactly the metered route or 404: none reaches a worker unmetered,
 * none is answered without quota headers, none leaves a usage event (SPEC §4; issue #7: a trailing slash once
 * escaped billing).
 */
@QuarkusTest
class RouteVariantsTest {

  private static final String EMBED = "{\"model\":\"m\",\"input\":\"hello\"}";

  @BeforeEach
  void reset() {
    UsageStreamProbe.resetAll();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/embeddings/", "//v1/embeddings", "/v1//embeddings", "/v1/./embeddings",
      "/v1/x/../embeddings", "/v1/%65mbeddings", "/v1/embeddings%2F", "/V1/embeddings", "/v1/Embeddings",
      "/v1/embeddings/.", "/v1/embeddings;x=1", "/api/v1/../../v1/embeddings", "/v2/models/m/infer/",
      "/v2/models/m//infer", "/v2/models/m/./infer", "/v2/models/%6d/infer", "/v2/models/m/INFER",
      "/v2/models/./infer", "/v2/models/../infer", "/v2/models/m/versions/1/infer/", "/v2/models/m/infer%00",
      "/v2//models/m/infer"})
  void aVariantOfAMeteredPathIs404AndReachesNoWorker(String path) throws Exception {
    RawHttp.Answer answer = RawHttp.send("POST", path, "imk_good", EMBED, false);
    assertEquals(404, answer.status(), path + " answered " + answer.text());
    assertTrue(answer.text().contains("application/problem+json"), answer.text());
    assertTrue(!answer.hasHeader("X-RateLimit-Limit"), "no quota was consulted for " + path);
    assertTrue(UpstreamStandIn.SERVED_BY.isEmpty(), path + " reached a worker");
    assertTrue(UsageStreamProbe.of("tenant-1").isEmpty(), path + " left a usage event");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/embeddings", "/v2/models/m/infer", "/v2/models/m/versions/1/infer",
      "/v1/embeddings?x=1"})
  void theCanonicalSpellingIsMeteredOnceWithQuotaHeaders(String path) throws Exception {
    RawHttp.Answer answer = RawHttp.send("POST", path, "imk_good", EMBED, false);
    assertEquals(200, answer.status(), answer.text());
    assertTrue(answer.hasHeader("X-RateLimit-Limit"), answer.text());
    assertEquals(1, UsageStreamProbe.await("tenant-1", 1).size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/embeddings", "/v2/models/m/infer"})
  void aMeteredPathWithAnotherMethodIs405(String path) throws Exception {
    RawHttp.Answer answer = RawHttp.send("GET", path, "imk_good", null, false);
    assertEquals(405, answer.status(), answer.text());
    assertTrue(answer.hasHeader("Allow"));
    assertTrue(UpstreamStandIn.SERVED_BY.isEmpty());
  }
}
