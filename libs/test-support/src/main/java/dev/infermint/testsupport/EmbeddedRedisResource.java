package dev.infermint.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.infermint.stack.EmbeddedRedis;

/**
 * Gives a module's tests a real Redis: {@code INFERMINT_REDIS_URL} when set, else the test run's shared one
 * ({@code INFERMINT_TEST_REDIS_URL}, started by {@code ./infermint test} beside the shared Keycloak), else one
 * started here (the embedded-redis binary, a throw-away data folder). Points {@code quarkus.redis.hosts} at it and
 * publishes the URL as {@code infermint.test.redis-url} for tests that talk to Redis themselves.
 *
 * <p>Several modules may share one Redis in a run: tests keep their keys apart with unique tenant ids and a
 * per-module usage stream name.
 */
public class EmbeddedRedisResource implements QuarkusTestResourceLifecycleManager {

  private EmbeddedRedis redis;

  @Override
  public Map<String, String> start() {
    String url = url();
    if (url == null) {
      try {
        redis = EmbeddedRedis.start(Files.createTempDirectory("infermint-test-redis"), 0);
      } catch (IOException e) {
        throw new UncheckedIOException("Embedded Redis did not start", e);
      }
      url = redis.url();
    }
    return Map.of("quarkus.redis.hosts", url, "infermint.test.redis-url", url);
  }

  /** @return the Redis these tests are told to use when one is already running, else null */
  static String url() {
    String external = EmbeddedRedis.externalUrl();
    if (external != null) {
      return external;
    }
    String shared = System.getenv("INFERMINT_TEST_REDIS_URL");
    return shared == null || shared.isBlank() ? null : shared.trim();
  }

  @Override
  public void stop() {
    if (redis != null) {
      try {
        redis.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
