package dev.infermint.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import dev.infermint.stack.Stack;

/**
 * One stack for every end-to-end test class of the run, started on first use the way {@code ./infermint up} starts
 * it (free ports, fresh state, its own embedded Redis unless {@code INFERMINT_REDIS_URL} is set, two inference
 * workers) and stopped when the JVM exits. The test run's shared Keycloak is used when
 * {@code INFERMINT_TEST_KEYCLOAK_URL} is set.
 */
final class SharedStack {

  /** Plan {@code pro}'s per-minute limit here (billing reads {@code infermint.plans.pro.requests-per-minute}). */
  static final int PRO_REQUESTS_PER_MINUTE = 500;

  private static Stack stack;

  private SharedStack() {
  }

  /** @return the running stack */
  static synchronized Stack get() {
    if (stack == null) {
      Path root = Path.of(System.getProperty("infermint.root", "..")).toAbsolutePath().normalize();
      Path state = root.resolve("e2e/target/e2e-state");
      try {
        deleteTree(state);
        // Two workers: MeteringResilienceIT kills one under load.
        Stack s = new Stack(Stack.Options.isolated(root, state, 2, System.getenv("INFERMINT_TEST_KEYCLOAK_URL"),
            Map.of("INFERMINT_BIND_HOST", "127.0.0.1",
                // Long enough that only the push channel can explain a revoked key refused within 5 s.
                "INFERMINT_GATEWAY_KEY_CACHE_TTL", "60s",
                // A round number for the exact-admission burst of MeteringResilienceIT.
                "INFERMINT_PLANS_PRO_REQUESTS_PER_MINUTE", String.valueOf(PRO_REQUESTS_PER_MINUTE))), System.out);
        s.start();
        Runtime.getRuntime().addShutdownHook(new Thread(s::close, "e2e-stack-stop"));
        stack = s;
      } catch (IOException e) {
        throw new UncheckedIOException("The stack did not start", e);
      }
    }
    return stack;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
