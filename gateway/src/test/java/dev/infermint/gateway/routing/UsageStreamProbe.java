package dev.infermint.gateway.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.arc.Arc;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import dev.infermint.metering.UsageStream;

/** Reads the usage stream the gateway under test writes to (real Redis), as billing would. */
final class UsageStreamProbe {

  private UsageStreamProbe() {
  }

  /**
   * Forgets the test stream and the stand-in tenants' quota counters, so that each test starts from nothing (one
   * Redis may outlive many runs of these tests within a minute).
   */
  static void reset() {
    String stream = ConfigProvider.getConfig().getValue("infermint.gateway.metering.stream", String.class);
    try {
      send(Request.cmd(Command.DEL).arg(stream));
      Response keys = send(Request.cmd(Command.KEYS).arg("q:{tenant-*"));
      for (Response key : keys) {
        send(Request.cmd(Command.DEL).arg(key.toString()));
      }
    } catch (Exception e) {
      throw new IllegalStateException("Cannot reset Redis", e);
    }
  }

  /** Everything a test of this module starts from: stand-in keys and workers as new, Redis empty. */
  static void resetAll() {
    UpstreamStandIn.SEEN.clear();
    UpstreamStandIn.SERVED_BY.clear();
    UpstreamStandIn.resetKeys();
    UpstreamStandIn.workerMode = UpstreamStandIn.WorkerMode.NORMAL;
    reset();
  }

  static Response send(Request request) throws Exception {
    return Arc.container().instance(Redis.class).get().send(request).toCompletionStage().toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
  }

  /** @return every entry on the test stream, oldest first, as field maps */
  static List<Map<String, String>> entries() {
    String stream = ConfigProvider.getConfig().getValue("infermint.gateway.metering.stream", String.class);
    try {
      Response reply = send(Request.cmd(Command.XRANGE).arg(stream).arg("-").arg("+"));
      List<Map<String, String>> out = new ArrayList<>();
      for (Response entry : reply) {
        Response fields = entry.get(1);
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i + 1 < fields.size(); i += 2) {
          map.put(fields.get(i).toString(), fields.get(i + 1).toString());
        }
        out.add(map);
      }
      return out;
    } catch (Exception e) {
      throw new IllegalStateException("Cannot read the usage stream", e);
    }
  }

  /** @return the entries of one tenant */
  static List<Map<String, String>> of(String tenant) {
    return entries().stream().filter(e -> tenant.equals(e.get(UsageStream.TENANT))).toList();
  }

  /**
   * Waits until the tenant has at least {@code expected} events, then a little longer so that a wrongly doubled
   * event would show.
   *
   * @return the tenant's events
   */
  static List<Map<String, String>> await(String tenant, int expected) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> of(tenant).size() >= expected);
    Awaitility.await().pollDelay(Duration.ofMillis(300)).until(() -> true);
    return of(tenant);
  }
}
