import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.infermint.testsupport.OnnxModelBuilder;

/**
 * The gateway's added latency at fixed request rates, and its quota exactness across two replicas (issue #7).
 *
 * <p>Run through {@code bench/gateway.sh}, which starts nginx and the second gateway; this program only talks HTTP.
 * Modes:
 * <ul>
 *   <li>{@code latency}: one tenant (plan {@code BENCH_PLAN}, default enterprise) with an Identity model on FP32
 *       [N,4]; the same {@code POST /v2/models/{m}/infer} sent (1) straight to the inference worker with the
 *       service token and the headers the gateway would assert, (2) through nginx with the same headers, (3) through
 *       the gateway with the tenant's API key (key lookup, minute + month quota in Redis, XADD of the usage event
 *       before the answer ends). Open loop: request i is due at start + i/rate; its latency is measured from that
 *       due time, not from when a connection got free, so a stall counts for every request it delays (no coordinated
 *       omission). Targets are interleaved in rounds (direct, nginx, gateway) × {@code BENCH_ROUNDS}, per rate.</li>
 *   <li>{@code exactness}: a tenant whose plan allows 500 calls a minute; {@code BENCH_BURST} (2000) calls at once,
 *       alternating between the two gateways; prints how many each admitted, refused and failed, and what billing
 *       counted.</li>
 *   <li>{@code profile}: the gateway target alone at the first rate for {@code BENCH_DURATION} s (for JFR).</li>
 *   <li>{@code jfr FILE}: the top frames of a JFR recording's execution samples.</li>
 * </ul>
 * Settings come from the environment (see {@code bench/gateway.sh}). Stops by itself: every run is bounded in
 * requests and time.
 */
public final class GatewayLoad {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String MODEL = "bench-identity";
  private static final byte[] INFER_BODY =
      "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1.0,2.0,3.0,4.0]}]}"
          .getBytes(StandardCharsets.US_ASCII);
  /** Connections (and threads) per target; requests wait for a free one, and that wait counts. */
  private static final int CONNECTIONS = envInt("BENCH_CONNECTIONS", 32);
  private static final int READ_TIMEOUT_MS = 10_000;
  /** Processes whose CPU time each run accounts for: {@code name=pid,...} (each with its descendants). */
  private static final Map<String, Long> PIDS = pids(env("BENCH_PIDS", ""));

  private static final String GATEWAY = env("BENCH_GATEWAY_URL", "http://127.0.0.1:8080");
  private static final String GATEWAY2 = env("BENCH_GATEWAY2_URL", "");
  private static final String WORKER = env("BENCH_WORKER_URL", "http://127.0.0.1:8084");
  private static final String NGINX = env("BENCH_NGINX_URL", "");
  private static final String KEYCLOAK = env("BENCH_KEYCLOAK_URL", "http://localhost:8180");
  private static final Path SECRETS = Path.of(env("BENCH_SECRETS", ".infermint/secrets.properties"));

