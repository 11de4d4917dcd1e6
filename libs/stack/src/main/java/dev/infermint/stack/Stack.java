package dev.infermint.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The whole platform on its real parts: embedded PostgreSQL, embedded Redis, Keycloak and every service as its own
 * JVM. Used by {@code ./infermint up} (through {@link Launcher}) and by the end-to-end test, so both start it the
 * same way.
 *
 * <p>Order: PostgreSQL first (everything stores data there), then Redis (the gateways' quota counters and the usage
 * stream billing consumes), then Keycloak and all services at once (services only reach Keycloak lazily, when a
 * token arrives); {@link #close()} stops them in reverse: services, Keycloak, Redis, PostgreSQL.
 *
 * <p>{@code INFERMINT_DB_URL} and {@code INFERMINT_REDIS_URL} in this JVM's environment point the services at an
 * external PostgreSQL or Redis; then that part is not started here.
 */
public final class Stack implements AutoCloseable {

  /**
   * A service of the platform: name, Maven module folder, default port, heap, and whether it needs the optimising
   * JIT. The others start with the client compiler only ({@code -XX:TieredStopAtLevel=1}: less CPU and memory at
   * start on a small machine). The two on every call's path keep the optimising one, without which the gateway spent
   * about twice the CPU per call; so does the registry, whose uploads are hashed with SHA-256: C1 has no intrinsic
   * for it (138 MB/s here against 1.7 GB/s with C2's SHA-NI stub; docs/benchmarks.md, "Model registry uploads").
   */
  public record Service(String name, String module, int defaultPort, String heap, boolean fullJit) {
  }

  /** Name of the inference worker service; further workers are named by {@link #workerName(int)}. */
  public static final String WORKER = "inference-worker";

  /** Every service, in start order. */
  public static final List<Service> SERVICES = List.of(
      new Service("tenants", "services/tenants", 8082, "384m", false),
      new Service("model-registry", "model-registry", 8083, "256m", true),
      new Service("billing", "billing", 8085, "384m", false),
      new Service(WORKER, "services/inference-worker", 8084, "1g", true),
      new Service("gateway", "gateway", 8080, "384m", true),
      new Service("web-admin", "web-admin", 8090, "256m", false));

  /**
   * How to start the stack.
   *
   * @param repoRoot the checkout (modules are found under it)
   * @param stateDir where data, logs and generated secrets live ({@code .infermint/} for the launcher)
   * @param postgresPort the embedded PostgreSQL port (0 = any)
   * @param redisPort the embedded Redis port (0 = any); unused when {@code INFERMINT_REDIS_URL} is set
   * @param keycloakPort Keycloak's port
   * @param ports each service's port by name, with one entry per worker ({@link #workerName(int)})
   * @param workers how many inference workers to start (at least 1)
   * @param externalKeycloakUrl a Keycloak already running (the test run's), or null to start one
   * @param extraEnv further environment for every service
   */
  public record Options(Path repoRoot, Path stateDir, int postgresPort, int redisPort, int keycloakPort,
      Map<String, Integer> ports, int workers, String externalKeycloakUrl, Map<String, String> extraEnv) {

    /**
     * @throws IllegalArgumentException when there is no worker, a service or worker has no port, or two parts
     *     share a port
     */
    public Options {
      if (workers < 1) {
        throw new IllegalArgumentException("At least one inference worker is needed, not " + workers);
      }
      Map<String, Integer> claims = new LinkedHashMap<>();
      claims.put("PostgreSQL", postgresPort);
      claims.put("Redis", redisPort);
      claims.put("Keycloak", keycloakPort);
      List<String> needed = new ArrayList<>(SERVICES.stream().map(Service::name).toList());
      for (int n = 2; n <= workers; n++) {
        needed.add(workerName(n));
      }
      for (String name : needed) {
        Integer port = ports.get(name);
        if (port == null) {
          throw new IllegalArgumentException("No port for " + name);
        }
        claims.put(name, port);
      }
      Map<Integer, String> owners = new HashMap<>();
      claims.forEach((name, port) -> {
        String other = port > 0 ? owners.putIfAbsent(port, name) : null;
        if (other != null) {
          throw new IllegalArgumentException(other + " and " + name + " are both on port " + port);
        }
      });
      ports = Collections.unmodifiableMap(new LinkedHashMap<>(ports));
      extraEnv = Map.copyOf(extraEnv);
    }

    /**
     * The launcher's defaults: SPEC ports, PostgreSQL 15432, Redis 16379, Keycloak 8180, one worker, state in
     * .infermint; {@code INFERMINT_<PART>_PORT} moves a part, {@code INFERMINT_WORKERS} sets the worker count
     * (worker n &gt; 1 on {@code INFERMINT_WORKER<n>_PORT}, default 8084 + n: 8086 for the second).
     *
     * @param repoRoot the checkout
     * @return the options {@code ./infermint up} starts with
     */
    public static Options defaults(Path repoRoot) {
      int workers = envInt("INFERMINT_WORKERS", 1);
      Map<String, Integer> ports = new LinkedHashMap<>();
      SERVICES.forEach(s -> ports.put(s.name(), envInt("INFERMINT_" + envName(s.name()) + "_PORT", s.defaultPort())));
      for (int n = 2; n <= workers; n++) {
        ports.put(workerName(n), envInt("INFERMINT_WORKER" + n + "_PORT", 8084 + n));
      }
      return new Options(repoRoot, repoRoot.resolve(".infermint"), envInt("INFERMINT_PG_PORT", 15432),
          envInt("INFERMINT_REDIS_PORT", 16379), envInt("INFERMINT_KEYCLOAK_PORT", 8180), ports, workers, null,
          Map.of());
    }

    /**
     * @param repoRoot the checkout
     * @param stateDir fresh state for this stack
     * @param externalKeycloakUrl a running Keycloak, or null to start one
     * @param extraEnv further environment for every service
     * @return one worker and free ports for everything, for tests that must not clash with a running stack
     */
    public static Options isolated(Path repoRoot, Path stateDir, String externalKeycloakUrl,
        Map<String, String> extraEnv) {
      return isolated(repoRoot, stateDir, 1, externalKeycloakUrl, extraEnv);
    }

    /**
     * @param repoRoot the checkout
     * @param stateDir fresh state for this stack
     * @param workers how many inference workers
     * @param externalKeycloakUrl a running Keycloak, or null to start one
     * @param extraEnv further environment for every service
     * @return free ports for everything (each worker's included), for tests that must not clash with a running stack
     */
    public static Options isolated(Path repoRoot, Path stateDir, int workers, String externalKeycloakUrl,
        Map<String, String> extraEnv) {
      Map<String, Integer> ports = new LinkedHashMap<>();
      SERVICES.forEach(s -> ports.put(s.name(), Ports.free()));
      for (int n = 2; n <= workers; n++) {
        ports.put(workerName(n), Ports.free());
      }
      return new Options(repoRoot, stateDir, 0, Ports.free(), Ports.free(), ports, workers, externalKeycloakUrl,
          extraEnv);
    }
  }

  /**
   * @param n a worker's number, from 1
   * @return its name: {@code inference-worker} for the first, {@code inference-worker-<n>} for the others
   */
  public static String workerName(int n) {
    return n == 1 ? WORKER : WORKER + "-" + n;
  }

  private final Options options;
  private final PrintStream out;
  private final Map<String, ServiceProcess> running = new LinkedHashMap<>();
  private EmbeddedDatabase database;
  private EmbeddedRedis redis;
  private String redisUrl;
  private KeycloakServer keycloak;
  private String keycloakUrl;
  private Properties secrets;
  private Map<String, String> env;

  /**
   * @param options how to start
   * @param out where progress is printed
   */
  public Stack(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /**
   * @return "name (port)" for every port this stack would take that is already in use; empty when all are free
   */
  public List<String> portsInUse() {
    List<String> taken = new ArrayList<>();
    if (options.postgresPort() > 0 && Ports.inUse(options.postgresPort())) {
      taken.add("PostgreSQL (" + options.postgresPort() + ")");
    }
    if (EmbeddedRedis.externalUrl() == null && options.redisPort() > 0 && Ports.inUse(options.redisPort())) {
      taken.add("Redis (" + options.redisPort() + ")");
    }
    if (options.externalKeycloakUrl() == null && Ports.inUse(options.keycloakPort())) {
      taken.add("Keycloak (" + options.keycloakPort() + ")");
    }
    options.ports().forEach((name, port) -> {
      if (Ports.inUse(port)) {
        taken.add(name + " (" + port + ")");
      }
    });
    return taken;
  }

  /**
   * Starts everything and waits until each part is ready.
   *
   * @throws IOException naming the part that failed, with its log tail; what was started is stopped again
   */
  public void start() throws IOException {
    try {
      Files.createDirectories(options.stateDir().resolve("logs"));
      secrets = loadSecrets();
      long t0 = System.nanoTime();
      if (externalDbUrl() == null) {
        database = EmbeddedDatabase.start(options.stateDir().resolve("postgres"), options.postgresPort());
        out.printf("  PostgreSQL   ready on port %d (%.1f s)%n", database.port(), seconds(t0));
      } else {
        out.printf("  PostgreSQL   external at %s%n", externalDbUrl());
      }
      redisUrl = EmbeddedRedis.externalUrl();
      if (redisUrl == null) {
        redis = EmbeddedRedis.start(options.stateDir().resolve("redis"), options.redisPort());
        redisUrl = redis.url();
        out.printf("  Redis        ready on port %d (%.1f s)%n", redis.port(), seconds(t0));
      } else {
        out.printf("  Redis        external at %s%n", redisUrl);
      }

      CompletableFuture<Void> keycloakReady = CompletableFuture.runAsync(() -> {
        try {
          startKeycloak();
        } catch (IOException e) {
          throw new CompletionException(e);
        }
      });
      env = serviceEnv();
      for (Service s : SERVICES) {
        int copies = s.name().equals(WORKER) ? options.workers() : 1;
        for (int n = 1; n <= copies; n++) {
          String name = copies == 1 ? s.name() : workerName(n);
          running.put(name, process(s, name, options.ports().get(name)).start());
        }
      }
      for (ServiceProcess p : running.values()) {
        p.awaitReady(Duration.ofMinutes(4));
        out.printf("  %-12s ready at %s (%.1f s)%n", p.name(), p.url(), seconds(t0));
      }
      try {
        keycloakReady.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
      }
      out.printf("  Keycloak     ready at %s (%.1f s)%n", keycloakUrl, seconds(t0));
      checkServiceRole();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private ServiceProcess process(Service s, String name, int port) {
    return process(s, name, port, Map.of());
  }

  private ServiceProcess process(Service s, String name, int port, Map<String, String> extraEnv) {
    List<String> jvm = new ArrayList<>(List.of("-Xms32m", "-Xmx" + s.heap(), "-XX:+UseSerialGC",
        "-Djava.net.preferIPv4Stack=true"));
    if (!s.fullJit()) {
      jvm.add("-XX:TieredStopAtLevel=1");
    }
    Map<String, String> processEnv = env;
    if (!extraEnv.isEmpty()) {
      processEnv = new LinkedHashMap<>(env);
      processEnv.putAll(extraEnv);
    }
    return new ServiceProcess(name, options.repoRoot().resolve(s.module()), port, processEnv, jvm,
        options.stateDir().resolve("logs/" + name + ".log"));
  }

  /**
   * Starts one more replica of a service with the same environment (e.g. a second gateway), after {@link #start()}.
   *
   * @param service the service's name, as in {@link #SERVICES}
   * @param port its port
   * @return the running, ready replica; {@link #close()} stops it with the rest
   * @throws IOException when it does not become ready
   */
  public ServiceProcess startReplica(String service, int port) throws IOException {
    return startReplica(service, port, Map.of());
  }

  /**
   * Starts one more replica of a service with the stack's environment plus some variables of its own (e.g. a billing
   * with Stripe on, beside the stack's billing without), after {@link #start()}.
   *
   * @param service the service's name, as in {@link #SERVICES}
   * @param port its port
   * @param extraEnv variables added to, or replacing, the stack's
   * @return the running, ready replica; {@link #close()} stops it with the rest
   * @throws IOException when it does not become ready
   */
  public ServiceProcess startReplica(String service, int port, Map<String, String> extraEnv) throws IOException {
    Service s = SERVICES.stream().filter(x -> x.name().equals(service)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No service " + service));
    String name = service + "-" + port;
    ServiceProcess p = process(s, name, port, extraEnv).start();
    running.put(name, p);
    p.awaitReady(Duration.ofMinutes(2));
    return p;
  }

  private void startKeycloak() throws IOException {
    if (options.externalKeycloakUrl() != null) {
      keycloakUrl = options.externalKeycloakUrl();
      return;
    }
    keycloak = new KeycloakServer(KeycloakServer.install(), options.keycloakPort(), keycloakDbUrl(),
        Map.of("INFERMINT_SERVICES_CLIENT_SECRET", secrets.getProperty("services-client-secret"),
            "INFERMINT_WEB_ADMIN_CLIENT_SECRET", secrets.getProperty("web-admin-client-secret")),
        options.stateDir().resolve("logs/keycloak.log"));
    keycloak.start();
    keycloakUrl = keycloak.url();
  }

  /**
   * The services call each other with tokens of client {@code infermint-services} that must carry realm role
   * {@code infermint-service}. A Keycloak database made from an older realm file lacks the role, and Keycloak never
   * imports a realm twice: say so plainly instead of letting every internal call fail with 403.
   */
  private void checkServiceRole() throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(keycloakUrl
            + "/realms/infermint/protocol/openid-connect/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=infermint-services"
            + "&client_secret=" + URLEncoder.encode(secrets.getProperty("services-client-secret"),
            StandardCharsets.UTF_8)))
        .build();
    HttpResponse<String> response;
    try {
      response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while asking Keycloak for a service token", e);
    }
    String body = response.body();
    int start = body.indexOf("\"access_token\":\"");
    if (response.statusCode() != 200 || start < 0) {
      throw new IOException("Keycloak refused the services' client credentials (" + response.statusCode()
          + "): the secret in " + options.stateDir().resolve("secrets.properties") + " does not match the realm");
    }
    String token = body.substring(start + 16, body.indexOf('"', start + 16));
    String[] parts = token.split("\\.");
    String claims = parts.length < 2 ? ""
        : new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    if (!claims.contains("\"infermint-service\"")) {
      throw new IOException("Keycloak's realm 'infermint' predates the service role 'infermint-service' (it is "
          + "imported only once): stop Infermint and remove " + options.stateDir() + " to start afresh");
    }
  }

  private Map<String, String> serviceEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    if (database != null) {
      env.put("INFERMINT_DB_URL", database.jdbcUrl(EmbeddedDatabase.APP_DB));
      env.put("INFERMINT_DB_USER", EmbeddedDatabase.USER);
      env.put("INFERMINT_DB_PASSWORD", EmbeddedDatabase.USER);
    }
    env.put("INFERMINT_KEYCLOAK_URL", options.externalKeycloakUrl() != null ? options.externalKeycloakUrl()
        : "http://localhost:" + options.keycloakPort());
    env.put("INFERMINT_SERVICES_CLIENT_SECRET", secrets.getProperty("services-client-secret"));
    env.put("INFERMINT_WEB_ADMIN_CLIENT_SECRET", secrets.getProperty("web-admin-client-secret"));
    env.put("INFERMINT_DATA_DIR", options.stateDir().resolve("data").toAbsolutePath().toString());
    for (Service s : SERVICES) {
      env.put("INFERMINT_" + envName(s.name()) + "_URL", "http://localhost:" + options.ports().get(s.name()));
    }
    env.put("INFERMINT_REGISTRY_URL", "http://localhost:" + options.ports().get("model-registry"));
    env.put("INFERMINT_WORKER_URL", url(WORKER));
    env.put("INFERMINT_WORKER_URLS", String.join(",", workerUrls()));
    env.put("INFERMINT_REDIS_URL", redisUrl);
    env.put("DJL_OFFLINE", "true");
    env.put("OPT_OUT_TRACKING", "true");
    env.putAll(options.extraEnv());
    return env;
  }

  /**
   * The generated secrets of this state folder: created on first start (mode 600), reused afterwards, because
   * Keycloak keeps the client secrets it imported the first time.
   */
  private Properties loadSecrets() throws IOException {
    Path file = options.stateDir().resolve("secrets.properties");
    Properties p = new Properties();
    if (Files.isRegularFile(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      }
    }
    boolean changed = false;
    for (String key : List.of("services-client-secret", "web-admin-client-secret")) {
      String fromEnv = System.getenv("INFERMINT_" + key.toUpperCase().replace('-', '_'));
      if (fromEnv != null && !fromEnv.isBlank()) {
        p.setProperty(key, fromEnv);
      } else if (p.getProperty(key) == null) {
        p.setProperty(key, randomSecret());
        changed = true;
      }
    }
    if (changed) {
      if (!Files.exists(file)) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      try (OutputStream o = Files.newOutputStream(file)) {
        p.store(o, "Generated by ./infermint; Keycloak imported these client secrets on its first start");
      }
    }
    return p;
  }

  private static String randomSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * @param name {@code services-client-secret} or {@code web-admin-client-secret}
   * @return the secret this stack's services were started with
   */
  public String secret(String name) {
    return secrets.getProperty(name);
  }

  /** @return the gateway's URL */
  public String gatewayUrl() {
    return url("gateway");
  }

  /**
   * @param service a service's name, or a worker's ({@link #workerName(int)})
   * @return its URL
   */
  public String url(String service) {
    Integer port = options.ports().get(service);
    if (port == null) {
      throw new IllegalArgumentException("No service " + service + " in this stack");
    }
    return "http://localhost:" + port;
  }

  /** @return every inference worker's base URL, the first worker's first (the gateway's INFERMINT_WORKER_URLS) */
  public List<String> workerUrls() {
    return workerNames().stream().map(this::url).toList();
  }

  /** @return the inference workers' processes, the first worker's first */
  public List<ServiceProcess> workers() {
    return workerNames().stream().map(this::service).toList();
  }

  private List<String> workerNames() {
    List<String> names = new ArrayList<>();
    for (int n = 1; n <= options.workers(); n++) {
      names.add(workerName(n));
    }
    return names;
  }

  /**
   * @param name a service's name as in {@link #SERVICES}, a worker's ({@link #workerName(int)}) or a replica's
   *     ({@link ServiceProcess#name()} of what {@link #startReplica(String, int)} returned)
   * @return its process, to stop, kill, pause or restart it
   * @throws IllegalArgumentException when this stack started no such process
   */
  public ServiceProcess service(String name) {
    ServiceProcess p = running.get(name);
    if (p == null) {
      throw new IllegalArgumentException("No running process " + name + " (have " + running.keySet() + ")");
    }
    return p;
  }

  /**
   * Restarts one process of the stack (gracefully stopped first if it still runs; resumed first if paused), on the
   * same port, environment and log, and waits until it is ready.
   *
   * @param name as for {@link #service(String)}
   * @return the process, ready again
   * @throws IOException when it does not become ready within two minutes
   */
  public ServiceProcess restart(String name) throws IOException {
    ServiceProcess p = service(name);
    p.restart(Duration.ofMinutes(2));
    return p;
  }

  /** @return Keycloak's base URL */
  public String keycloakUrl() {
    return keycloakUrl;
  }

  /** @return the Redis every service uses ({@code redis://host:port}): the embedded one or INFERMINT_REDIS_URL */
  public String redisUrl() {
    return redisUrl;
  }

  /** @return PostgreSQL's JDBC URL of the app database */
  public String databaseUrl() {
    return database != null ? database.jdbcUrl(EmbeddedDatabase.APP_DB) : externalDbUrl();
  }

  /** @return {@code INFERMINT_DB_URL} when the services should use an external PostgreSQL, else null */
  private static String externalDbUrl() {
    String url = System.getenv("INFERMINT_DB_URL");
    return url == null || url.isBlank() ? null : url;
  }

  /**
   * Keycloak's database: the embedded server's {@code keycloak} database, or {@code INFERMINT_KEYCLOAK_DB_URL},
   * or the external server's {@code keycloak} database (with the same credentials, which Keycloak then needs
   * through {@code KC_DB_USERNAME} / {@code KC_DB_PASSWORD}).
   */
  private String keycloakDbUrl() {
    if (database != null) {
      return database.jdbcUrl(EmbeddedDatabase.KEYCLOAK_DB);
    }
    String explicit = System.getenv("INFERMINT_KEYCLOAK_DB_URL");
    if (explicit != null && !explicit.isBlank()) {
      return explicit;
    }
    String url = externalDbUrl();
    int q = url.indexOf('?');
    String base = q < 0 ? url : url.substring(0, q);
    return base.substring(0, base.lastIndexOf('/') + 1) + EmbeddedDatabase.KEYCLOAK_DB + (q < 0 ? "" : url.substring(q));
  }

  /** @return the service processes by name (workers and replicas included), whether running or killed */
  public Map<String, ServiceProcess> services() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(running));
  }

  /** @return the PIDs of every process of the stack that this JVM started (Keycloak's included) */
  public Map<String, Long> pids() {
    Map<String, Long> pids = new LinkedHashMap<>();
    running.forEach((n, p) -> pids.put(n, p.pid()));
    return pids;
  }

  @Override
  public void close() {
    List<ServiceProcess> reverse = new ArrayList<>(running.values());
    Collections.reverse(reverse);
    reverse.parallelStream().forEach(ServiceProcess::close);
    running.clear();
    if (keycloak != null) {
      keycloak.close();
      keycloak = null;
    }
    stopQuietly(redis, "Redis");
    redis = null;
    stopQuietly(database, "PostgreSQL");
    database = null;
  }

  private void stopQuietly(AutoCloseable part, String name) {
    if (part == null) {
      return;
    }
    try {
      part.close();
    } catch (Exception e) {
      out.println(name + " did not stop cleanly: " + e.getMessage());
    }
  }

  static String envName(String service) {
    return switch (service) {
      case "model-registry" -> "REGISTRY";
      case "inference-worker" -> "WORKER";
      case "web-admin" -> "WEB_ADMIN";
      default -> service.toUpperCase().replace('-', '_');
    };
  }

  private static int envInt(String name, int fallback) {
    String v = System.getenv(name);
    try {
      return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, not '" + v + "'", e);
    }
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
