package dev.infermint.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of {@code ./infermint}:
 * <ul>
 *   <li>{@code up}: the whole platform in the foreground until Ctrl-C or SIGTERM ({@link Stack.Options#defaults}
 *       says which variables move its ports and how many workers it starts);</li>
 *   <li>{@code test-keycloak ENV_FILE}: one PostgreSQL, one Keycloak and one Redis for a whole test run; writes the
 *       variables the tests read to ENV_FILE once ready, and runs until terminated.</li>
 * </ul>
 */
public final class Launcher {

  private Launcher() {
  }

  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "up" : args[0];
    Path root = Path.of(System.getProperty("infermint.root", ".")).toAbsolutePath().normalize();
    int status = switch (command) {
      case "up" -> up(root, System.out);
      case "test-keycloak" -> testKeycloak(Path.of(args[1]));
      default -> {
        System.err.println("Unknown command '" + command + "'. Commands: up, test-keycloak ENV_FILE");
        yield 64;
      }
    };
    System.exit(status);
  }

  static int up(Path root, PrintStream out) throws InterruptedException {
    Stack.Options options;
    try {
      options = Stack.Options.defaults(root);
    } catch (IllegalArgumentException e) {
      System.err.println("Cannot start: " + e.getMessage());
      return 64;
    }
    Stack stack = new Stack(options, out);
    List<String> taken = stack.portsInUse();
    if (!taken.isEmpty()) {
      System.err.println("Cannot start: port already in use: " + String.join(", ", taken)
          + ". Stop what uses it (another ./infermint up?) or set INFERMINT_<PART>_PORT.");
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      out.println("\nStopping Infermint...");
      stack.close();
      out.println("Stopped.");
      stopped.countDown();
    }, "infermint-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    long t0 = System.nanoTime();
    out.println("Starting Infermint (state in " + root.relativize(root.resolve(".infermint")) + "/, logs in"
        + " .infermint/logs/)...");
    try {
      stack.start();
    } catch (IOException e) {
      System.err.println("\nInfermint did not start: " + e.getMessage());
      return 1;
    }
    out.printf("""

        Infermint is ready (%.1f s).

          Gateway (public API)   %s          e.g. %s/v1/models
          Admin console          %s
          Keycloak               %s          realm infermint, admin console at %s/admin
          Tenants service        %s
          Model registry         %s
          Inference worker%s      %s
          Billing                %s
          PostgreSQL             %s
          Redis                  %s

          Dev credentials: user admin / admin (realm role platform-admin);
          token: curl -d grant_type=password -d client_id=infermint-cli -d username=admin -d password=admin \\
                   %s/realms/infermint/protocol/openid-connect/token
          Public catalog model: all-minilm-l6-v2 (embedding, 384 dimensions)

        Press Ctrl-C to stop.
        """, (System.nanoTime() - t0) / 1e9, stack.gatewayUrl(), stack.gatewayUrl(), stack.url("web-admin"),
        stack.keycloakUrl(), stack.keycloakUrl(), stack.url("tenants"), stack.url("model-registry"),
        stack.workerUrls().size() > 1 ? "s" : " ", String.join(", ", stack.workerUrls()), stack.url("billing"),
        stack.databaseUrl(), stack.redisUrl(), stack.keycloakUrl());
    stopped.await();
    return 0;
  }

  /** One PostgreSQL + Keycloak + Redis for the whole test run; see the class comment. */
  static int testKeycloak(Path envFile) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("infermint-test-keycloak");
    String servicesSecret = UUID.randomUUID().toString();
    String webSecret = UUID.randomUUID().toString();
    EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("pg"), 0);
    EmbeddedRedis redis = EmbeddedRedis.start(dir.resolve("redis"), 0);
    KeycloakServer kc = new KeycloakServer(KeycloakServer.install(), Ports.free(),
        db.jdbcUrl(EmbeddedDatabase.KEYCLOAK_DB), Map.of("INFERMINT_SERVICES_CLIENT_SECRET", servicesSecret,
            "INFERMINT_WEB_ADMIN_CLIENT_SECRET", webSecret), dir.resolve("keycloak.log"));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      kc.close();
      try {
        redis.close();
        db.close();
      } catch (IOException ignored) {
        // best effort at shutdown
      }
      stopped.countDown();
    }));
    kc.start();
    Path tmp = envFile.resolveSibling(envFile.getFileName() + ".tmp");
    Files.writeString(tmp, "export INFERMINT_TEST_KEYCLOAK_URL=" + kc.url() + "\n"
        + "export INFERMINT_SERVICES_CLIENT_SECRET=" + servicesSecret + "\n"
        + "export INFERMINT_WEB_ADMIN_CLIENT_SECRET=" + webSecret + "\n"
        + "export INFERMINT_TEST_REDIS_URL=" + redis.url() + "\n");
    Files.move(tmp, envFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    System.out.println("Test Keycloak ready at " + kc.url() + " (log " + dir.resolve("keycloak.log") + ")");
    stopped.await();
    return 0;
  }
}