  private GatewayLoad() {
  }

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "latency";
    switch (mode) {
      case "latency" -> latency(false);
      case "profile" -> latency(true);
      case "exactness" -> exactness();
      case "jfr" -> jfrTop(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 15);
      default -> throw new IllegalArgumentException("mode: latency | exactness | profile | jfr FILE");
    }
    System.exit(0);
  }

  // ---------------------------------------------------------------------------------------------- latency

  private static void latency(boolean profileOnly) throws Exception {
    int[] rates = Arrays.stream(env("BENCH_RATES", "200,500").split(",")).map(String::trim)
        .mapToInt(Integer::parseInt).toArray();
    double duration = Double.parseDouble(env("BENCH_DURATION", "25"));
    double warmup = Double.parseDouble(env("BENCH_WARMUP", "5"));
    double prewarm = Double.parseDouble(env("BENCH_PREWARM", "10"));
    int rounds = envInt("BENCH_ROUNDS", 3);
    String plan = env("BENCH_PLAN", "enterprise");
    int maxRate = Arrays.stream(rates).max().orElse(0);

    String admin = adminToken();
    long perMinute = planLimit(admin, plan, "requestsPerMinute");
    if (perMinute < maxRate * 60L) {
      throw new IllegalStateException("Plan '" + plan + "' allows " + perMinute + " calls a minute; " + maxRate
          + "/s needs " + maxRate * 60 + ". Start the stack with INFERMINT_PLANS_" + plan.toUpperCase(Locale.ROOT)
          + "_REQUESTS_PER_MINUTE=" + maxRate * 120 + " (bench/gateway.sh prints the whole command).");
    }
    Tenant t = tenant(admin, plan);
    ServiceToken token = new ServiceToken();
    Map<String, Target> targets = new LinkedHashMap<>();
    if (!profileOnly) {
      targets.put("direct", new Target("direct", WORKER, () -> internalHeaders(t, token.get())));
      if (!NGINX.isEmpty()) {
        targets.put("nginx", new Target("nginx", NGINX, () -> internalHeaders(t, token.get())));
      }
    }
    targets.put("gateway", new Target("gateway", GATEWAY, () -> Map.of("Authorization", "Bearer " + t.key())));
    for (Target target : targets.values()) { // each answers, with the model's output
      String body = target.check();
      if (!body.contains("\"outputs\"") || !body.contains("[1.0,2.0,3.0,4.0]")) {
        throw new IllegalStateException(target.name + " answered " + body);
      }
    }
    System.out.printf("Tenant %s (plan %s, %d calls/min), model %s: Identity, FP32 [N,4]; %d connections per target%n",
        t.id(), plan, perMinute, MODEL, CONNECTIONS);

    if (profileOnly) {
      Segment s = targets.get("gateway").run(rates[0], warmup, duration);
      System.out.println(s.line(0));
      return;
    }
    if (prewarm > 0) {
      System.out.printf("Warm-up: %.0f s per target at %d/s%n", prewarm, rates[0]);
      for (Target target : targets.values()) {
        System.out.println("  " + target.run(rates[0], 0, prewarm).line(0));
      }
    }
    System.out.printf("Measuring: per rate, %d rounds of (%s), each %.0f s warm-up + %.0f s measured%n", rounds,
        String.join(", ", targets.keySet()), warmup, duration);
    Map<Integer, Map<String, List<Segment>>> results = new LinkedHashMap<>();
    for (int rate : rates) {
      Map<String, List<Segment>> byTarget = new LinkedHashMap<>();
      targets.keySet().forEach(n -> byTarget.put(n, new ArrayList<>()));
      for (int r = 1; r <= rounds; r++) {
        for (Target target : targets.values()) {
          Segment s = target.run(rate, warmup, duration);
          byTarget.get(target.name).add(s);
          System.out.println("  " + s.line(r));
        }
      }
      results.put(rate, byTarget);
    }
    report(results, rounds);
  }

  private static Map<String, String> internalHeaders(Tenant t, String serviceToken) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Authorization", "Bearer " + serviceToken);
    h.put("X-Infermint-Caller-Kind", "API_KEY");
    h.put("X-Infermint-Tenant-Id", t.id());
    h.put("X-Infermint-Subject", t.keyId());
    h.put("X-Infermint-Roles", "inference");
    return h;
  }

  private static void report(Map<Integer, Map<String, List<Segment>>> results, int rounds) {
    System.out.printf("%nMedians over %d rounds (latency in ms from each request's scheduled start; errors summed)%n%n",
        rounds);
    System.out.println("| rate | target | requests/round | p50 | p90 | p99 | max | errors |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    results.forEach((rate, byTarget) -> byTarget.forEach((name, segs) -> System.out.printf(
        "| %d/s | %s | %d | %.2f | %.2f | %.2f | %.2f | %d |%n", rate, name,
        segs.get(0).count, median(segs, s -> s.p(0.50)), median(segs, s -> s.p(0.90)),
        median(segs, s -> s.p(0.99)), median(segs, Segment::max), segs.stream().mapToLong(s -> s.errors).sum())));
    System.out.printf("%nAdded over direct (median over rounds of the per-round difference, ms)%n%n");
    System.out.println("| rate | proxy | added p50 | added p99 | goal (gateway) |");
    System.out.println("|---|---|---|---|---|");
    Map<Integer, double[]> ratios = new LinkedHashMap<>();
    results.forEach((rate, byTarget) -> {
      List<Segment> direct = byTarget.get("direct");
      double[] nginx = null;
      for (String name : byTarget.keySet()) {
        if (name.equals("direct")) {
          continue;
        }
        List<Segment> segs = byTarget.get(name);
        double p50 = medianDiff(segs, direct, 0.50);
        double p99 = medianDiff(segs, direct, 0.99);
        String goal = !name.equals("gateway") ? "" : String.format("p50 ≤ 1 ms: %s, p99 ≤ 3 ms: %s",
            p50 <= 1.0 ? "met" : "missed", p99 <= 3.0 ? "met" : "missed");
        System.out.printf("| %d/s | %s | %.2f | %.2f | %s |%n", rate, name, p50, p99, goal);
        if (name.equals("nginx")) {
          nginx = new double[] {p50, p99};
        } else if (nginx != null) {
          ratios.put(rate, new double[] {nginx[0] > 0 ? p50 / nginx[0] : Double.NaN,
              nginx[1] > 0 ? p99 / nginx[1] : Double.NaN});
        }
      }
    });
    if (!ratios.isEmpty()) {
      System.out.printf("%nGateway-added / nginx-added (goal ≤ 1.5)%n%n");
      System.out.println("| rate | p50 ratio | p99 ratio |");
      System.out.println("|---|---|---|");
      ratios.forEach((rate, r) -> System.out.printf("| %d/s | %s | %s |%n", rate, ratio(r[0]), ratio(r[1])));
    }
    if (!PIDS.isEmpty()) {
      System.out.printf("%nCPU time per request, µs (median over rounds; warm-up included; the machine has %d cores)%n%n",
          Runtime.getRuntime().availableProcessors());
      System.out.println("| rate | target | " + String.join(" | ", PIDS.keySet()) + " | all |");
      System.out.println("|---|---|" + "---|".repeat(PIDS.size() + 1));
      results.forEach((rate, byTarget) -> byTarget.forEach((name, segs) -> {
        StringBuilder row = new StringBuilder("| " + rate + "/s | " + name + " |");
        double all = 0;
        for (String proc : PIDS.keySet()) {
          double v = median(segs, seg -> seg.cpuPerRequest.getOrDefault(proc, 0.0));
          all += v;
          row.append(String.format(" %.0f |", v));
        }
        System.out.println(row.append(String.format(" %.0f (%.0f%% of the machine) |", all,
            all * rate / 1e4 / Runtime.getRuntime().availableProcessors())));
      }));
    }
    long errors = results.values().stream().flatMap(m -> m.values().stream()).flatMap(List::stream)
        .mapToLong(s -> s.errors).sum();
    System.out.printf("%nErrors in all measured segments: %d%n", errors);
  }

  private static String ratio(double r) {
    return Double.isNaN(r) ? "n/a (nginx added ≤ 0: within noise)" : String.format("%.1f", r);
  }

  private static double median(List<Segment> segs, java.util.function.ToDoubleFunction<Segment> f) {
    double[] v = segs.stream().mapToDouble(f).sorted().toArray();
    return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static double medianDiff(List<Segment> proxy, List<Segment> direct, double q) {
    double[] d = new double[Math.min(proxy.size(), direct.size())];
    for (int i = 0; i < d.length; i++) {
      d[i] = proxy.get(i).p(q) - direct.get(i).p(q);
    }
    Arrays.sort(d);
    return d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
  }

  /** One fixed-rate run against one target: its measured requests' latencies (ns), -1 for an error. */
  private static final class Segment {
    final String target;
    final int rate;
    final long[] sorted; // successes only
    final long errors;
    final double seconds;
    final int count;
    final Map<String, Integer> errorKinds;
    /** CPU time per request (µs, over warm-up and measured requests) of each process in {@link #PIDS}. */
    Map<String, Double> cpuPerRequest = Map.of();

    Segment(String target, int rate, long[] latencies, double seconds, Map<String, Integer> errorKinds) {
      this.target = target;
      this.rate = rate;
      this.count = latencies.length;
      this.sorted = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
      this.errors = latencies.length - sorted.length;
      this.seconds = seconds;
      this.errorKinds = errorKinds;
    }

    double p(double q) {
      if (sorted.length == 0) {
        return Double.NaN;
      }
      int rank = (int) Math.ceil(q * sorted.length); // nearest rank
      return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    double max() {
      return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6;
    }

    String line(int round) {
      return String.format("%s%-7s %4d/s  n=%-6d p50 %7.2f  p90 %7.2f  p99 %7.2f  max %8.2f ms"
              + "  errors %d%s", round > 0 ? "round " + round + "  " : "", target, rate, count, p(0.5),
          p(0.9), p(0.99), max(), errors, errorKinds.isEmpty() ? "" : " " + errorKinds)
          + (cpuPerRequest.isEmpty() ? "" : "  cpu µs/req " + cpuPerRequest.entrySet().stream()
              .filter(e -> e.getValue() >= 1).map(e -> String.format("%s %.0f", e.getKey(), e.getValue()))
              .collect(java.util.stream.Collectors.joining(", ")));
    }
  }

  /** A host and the headers its calls carry (rebuilt per run: the service token is renewed). */
  private static final class Target {
    final String name;
    final String host;
    final int port;
    final java.util.function.Supplier<Map<String, String>> headers;

    Target(String name, String baseUrl, java.util.function.Supplier<Map<String, String>> headers) {
      URI u = URI.create(baseUrl);
      this.name = name;
      this.host = u.getHost();
      this.port = u.getPort();
      this.headers = headers;
    }

    byte[] request() {
      StringBuilder b = new StringBuilder("POST /v2/models/").append(MODEL).append("/infer HTTP/1.1\r\n")
          .append("Host: ").append(host).append(':').append(port).append("\r\n")
          .append("Content-Type: application/json\r\nAccept: application/json\r\n")
          .append("Content-Length: ").append(INFER_BODY.length).append("\r\n");
      headers.get().forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
      b.append("\r\n");
      byte[] head = b.toString().getBytes(StandardCharsets.US_ASCII);
      byte[] all = Arrays.copyOf(head, head.length + INFER_BODY.length);
      System.arraycopy(INFER_BODY, 0, all, head.length, INFER_BODY.length);
      return all;
    }

    String check() throws IOException {
      try (Conn c = new Conn(host, port)) {
        Conn.Answer a = c.call(request());
        if (a.status() != 200) {
          throw new IllegalStateException(name + " answered " + a.status() + ": " + a.body());
        }
        return a.body();
      }
    }

    /**
     * Sends rate × (warmup + seconds) requests, request i due at start + i / rate; records those after the
     * warm-up. Every request is finished or counted as an error within {@link #READ_TIMEOUT_MS} of the end.
     */
    Segment run(int rate, double warmup, double seconds) throws Exception {
      int skip = (int) Math.round(rate * warmup);
      int n = skip + (int) Math.round(rate * seconds);
      long period = 1_000_000_000L / rate;
      long[] latency = new long[n];
      Arrays.fill(latency, Long.MIN_VALUE); // not done
      Map<String, Integer> kinds = new HashMap<>();
      byte[] request = request();
      LinkedBlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
      List<Conn> conns = new ArrayList<>();
      Map<String, Long> cpuBefore = cpuTicks();
      for (int i = 0; i < CONNECTIONS; i++) {
        conns.add(new Conn(host, port));
      }
      long start = System.nanoTime() + 50_000_000L;
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < CONNECTIONS; c++) {
        Conn[] conn = {conns.get(c)};
        Thread th = new Thread(() -> {
          while (true) {
            Integer i;
            try {
              i = queue.take();
            } catch (InterruptedException e) {
              return;
            }
            if (i < 0) {
              return;
            }
            long due = start + i * period;
            String error = null;
            try {
              if (conn[0] == null) {
                conn[0] = new Conn(host, port);
              }
              Conn.Answer a = conn[0].call(request);
              if (a.status() != 200) {
                error = "HTTP " + a.status();
              }
              if (a.close()) {
                conn[0].close();
                conn[0] = null;
              }
            } catch (IOException | RuntimeException e) {
              error = e.getClass().getSimpleName();
              if (conn[0] != null) {
                conn[0].close();
              }
              conn[0] = null;
            }
            long took = System.nanoTime() - due;
            synchronized (latency) {
              latency[i] = error == null ? took : -1;
              if (error != null && i >= skip) {
                kinds.merge(error, 1, Integer::sum);
              }
            }
          }
        }, name + "-conn-" + c);
        th.setDaemon(true);
        th.start();
        threads.add(th);
      }
      for (int i = 0; i < n; i++) {
        long due = start + i * period;
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        queue.add(i);
      }
      for (int c = 0; c < CONNECTIONS; c++) {
        queue.add(-1);
      }
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READ_TIMEOUT_MS + 2_000);
      for (Thread th : threads) {
        th.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
      threads.forEach(Thread::interrupt);
      conns.forEach(Conn::close);
      long[] measured;
      synchronized (latency) {
        measured = Arrays.copyOfRange(latency, skip, n);
        for (int i = 0; i < measured.length; i++) {
          if (measured[i] == Long.MIN_VALUE) {
            measured[i] = -1;
            kinds.merge("unfinished", 1, Integer::sum);
          }
        }
      }
      Map<String, Long> cpuAfter = cpuTicks();
      Segment seg = new Segment(name, rate, measured, seconds, kinds);
      Map<String, Double> cpu = new LinkedHashMap<>();
      cpuAfter.forEach((proc, ticks) -> cpu.put(proc, (ticks - cpuBefore.getOrDefault(proc, ticks)) * 1e6 / TICKS / n));
      seg.cpuPerRequest = cpu;
      return seg;
    }
  }

  /** A keep-alive HTTP/1.1 connection: one request at a time, Content-Length or chunked answers. */
  private static final class Conn implements AutoCloseable {
    record Answer(int status, String body, boolean close) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Conn(String host, int port) throws IOException {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(READ_TIMEOUT_MS);
      socket.connect(new InetSocketAddress(host, port), 5_000);
      in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      out = socket.getOutputStream();
    }

    Answer call(byte[] request) throws IOException {
      out.write(request);
      out.flush();
      String statusLine = line();
      if (!statusLine.startsWith("HTTP/1.")) {
        throw new IOException("bad status line: " + statusLine);
      }
      int status = Integer.parseInt(statusLine.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      boolean close = statusLine.startsWith("HTTP/1.0");
      for (String h = line(); !h.isEmpty(); h = line()) {
        int colon = h.indexOf(':');
        String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = h.substring(colon + 1).trim();
        switch (name) {
          case "content-length" -> length = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
          case "connection" -> close = value.equalsIgnoreCase("close");
          default -> {
          }
        }
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream(256);
      if (chunked) {
        while (true) {
          String size = line();
          int semi = size.indexOf(';');
          int len = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
          if (len == 0) {
            while (!line().isEmpty()) {
              // trailers
            }
            break;
          }
          body.write(in.readNBytes(len));
          line();
        }
      } else if (length >= 0) {
        byte[] b = in.readNBytes((int) length);
        if (b.length < length) {
          throw new EOFException("body cut short");
        }
        body.write(b);
      } else {
        throw new IOException("answer without length");
      }
      return new Answer(status, body.toString(StandardCharsets.UTF_8), close);
    }

    private String line() throws IOException {
      StringBuilder b = new StringBuilder(64);
      int c;
      while ((c = in.read()) != '\n') {
        if (c < 0) {
          throw new EOFException("connection closed");
        }
        if (c != '\r') {
          b.append((char) c);
        }
      }
      return b.toString();
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  // ---------------------------------------------------------------------------------------------- exactness

  private static void exactness() throws Exception {
    if (GATEWAY2.isEmpty()) {
      throw new IllegalStateException("BENCH_GATEWAY2_URL (the second gateway) is not set");
    }
    int burst = envInt("BENCH_BURST", 2000);
    String admin = adminToken();
    String plan = env("BENCH_EXACT_PLAN", "pro");
    long limit = planLimit(admin, plan, "requestsPerMinute");
    Tenant t = tenant(admin, plan);
    // Load the model into the worker without touching the tenant's quota: one direct call.
    String direct = new Target("direct", WORKER, () -> internalHeaders(t, new ServiceToken().get())).check();
    if (!direct.contains("\"outputs\"")) {
      throw new IllegalStateException("worker answered " + direct);
    }
    // Both replicas warm (JIT, connections to Redis and the worker) on another tenant, so that neither answers
    // the burst late just for being cold.
    Tenant warm = tenant(admin, env("BENCH_PLAN", "enterprise"));
    HttpClient warmClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (String gw : new String[] {GATEWAY, GATEWAY2}) {
      List<CompletableFuture<HttpResponse<Void>>> w = new ArrayList<>();
      for (int i = 0; i < envInt("BENCH_EXACT_WARMUP", 400); i++) {
        w.add(warmClient.sendAsync(HttpRequest.newBuilder(URI.create(gw + "/v2/models/" + MODEL + "/infer"))
            .header("Authorization", "Bearer " + warm.key()).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(INFER_BODY)).build(), HttpResponse.BodyHandlers.discarding()));
        if (w.size() >= 16) {
          w.remove(0).join();
        }
      }
      w.forEach(CompletableFuture::join);
    }
    // Quota minutes are calendar minutes: the whole burst must fall into one.
    long msLeft = 60_000 - System.currentTimeMillis() % 60_000;
    if (msLeft < 40_000) {
      System.out.printf("Waiting %.0f s for the next minute so that the burst falls into one quota window%n",
          msLeft / 1000.0 + 1);
      Thread.sleep(msLeft + 1_000);
    }
    String[] gateways = {GATEWAY, GATEWAY2};
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>(burst);
    long minute = System.currentTimeMillis() / 60_000;
    long t0 = System.nanoTime();
    for (int i = 0; i < burst; i++) {
      HttpRequest r = HttpRequest.newBuilder(URI.create(gateways[i % 2] + "/v2/models/" + MODEL + "/infer"))
          .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + t.key())
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(INFER_BODY))
          .build();
      calls.add(client.sendAsync(r, HttpResponse.BodyHandlers.ofString()));
    }
    int[][] counts = new int[2][3]; // per gateway: admitted, rate_limited, other
    Map<String, Integer> other = new LinkedHashMap<>();
    for (int i = 0; i < burst; i++) {
      int g = i % 2;
      try {
        HttpResponse<String> r = calls.get(i).get(60, TimeUnit.SECONDS);
        if (r.statusCode() == 200) {
          counts[g][0]++;
        } else if (r.statusCode() == 429 && r.body().contains("\"rate_limited\"")) {
          counts[g][1]++;
        } else {
          counts[g][2]++;
          other.merge("HTTP " + r.statusCode(), 1, Integer::sum);
        }
      } catch (Exception e) {
        counts[g][2]++;
        Throwable c = e.getCause() != null ? e.getCause() : e;
        other.merge(c.getClass().getSimpleName(), 1, Integer::sum);
      }
    }
    double took = (System.nanoTime() - t0) / 1e9;
    boolean oneMinute = System.currentTimeMillis() / 60_000 == minute;
    int admitted = counts[0][0] + counts[1][0];
    System.out.printf("Exactness: %d calls at once, alternating over %s and %s; tenant %s on plan '%s' (%d/min)%n",
        burst, GATEWAY, GATEWAY2, t.id(), plan, limit);
    for (int g = 0; g < 2; g++) {
      System.out.printf("  %-28s admitted %4d  rate_limited %4d  other %d%n", gateways[g], counts[g][0],
          counts[g][1], counts[g][2]);
    }
    System.out.printf("  admitted %d of %d (limit %d): %s; refused 429 rate_limited %d; other %d %s; %.1f s%s%n",
        admitted, burst, limit, admitted == limit ? "EXACT" : "NOT EXACT", counts[0][1] + counts[1][1],
        counts[0][2] + counts[1][2], other.isEmpty() ? "" : other, took,
        oneMinute ? "" : " (the burst crossed a minute boundary!)");
    // Billing consumes the usage stream; every admitted call counts once.
    long billed = -1;
    for (int i = 0; i < 30 && billed != admitted; i++) {
      Thread.sleep(1000);
      String usage = get(GATEWAY + "/api/v1/tenants/" + t.id() + "/usage?groupBy=model", "Bearer " + admin);
      billed = sumMember(usage, "requests");
    }
    System.out.printf("  billing counted %d requests for the tenant (admitted %d)%n", billed, admitted);
    if (admitted != limit || billed != admitted) {
      System.exit(1);
    }
  }

  // ---------------------------------------------------------------------------------------------- JFR

  /** Prints where the samples' time goes: top frames overall, and per sample the innermost frame of Infermint's code. */
  private static void jfrTop(Path file, int top) throws IOException {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> ownInnermost = new HashMap<>();
    Map<String, Integer> ownInclusive = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    int samples = 0;
    for (var e : jdk.jfr.consumer.RecordingFile.readAllEvents(file)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
        continue;
      }
      samples++;
      var frames = e.getStackTrace().getFrames();
      var thread = e.getThread("sampledThread");
      String tn = thread == null ? "?" : thread.getJavaName() == null ? "?" : thread.getJavaName()
          .replaceAll("[0-9]+", "N");
      threads.merge(tn, 1, Integer::sum);
      if (frames.isEmpty()) {
        continue;
      }
      self.merge(frame(frames.get(0)), 1, Integer::sum);
      boolean innermost = true;
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (var f : frames) {
        String name = frame(f);
        if (name.startsWith("dev.infermint.")) {
          if (innermost) {
            ownInnermost.merge(name, 1, Integer::sum);
            innermost = false;
          }
          if (seen.add(name)) {
            ownInclusive.merge(name, 1, Integer::sum);
          }
        }
      }
    }
    System.out.printf("%d execution samples in %s%n", samples, file);
    print("threads", threads, samples, top);
    print("top frames (self)", self, samples, top);
    print("innermost dev.infermint frame per sample", ownInnermost, samples, top);
    print("dev.infermint frames (inclusive)", ownInclusive, samples, top);
  }

  private static String frame(jdk.jfr.consumer.RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static void print(String title, Map<String, Integer> counts, int samples, int top) {
    System.out.printf("%n%s:%n", title);
    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
        .limit(top).forEach(e -> System.out.printf("  %5d %5.1f%%  %s%n", e.getValue(),
            100.0 * e.getValue() / Math.max(1, samples), e.getKey()));
  }

  // ---------------------------------------------------------------------------------------------- set-up

  private record Tenant(String id, String key, String keyId) {
  }

  /** A new tenant on the plan, with the Identity model uploaded and an inference-only API key. */
  private static Tenant tenant(String admin, String plan) throws Exception {
    String slug = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    String tenant = member(post(GATEWAY + "/api/v1/tenants", "{\"name\":\"Bench " + slug + "\",\"slug\":\"" + slug
        + "\",\"plan\":\"" + plan + "\"}", "Bearer " + admin, "application/json"), "id");
    String adminKey = member(post(GATEWAY + "/api/v1/tenants/" + tenant + "/api-keys",
        "{\"name\":\"bench-admin\",\"scopes\":[\"admin\"]}", "Bearer " + admin, "application/json"), "key");
    byte[] onnx = new OnnxModelBuilder().input("x", OnnxModelBuilder.FLOAT, "N", 4)
        .node("Identity", new String[] {"x"}, new String[] {"y"}).output("y", OnnxModelBuilder.FLOAT, "N", 4).build();
    String boundary = "bench" + UUID.randomUUID().toString().replace("-", "");
    ByteArrayOutputStream multipart = new ByteArrayOutputStream();
    multipart.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"model.onnx\""
        + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    multipart.writeBytes(onnx);
    multipart.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"task\"\r\n\r\ngeneric\r\n--"
        + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    HttpResponse<String> up = HTTP.send(HttpRequest.newBuilder(URI.create(GATEWAY + "/api/v1/models/" + MODEL
            + "/versions")).header("Authorization", "Bearer " + adminKey)
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(multipart.toByteArray())).build(),
        HttpResponse.BodyHandlers.ofString());
    if (up.statusCode() != 201) {
      throw new IllegalStateException("model upload answered " + up.statusCode() + ": " + up.body());
    }
    String created = post(GATEWAY + "/api/v1/tenants/" + tenant + "/api-keys",
        "{\"name\":\"bench\",\"scopes\":[\"inference\"]}", "Bearer " + admin, "application/json");
    return new Tenant(tenant, member(created, "key"), member(created, "id"));
  }

  private static String adminToken() throws Exception {
    return member(post(KEYCLOAK + "/realms/infermint/protocol/openid-connect/token",
        "grant_type=password&client_id=infermint-cli&username=admin&password=admin", null,
        "application/x-www-form-urlencoded"), "access_token");
  }

  /** The gateway's kind of service token (client credentials of infermint-services), renewed after a minute. */
  private static final class ServiceToken {
    private String token;
    private Instant taken = Instant.EPOCH;

    synchronized String get() {
      if (Instant.now().isAfter(taken.plusSeconds(60))) {
        try {
          Properties p = new Properties();
          try (InputStream in = Files.newInputStream(SECRETS)) {
            p.load(in);
          }
          token = member(post(KEYCLOAK + "/realms/infermint/protocol/openid-connect/token",
              "grant_type=client_credentials&client_id=infermint-services&client_secret="
                  + URLEncoder.encode(p.getProperty("services-client-secret"), StandardCharsets.UTF_8), null,
              "application/x-www-form-urlencoded"), "access_token");
          taken = Instant.now();
        } catch (Exception e) {
          throw new IllegalStateException("no service token from Keycloak: " + e, e);
        }
      }
      return token;
    }
  }

  private static long planLimit(String admin, String plan, String limit) throws Exception {
    String plans = get(GATEWAY + "/api/v1/plans", "Bearer " + admin);
    int at = plans.indexOf("\"id\":\"" + plan + "\"");
    if (at < 0) {
      throw new IllegalStateException("no plan '" + plan + "' in " + plans);
    }
    int next = plans.indexOf("\"id\":", at + 5);
    String part = next < 0 ? plans.substring(at) : plans.substring(at, next);
    return sumMember(part, limit);
  }

  private static String post(String url, String body, String auth, String type) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  private static String get(String url, String auth) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth)
        .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /** Reads a string member (the first one of that name); enough for the few answers read here. */
  private static String member(String body, String name) {
    String needle = "\"" + name + "\":\"";
    int i = body.indexOf(needle);
    if (i < 0) {
      throw new IllegalStateException("no " + name + " in " + body);
    }
    int start = i + needle.length();
    return body.substring(start, body.indexOf('"', start));
  }

  /** Sums every numeric member of that name; -1 when there is none. */
  private static long sumMember(String body, String name) {
    String needle = "\"" + name + "\":";
    long sum = -1;
    for (int i = body.indexOf(needle); i >= 0; i = body.indexOf(needle, i + 1)) {
      int s = i + needle.length();
      while (s < body.length() && body.charAt(s) == ' ') {
        s++;
      }
      int e = s;
      while (e < body.length() && (Character.isDigit(body.charAt(e)) || body.charAt(e) == '-')) {
        e++;
      }
      if (e > s) {
        sum = Math.max(sum, 0) + Long.parseLong(body.substring(s, e));
      }
    }
    return sum;
  }

  /** Clock ticks per second of /proc/PID/stat (USER_HZ; 100 on Linux). */
  private static final double TICKS = Double.parseDouble(env("BENCH_CLK_TCK", "100"));

  private static Map<String, Long> pids(String spec) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (String part : spec.split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0 && !part.substring(eq + 1).isBlank()) {
        m.put(part.substring(0, eq).trim(), Long.parseLong(part.substring(eq + 1).trim()));
      }
    }
    if (!m.isEmpty()) {
      m.put("client", ProcessHandle.current().pid());
    }
    return m;
  }

  /** User + system CPU ticks of each accounted process and its descendants (nginx workers, PostgreSQL backends). */
  private static Map<String, Long> cpuTicks() {
    Map<String, Long> m = new LinkedHashMap<>();
    PIDS.forEach((name, pid) -> {
      long ticks = ticks(pid);
      var handle = ProcessHandle.of(pid);
      if (handle.isPresent()) {
        ticks += handle.get().descendants().mapToLong(h -> ticks(h.pid())).sum();
      }
      m.put(name, ticks);
    });
    return m;
  }

  private static long ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  private static int envInt(String name, int fallback) {
    return Integer.parseInt(env(name, Integer.toString(fallback)));
  }
}
