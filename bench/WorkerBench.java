import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import ai.djl.Model;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.onnxruntime.OrtSession;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * The inference worker against raw ONNX Runtime on all-minilm-l6-v2 (issue #8's benchmark). Run through
 * {@code bench/worker.sh}, which starts the two workers (batching on and off) and puts the worker's own jars (DJL,
 * ONNX Runtime, Vert.x) on the class path, so the raw runs use exactly the worker's ONNX Runtime build.
 *
 * <p>Modes:
 * <ul>
 *   <li>{@code all}: {@code BENCH_ROUNDS} rounds, each (1) raw ONNX Runtime in process: batch 1 latency and the
 *       sentences/s of each batch size, the session made as the worker makes it (ALL_OPT, the worker's intra-op
 *       threads); (2) {@code POST /v1/embeddings} of one 8-token sentence, closed loop, to the worker with batching
 *       off and on at each of {@code BENCH_CLIENTS}; (3) two tenants on the batching worker: B (one client) alone,
 *       then under A's flood of 64 clients. Then the medians over rounds and the ratios against the goals.</li>
 *   <li>{@code profile}: {@code BENCH_CLIENTS}' first level against the batching worker for
 *       {@code BENCH_DURATION} s (worker.sh records JFR meanwhile).</li>
 *   <li>{@code jfr FILE [N]}: the top N frames of a recording's execution samples, by self time and by the worker's
 *       own frames anywhere on the stack.</li>
 * </ul>
 * Calls carry what the gateway would send: a service token (client credentials of infermint-services), the asserted
 * caller ({@code X-Infermint-Caller-Kind/-Tenant-Id/-Subject/-Roles}) and a deadline 30 s ahead.
 */
public final class WorkerBench {

  private static final String MODEL = "all-minilm-l6-v2";
  private static final String SENTENCE = env("BENCH_SENTENCE", "a cat sits on the mat");
  private static final byte[] EMBED_BODY = ("{\"model\":\"" + MODEL + "\",\"input\":\"" + SENTENCE + "\"}")
      .getBytes(StandardCharsets.UTF_8);
  private static final String TENANT_A = "00000000-0000-4000-8000-0000000000a1";
  private static final String TENANT_B = "00000000-0000-4000-8000-0000000000b2";

  private static final String WORKER_ON = env("BENCH_WORKER_ON_URL", "http://127.0.0.1:9084");
  private static final String WORKER_OFF = env("BENCH_WORKER_OFF_URL", "http://127.0.0.1:9085");
  private static final String KEYCLOAK = env("BENCH_KEYCLOAK_URL", "http://localhost:8180");
  private static final Path SECRETS = Path.of(env("BENCH_SECRETS", ".infermint/secrets.properties"));
  private static final int ROUNDS = Integer.parseInt(env("BENCH_ROUNDS", "3"));
  private static final double WARMUP_S = Double.parseDouble(env("BENCH_WARMUP", "2"));
  private static final double DURATION_S = Double.parseDouble(env("BENCH_DURATION", "8"));
  private static final int[] CLIENTS = Arrays.stream(env("BENCH_CLIENTS", "1,8,32,64").split(","))
      .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
  private static final int[] RAW_BATCHES = Arrays.stream(env("BENCH_RAW_BATCHES", "1,8,16,32,64,128").split(","))
      .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
  private static final double PREWARM_S = Double.parseDouble(env("BENCH_PREWARM", "10"));
  private static final int FLOOD = Integer.parseInt(env("BENCH_FLOOD_CLIENTS", "64"));
  private static final long CLK_TCK = Long.parseLong(env("BENCH_CLK_TCK", "100"));
  private static final Map<String, Long> PIDS = pids(env("BENCH_PIDS", ""));

