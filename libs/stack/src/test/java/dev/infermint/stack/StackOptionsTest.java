package dev.infermint.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StackOptionsTest {

  private static final Path ROOT = Path.of("/tmp/infermint-checkout");

  @Test
  void isolatedGivesEveryWorkerAndRedisItsOwnFreePort() {
    Stack.Options o = Stack.Options.isolated(ROOT, ROOT.resolve("state"), 2, null, Map.of());
    assertEquals(2, o.workers());
    assertTrue(o.ports().containsKey("inference-worker-2"), "ports: " + o.ports());
    assertTrue(o.redisPort() > 0);
    var all = new HashSet<>(o.ports().values());
    all.add(o.redisPort());
    all.add(o.keycloakPort());
    assertEquals(o.ports().size() + 2, all.size(), "ports must differ: " + o.ports());
    Stack stack = new Stack(o, System.out);
    assertEquals(List.of("http://localhost:" + o.ports().get("inference-worker"),
        "http://localhost:" + o.ports().get("inference-worker-2")), stack.workerUrls());
  }

  @Test
  void twoPartsOnOnePortAreRefusedByName() {
    Map<String, Integer> ports = defaultPorts();
    ports.put("inference-worker-2", 8090);
    var e = assertThrows(IllegalArgumentException.class,
        () -> new Stack.Options(ROOT, ROOT, 15432, 16379, 8180, ports, 2, null, Map.of()));
    assertEquals("web-admin and inference-worker-2 are both on port 8090", e.getMessage());
    var redis = assertThrows(IllegalArgumentException.class,
        () -> new Stack.Options(ROOT, ROOT, 15432, 8080, 8180, defaultPorts(), 1, null, Map.of()));
    assertEquals("Redis and gateway are both on port 8080", redis.getMessage());
  }

  @Test
  void aSecondWorkerNeedsAPortAndThereIsAlwaysOneWorker() {
    var missing = assertThrows(IllegalArgumentException.class,
        () -> new Stack.Options(ROOT, ROOT, 15432, 16379, 8180, defaultPorts(), 2, null, Map.of()));
    assertEquals("No port for inference-worker-2", missing.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new Stack.Options(ROOT, ROOT, 15432, 16379, 8180, defaultPorts(), 0, null, Map.of()));
  }

  @Test
  void workersAreNamedByNumber() {
    assertEquals("inference-worker", Stack.workerName(1));
    assertEquals("inference-worker-3", Stack.workerName(3));
  }

  private static Map<String, Integer> defaultPorts() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    Stack.SERVICES.forEach(s -> ports.put(s.name(), s.defaultPort()));
    return ports;
  }
}