  private WorkerBench() {
  }

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "all";
    switch (mode) {
      case "all" -> all();
      case "profile" -> profile();
      case "compare" -> compare();
      case "jfr" -> jfr(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 25);
      default -> throw new IllegalArgumentException("mode: all | profile | jfr FILE [N]");
    }
  }

  // -------------------------------------------------------------------------------------------- the whole run

  private static void all() throws Exception {
    Raw raw = Raw.open();
    System.out.printf("Sentence \"%s\": %d tokens ([CLS] and [SEP] included); intra-op threads %s%n%n", SENTENCE,
        raw.tokens, raw.intraOp < 0 ? "ONNX Runtime's default (every core), as the worker" : raw.intraOp);
    Map<String, List<Double>> results = new LinkedHashMap<>();
    Consumer<Map<String, Double>> keep = m -> m.forEach((k, v) -> results.computeIfAbsent(k, x -> new ArrayList<>())
        .add(v));
    try (Load load = new Load()) {
      // The model's first load and the JIT's first compilations, in neither worker's measured time.
      for (String url : List.of(WORKER_OFF, WORKER_ON)) {
        load.closedLoop(url, Map.of(TENANT_A, 8), PREWARM_S, 0);
      }
      for (int round = 1; round <= ROUNDS; round++) {
        System.out.printf("Round %d of %d (load average %s)%n", round, ROUNDS, loadAverage());
        keep.accept(raw.measure());
        for (int clients : CLIENTS) {
          for (String target : List.of("off", "on")) {
            String url = target.equals("on") ? WORKER_ON : WORKER_OFF;
            Phase p = load.closedLoop(url, Map.of(TENANT_A, clients));
            Stats s = p.stats(TENANT_A);
            System.out.printf("  worker batching %-3s %2d clients: %7.1f calls/s  p50 %7.2f ms  p99 %7.2f ms"
                + "  errors %d%s%n", target, clients, s.rate, s.p50, s.p99, s.errors, p.cpuNote());
            keep.accept(Map.of(target + "." + clients + ".rate", s.rate, target + "." + clients + ".p50", s.p50,
                target + "." + clients + ".p99", s.p99));
          }
        }
        Stats alone = load.closedLoop(WORKER_ON, Map.of(TENANT_B, 1)).stats(TENANT_B);
        Phase flood = load.closedLoop(WORKER_ON, Map.of(TENANT_A, FLOOD, TENANT_B, 1));
        Stats underB = flood.stats(TENANT_B);
        Stats underA = flood.stats(TENANT_A);
        System.out.printf("  two tenants (batching on): B alone p50 %.2f ms p99 %.2f ms; under A's %d clients B p50"
            + " %.2f ms p99 %.2f ms (%d calls, %d errors), A %.1f calls/s (%d errors)%s%n", alone.p50, alone.p99,
            FLOOD, underB.p50, underB.p99, underB.calls, underB.errors, underA.rate, underA.errors, flood.cpuNote());
        keep.accept(Map.of("b.alone.p99", alone.p99, "b.flood.p99", underB.p99, "b.alone.p50", alone.p50,
            "b.flood.p50", underB.p50, "a.flood.rate", underA.rate));
        System.out.println();
      }
    }
    raw.close();
    summary(results);
  }

  private static void summary(Map<String, List<Double>> r) {
    System.out.printf("Medians over %d round(s) (load average %s)%n%n", ROUNDS, loadAverage());
    double rawB1 = median(r.get("raw.1.p50"));
    double limit = 0;
    int best = 0;
    System.out.printf("  raw ONNX Runtime: batch 1 p50 %.2f ms%n", rawB1);
    for (int b : RAW_BATCHES) {
      double rate = median(r.get("raw." + b + ".rate"));
      System.out.printf("  raw ONNX Runtime: batch %3d  %7.1f sentences/s%n", b, rate);
      if (rate > limit) {
        limit = rate;
        best = b;
      }
    }
    System.out.println();
    System.out.printf("  %-8s %8s %10s %10s %10s %9s%n", "batching", "clients", "calls/s", "p50 ms", "p99 ms",
        "x limit");
    double bestWorker = 0;
    for (String target : List.of("off", "on")) {
      for (int c : CLIENTS) {
        double rate = median(r.get(target + "." + c + ".rate"));
        bestWorker = Math.max(bestWorker, rate);
        System.out.printf("  %-8s %8d %10.1f %10.2f %10.2f %9.2f%n", target, c, rate,
            median(r.get(target + "." + c + ".p50")), median(r.get(target + "." + c + ".p99")), rate / limit);
      }
    }
    double oneClient = Math.min(median(r.get("off.1.p50")), median(r.get("on.1.p50")));
    double bAlone = median(r.get("b.alone.p99"));
    double bFlood = median(r.get("b.flood.p99"));
    System.out.printf("%n  tenant B p99 alone %.2f ms, under A's flood %.2f ms (p50 %.2f / %.2f ms); A %.1f calls/s"
        + " meanwhile%n", bAlone, bFlood, median(r.get("b.alone.p50")), median(r.get("b.flood.p50")),
        median(r.get("a.flood.rate")));
    System.out.printf("%nGoals%n");
    System.out.printf("  best throughput %.1f calls/s = %.2f x the raw limit %.1f/s (batch %d)    goal >= 0.85: %s%n",
        bestWorker, bestWorker / limit, limit, best, bestWorker / limit >= 0.85 ? "met" : "NOT met");
    System.out.printf("  one client's p50 %.2f ms = raw batch 1 %.2f ms + %.2f ms                goal <= +1.5 ms:"
        + " %s%n", oneClient, rawB1, oneClient - rawB1, oneClient - rawB1 <= 1.5 ? "met" : "NOT met");
    System.out.printf("  B's p99 under A's flood %.2f ms = %.2f x B's p99 alone %.2f ms       goal <= 3: %s%n",
        bFlood, bFlood / bAlone, bAlone, bFlood / bAlone <= 3 ? "met" : "NOT met");
  }

  /**
   * Two builds of the worker (BENCH_BEFORE_URL, BENCH_AFTER_URL), batching on, interleaved in rounds at each of
   * BENCH_CLIENTS: calls/s, latency and the worker's CPU per call by thread.
   */
  private static void compare() throws Exception {
    Map<String, String> targets = new LinkedHashMap<>();
    targets.put("before", env("BENCH_BEFORE_URL", "http://127.0.0.1:9086"));
    targets.put("after", env("BENCH_AFTER_URL", "http://127.0.0.1:9087"));
    Map<String, List<Double>> r = new LinkedHashMap<>();
    try (Load load = new Load()) {
      for (String url : targets.values()) {
        load.closedLoop(url, Map.of(TENANT_A, 8), PREWARM_S, 0);
      }
      for (int round = 1; round <= ROUNDS; round++) {
        System.out.printf("Round %d of %d (load average %s)%n", round, ROUNDS, loadAverage());
        for (int clients : CLIENTS) {
          for (Map.Entry<String, String> t : targets.entrySet()) {
            long pid = PIDS.get(t.getKey());
            Map<String, Long> before = threadTicks(pid);
            Phase p = load.closedLoop(t.getValue(), Map.of(TENANT_A, clients));
            Map<String, Long> after = threadTicks(pid);
            Stats st = p.stats(TENANT_A);
            long calls = (long) (st.calls * (WARMUP_S + DURATION_S) / DURATION_S);
            StringBuilder threads = new StringBuilder();
            after.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue()
                    - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).limit(4)
                .forEach(e -> threads.append(String.format(Locale.ROOT, " %s %.2f", e.getKey().trim(),
                    e.getValue() * 1000.0 / CLK_TCK / Math.max(1, calls))));
            double cpu = (after.values().stream().mapToLong(Long::longValue).sum()
                - before.values().stream().mapToLong(Long::longValue).sum()) * 1000.0 / CLK_TCK / Math.max(1, calls);
            System.out.printf("  %-6s %2d clients: %7.1f calls/s  p50 %7.2f ms  p99 %7.2f ms  errors %d  CPU %.2f"
                + " ms/call (%s)%n", t.getKey(), clients, st.rate, st.p50, st.p99, st.errors, cpu,
                threads.toString().trim());
            String k = t.getKey() + "." + clients;
            r.computeIfAbsent(k + ".rate", x -> new ArrayList<>()).add(st.rate);
            r.computeIfAbsent(k + ".p50", x -> new ArrayList<>()).add(st.p50);
            r.computeIfAbsent(k + ".p99", x -> new ArrayList<>()).add(st.p99);
            r.computeIfAbsent(k + ".cpu", x -> new ArrayList<>()).add(cpu);
          }
        }
      }
    }
    System.out.printf("%nMedians over %d round(s) (load average %s)%n", ROUNDS, loadAverage());
    System.out.printf("  %-7s %8s %10s %10s %10s %12s%n", "build", "clients", "calls/s", "p50 ms", "p99 ms",
        "CPU ms/call");
    for (int c : CLIENTS) {
      for (String t : targets.keySet()) {
        String k = t + "." + c;
        System.out.printf("  %-7s %8d %10.1f %10.2f %10.2f %12.2f%n", t, c, median(r.get(k + ".rate")),
            median(r.get(k + ".p50")), median(r.get(k + ".p99")), median(r.get(k + ".cpu")));
      }
    }
  }

  private static void profile() throws Exception {
    try (Load load = new Load()) {
      load.closedLoop(WORKER_ON, Map.of(TENANT_A, CLIENTS[0]), PREWARM_S, 0);
      Map<String, Map<String, Long>> before = new LinkedHashMap<>();
      PIDS.forEach((name, pid) -> before.put(name, threadTicks(pid)));
      String jfr = env("BENCH_JFR_FILE", "");
      if (!jfr.isEmpty()) {
        jcmd(PIDS.get("on"), "JFR.start", "name=bench-worker", "settings=" + env("BENCH_JFC", "profile"));
      }
      Phase p = load.closedLoop(WORKER_ON, Map.of(TENANT_A, CLIENTS[0]));
      if (!jfr.isEmpty()) {
        jcmd(PIDS.get("on"), "JFR.dump", "name=bench-worker", "filename=" + jfr);
        jcmd(PIDS.get("on"), "JFR.stop", "name=bench-worker");
      }
      Stats s = p.stats(TENANT_A);
      System.out.printf("profile: %d clients, %.1f calls/s, p50 %.2f ms, p99 %.2f ms%s%n", CLIENTS[0], s.rate,
          s.p50, s.p99, p.cpuNote());
      // Warm-up and measured time: the thread snapshots span both.
      long calls = (long) (s.calls * (WARMUP_S + DURATION_S) / DURATION_S);
      PIDS.forEach((name, pid) -> {
        Map<String, Long> after = threadTicks(pid);
        System.out.printf("%s: CPU per call by thread (digits folded), ms%n", name);
        after.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue()
                - before.get(name).getOrDefault(e.getKey(), 0L)))
            .filter(e -> e.getValue() > 0)
            .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
            .forEach(e -> System.out.printf("  %7.3f  %s%n", e.getValue() * 1000.0 / CLK_TCK / Math.max(1, calls),
                e.getKey()));
      });
    }
  }

  // ------------------------------------------------------------------------------------------- raw ONNX Runtime

  /** all-minilm-l6-v2 in this process, loaded as the worker loads it. */
  private static final class Raw implements AutoCloseable {
    final Model model;
    final OrtSession.SessionOptions options;
    final Predictor<NDList, NDList> predictor;
    final long[] ids;
    final long[] mask;
    final long[] types;
    final int tokens;
    final int intraOp;

    private Raw(Model model, OrtSession.SessionOptions options, long[] ids, long[] mask, long[] types, int intraOp) {
      this.model = model;
      this.options = options;
      this.predictor = model.newPredictor(new NoopTranslator());
      this.ids = ids;
      this.mask = mask;
      this.types = types;
      this.tokens = ids.length;
      this.intraOp = intraOp;
    }

    static Raw open() throws Exception {
      System.setProperty("ai.djl.offline", "true");
      System.setProperty("ai.djl.onnx.disable_alternative", "true");
      System.setProperty("ai.djl.default_engine", "OnnxRuntime");
      Path dir = Files.createTempDirectory("worker-bench");
      Path onnx = dir.resolve("model.onnx");
      Path tokenizerFile = dir.resolve("tokenizer.json");
      Files.copy(Path.of(env("BENCH_MODEL", "all-minilm-l6-v2.onnx")), onnx);
      Files.copy(Path.of(env("BENCH_TOKENIZER", "all-minilm-l6-v2-tokenizer.json")), tokenizerFile);
      Encoding e;
      try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerFile)) {
        e = tokenizer.encode(SENTENCE);
      }
      int intraOp = Integer.parseInt(env("BENCH_INTRA_OP_THREADS", "-1"));
      // As CpuInferenceDevice makes them.
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (intraOp > 0) {
        options.setIntraOpNumThreads(intraOp);
      }
      Model model = Model.newInstance("raw-minilm", "OnnxRuntime");
      model.load(onnx, null, Map.of("sessionOptions", options));
      return new Raw(model, options, e.getIds(), e.getAttentionMask(), e.getTypeIds(), intraOp);
    }

    /** One run of a batch: inputs made, the model run, the hidden states read, as the worker needs them. */
    void run(int batch) throws Exception {
      long[] i = new long[batch * tokens];
      long[] m = new long[batch * tokens];
      long[] t = new long[batch * tokens];
      for (int r = 0; r < batch; r++) {
        System.arraycopy(ids, 0, i, r * tokens, tokens);
        System.arraycopy(mask, 0, m, r * tokens, tokens);
        System.arraycopy(types, 0, t, r * tokens, tokens);
      }
      Shape shape = new Shape(batch, tokens);
      try (NDManager manager = model.getNDManager().newSubManager()) {
        NDList in = new NDList(named(manager.create(i, shape), "input_ids"),
            named(manager.create(m, shape), "attention_mask"), named(manager.create(t, shape), "token_type_ids"));
        NDList out = predictor.predict(in);
        out.get(0).toFloatArray();
      }
    }

    /** Batch 1 latency for the measured time, then each batch size's throughput for a third of it. */
    Map<String, Double> measure() throws Exception {
      Map<String, Double> r = new HashMap<>();
      long warmEnd = System.nanoTime() + (long) (WARMUP_S * 1e9);
      while (System.nanoTime() < warmEnd) {
        run(1);
      }
      List<Long> lat = new ArrayList<>();
      long end = System.nanoTime() + (long) (DURATION_S * 1e9 / 2);
      while (System.nanoTime() < end) {
        long t0 = System.nanoTime();
        run(1);
        lat.add(System.nanoTime() - t0);
      }
      double p50 = quantile(lat, 0.50);
      r.put("raw.1.p50", p50);
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  raw ONNX Runtime: batch 1 p50 %.2f ms"
          + " p99 %.2f ms; sentences/s by batch:", p50, quantile(lat, 0.99)));
      for (int b : RAW_BATCHES) {
        run(b);
        int n = 0;
        long t0 = System.nanoTime();
        long stop = t0 + (long) (DURATION_S * 1e9 / 3);
        while (System.nanoTime() < stop) {
          run(b);
          n++;
        }
        double rate = (double) n * b / ((System.nanoTime() - t0) / 1e9);
        r.put("raw." + b + ".rate", rate);
        line.append(String.format(Locale.ROOT, " %d: %.0f", b, rate));
      }
      System.out.println(line);
      return r;
    }

    @Override
    public void close() {
      predictor.close();
      model.close();
      options.close();
    }

    private static NDArray named(NDArray a, String name) {
      a.setName(name);
      return a;
    }
  }

  // ------------------------------------------------------------------------------------------------- HTTP load

  /** One tenant's calls in a phase. */
  private record Stats(double rate, double p50, double p99, long calls, long errors) {
  }

  /** What a phase measured: each tenant's latencies and errors, and the workers' CPU meanwhile. */
  private static final class Phase {
    final Map<String, List<Long>> latencies = new HashMap<>();
    final Map<String, Long> errors = new HashMap<>();
    final Map<String, Long> cpuTicks = new LinkedHashMap<>();
    /** Rows and batches the worker ran meanwhile (its Prometheus counters), for the average batch size. */
    double rows;
    double batches;
    String firstError;
    double seconds;

    Stats stats(String tenant) {
      List<Long> l = latencies.getOrDefault(tenant, List.of());
      return new Stats(l.size() / seconds, quantile(l, 0.50), quantile(l, 0.99), l.size(),
          errors.getOrDefault(tenant, 0L));
    }

    String cpuNote() {
      long calls = latencies.values().stream().mapToLong(List::size).sum();
      StringBuilder b = new StringBuilder();
      if (batches > 0) {
        b.append(String.format(Locale.ROOT, "  batch %.1f", rows / batches));
      }
      cpuTicks.forEach((name, ticks) -> b.append(String.format(Locale.ROOT, "  %s CPU %.2f ms/call", name,
          calls == 0 ? 0 : ticks * 1000.0 / CLK_TCK / calls)));
      if (firstError != null) {
        b.append("  first error: ").append(firstError);
      }
      return b.toString();
    }
  }

  /** Closed-loop clients on Vert.x's HTTP client (one event loop, a keep-alive connection per client). */
  private static final class Load implements AutoCloseable {
    // One event loop: every callback runs on it, so the phase's lists need no locking.
    final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    final io.vertx.core.http.HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
        .setTcpNoDelay(true).setPipelining(false), new PoolOptions().setHttp1MaxSize(256));
    final ServiceToken token = new ServiceToken();

    /**
     * Each tenant's clients send one call after another for the warm-up and the measured time.
     *
     * @param url the worker
     * @param clients clients per tenant
     * @return what the measured time saw
     */
    Phase closedLoop(String url, Map<String, Integer> clients) throws Exception {
      return closedLoop(url, clients, WARMUP_S, DURATION_S);
    }

    Phase closedLoop(String url, Map<String, Integer> clients, double warmupS, double durationS) throws Exception {
      URI u = URI.create(url);
      String bearer = "Bearer " + token.get();
      Phase phase = new Phase();
      long start = System.nanoTime();
      long measureFrom = start + (long) (warmupS * 1e9);
      long end = measureFrom + (long) (durationS * 1e9);
      int total = clients.values().stream().mapToInt(Integer::intValue).sum();
      CountDownLatch done = new CountDownLatch(total);
      Map<String, Long> cpuBefore = new HashMap<>();
      boolean[] cpuTaken = {false};
      double[] counters = counters(url);
      clients.forEach((tenant, n) -> {
        phase.latencies.put(tenant, new ArrayList<>());
        for (int i = 0; i < n; i++) {
          String subject = "bench-" + tenant.substring(tenant.length() - 2) + "-" + i;
          vertx.runOnContext(v -> next(u, bearer, tenant, subject, phase, measureFrom, end, done, cpuBefore,
              cpuTaken));
        }
      });
      if (!done.await((long) (warmupS + durationS + 60), TimeUnit.SECONDS)) {
        throw new IllegalStateException("calls did not finish within a minute of the phase's end");
      }
      phase.seconds = durationS;
      double[] after = counters(url);
      phase.rows = after[0] - counters[0];
      phase.batches = after[1] - counters[1];
      PIDS.forEach((name, pid) -> phase.cpuTicks.put(name, cpuTicks(pid) - cpuBefore.getOrDefault(name, 0L)));
      return phase;
    }

    private void next(URI u, String bearer, String tenant, String subject, Phase phase, long measureFrom, long end,
        CountDownLatch done, Map<String, Long> cpuBefore, boolean[] cpuTaken) {
      long t0 = System.nanoTime();
      if (t0 >= end) {
        done.countDown();
        return;
      }
      if (t0 >= measureFrom && !cpuTaken[0]) {
        // On the event loop: the first call of the measured time takes the CPU baseline.
        cpuTaken[0] = true;
        PIDS.forEach((name, pid) -> cpuBefore.put(name, cpuTicks(pid)));
      }
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(u.getHost())
          .setPort(u.getPort()).setURI("/v1/embeddings")
          .putHeader("Content-Type", "application/json")
          .putHeader("Authorization", bearer)
          .putHeader("X-Infermint-Caller-Kind", "API_KEY")
          .putHeader("X-Infermint-Tenant-Id", tenant)
          .putHeader("X-Infermint-Subject", subject)
          .putHeader("X-Infermint-Roles", "inference")
          .putHeader("X-Infermint-Request-Id", UUID.randomUUID().toString())
          .putHeader("X-Infermint-Deadline", Long.toString(System.currentTimeMillis() + 30_000));
      client.request(options)
          .compose(req -> req.send(Buffer.buffer(EMBED_BODY)))
          .compose(resp -> resp.body().map(body -> {
            if (resp.statusCode() != 200) {
              throw new IllegalStateException(resp.statusCode() + " " + body.toString().substring(0,
                  Math.min(200, body.length())));
            }
            return body;
          }))
          .onComplete(ar -> {
            long t1 = System.nanoTime();
            if (t0 >= measureFrom && t1 <= end) {
              if (ar.succeeded()) {
                phase.latencies.get(tenant).add(t1 - t0);
              } else {
                phase.errors.merge(tenant, 1L, Long::sum);
                if (phase.firstError == null) {
                  phase.firstError = String.valueOf(ar.cause().getMessage());
                }
              }
            }
            next(u, bearer, tenant, subject, phase, measureFrom, end, done, cpuBefore, cpuTaken);
          });
    }

    @Override
    public void close() throws Exception {
      client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** The worker's rows and batches executed so far (every model), from {@code /q/metrics}; zeros when unreadable. */
  private static double[] counters(String url) {
    double[] c = new double[2];
    try {
      HttpResponse<java.util.stream.Stream<String>> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(url + "/q/metrics")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofLines());
      r.body().forEach(line -> {
        int i = line.startsWith("infermint_inference_count_total{") ? 0
            : line.startsWith("infermint_inference_exec_count_total{") ? 1 : -1;
        if (i >= 0) {
          c[i] += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      });
    } catch (IOException | RuntimeException e) {
      return new double[2];
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return c;
  }

  /** The gateway's kind of service token (client credentials of infermint-services), taken again after a minute. */
  private static final class ServiceToken {
    private String token;
    private long taken;

    String get() throws Exception {
      if (token == null || System.nanoTime() - taken > 60_000_000_000L) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(SECRETS)) {
          p.load(in);
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(KEYCLOAK
                + "/realms/infermint/protocol/openid-connect/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=infermint-services"
                + "&client_secret=" + URLEncoder.encode(p.getProperty("services-client-secret"),
                StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        int at = r.body().indexOf("\"access_token\":\"");
        if (r.statusCode() != 200 || at < 0) {
          throw new IllegalStateException("no service token from Keycloak: " + r.statusCode() + " " + r.body());
        }
        int from = at + "\"access_token\":\"".length();
        token = r.body().substring(from, r.body().indexOf('"', from));
        taken = System.nanoTime();
      }
      return token;
    }
  }

  // ----------------------------------------------------------------------------------------------------- JFR

  private static void jfr(Path file, int top) throws IOException {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    Map<String, Map<String, Integer>> inclusive = new HashMap<>();
    int samples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
        continue;
      }
      samples++;
      String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
      thread = thread == null ? "?" : thread.replaceAll("[0-9]+", "N");
      threads.merge(thread, 1, Integer::sum);
      List<RecordedFrame> frames = e.getStackTrace().getFrames();
      if (!frames.isEmpty()) {
        self.merge(frame(frames.get(0)), 1, Integer::sum);
      }
      // Library and worker frames (not the JDK's) anywhere on the stack, once per sample, per thread group.
      java.util.Set<String> seen = new java.util.HashSet<>();
      Map<String, Integer> mine = inclusive.computeIfAbsent(thread, t -> new HashMap<>());
      for (RecordedFrame f : frames) {
        String name = frame(f);
        if (!name.startsWith("java.") && !name.startsWith("jdk.") && !name.startsWith("sun.")
            && !name.contains("$$Lambda") && seen.add(name)) {
          mine.merge(name, 1, Integer::sum);
        }
      }
    }
    System.out.printf("%d execution samples%n", samples);
    print("threads", threads, samples, top);
    print("top frames by self samples", self, samples, top);
    int all = samples;
    threads.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
        .limit(3).forEach(t -> print("on " + t.getKey() + ": frames anywhere on the stack (% of all samples)",
            inclusive.get(t.getKey()), all, top));
  }

  private static void print(String title, Map<String, Integer> counts, int samples, int top) {
    System.out.printf("%n%s%n", title);
    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
        .limit(top).forEach(en -> System.out.printf("  %5.1f%%  %s%n", 100.0 * en.getValue() / samples,
            en.getKey()));
  }

  private static String frame(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  // --------------------------------------------------------------------------------------------------- helpers

  private static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException e) {
      return 0;
    }
  }

  private static void jcmd(long pid, String... command) throws Exception {
    List<String> args = new ArrayList<>(List.of("jcmd", Long.toString(pid)));
    args.addAll(List.of(command));
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", args) + " failed: " + out);
    }
  }

  /** CPU ticks of each thread of a process, summed by thread name with digits folded. */
  private static Map<String, Long> threadTicks(long pid) {
    Map<String, Long> m = new HashMap<>();
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "N");
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          m.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
        } catch (IOException gone) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return m;
    }
    return m;
  }

  private static Map<String, Long> pids(String spec) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (String pair : spec.split(",")) {
      if (pair.contains("=") && !pair.endsWith("=")) {
        m.put(pair.substring(0, pair.indexOf('=')), Long.parseLong(pair.substring(pair.indexOf('=') + 1)));
      }
    }
    return m;
  }

  private static double quantile(List<Long> nanos, double q) {
    if (nanos.isEmpty()) {
      return Double.NaN;
    }
    long[] a = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    return a[Math.min(a.length - 1, (int) Math.ceil(q * a.length) - 1)] / 1e6;
  }

  private static double median(List<Double> values) {
    if (values == null || values.isEmpty()) {
      return Double.NaN;
    }
    double[] a = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
