import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.UUID;

/**
 * What the gateway adds to an inference call: the same requests sent straight to the worker (with the identity the
 * gateway would assert) and through the gateway (API key, quota, metering), interleaved in one run so that the
 * machine's noise hits both alike. Reports medians and p95 and their ratio.
 *
 * <p>Needs a running stack ({@code ./infermint up}); run with {@code bench/run.sh}.
 */
public final class GatewayOverhead {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 0 ? args[0] : ".");
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    Properties secrets = new Properties();
    try (InputStream in = Files.newInputStream(root.resolve(".infermint/secrets.properties"))) {
      secrets.load(in);
    }
    String gateway = "http://localhost:8080";
    String worker = "http://localhost:8084";
    String token = json(post("http://localhost:8180/realms/infermint/protocol/openid-connect/token",
        "grant_type=password&client_id=infermint-cli&username=admin&password=admin", null,
        "application/x-www-form-urlencoded"), "access_token");
    String slug = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    String tenant = json(post(gateway + "/api/v1/tenants", "{\"name\":\"Bench\",\"slug\":\"" + slug
        + "\",\"plan\":\"enterprise\"}", "Bearer " + token, "application/json"), "id");
    String key = json(post(gateway + "/api/v1/tenants/" + tenant + "/api-keys",
        "{\"name\":\"bench\",\"scopes\":[\"inference\"]}", "Bearer " + token, "application/json"), "key");
    String servicesSecret = secrets.getProperty("services-client-secret");

    String embed = "{\"model\":\"all-minilm-l6-v2\",\"input\":\"a cat sits on the mat\"}";
    String infer = "{\"inputs\":[{\"name\":\"input_ids\",\"shape\":[1,4],\"datatype\":\"INT64\",\"data\":[101,1037,"
        + "4937,102]},{\"name\":\"attention_mask\",\"shape\":[1,4],\"datatype\":\"INT64\",\"data\":[1,1,1,1]},"
        + "{\"name\":\"token_type_ids\",\"shape\":[1,4],\"datatype\":\"INT64\",\"data\":[0,0,0,0]}]}";
    System.out.printf("Gateway overhead, %d interleaved calls per path (enterprise plan, no 429s)%n%n", n);
    System.out.printf("%-26s %12s %12s %12s %12s %8s%n", "call", "direct p50", "gateway p50", "direct p95",
        "gateway p95", "p50 ratio");
    run("POST /v1/embeddings", worker + "/v1/embeddings", gateway + "/v1/embeddings", embed, key, servicesSecret,
        tenant, n);
    run("POST /v2/.../infer", worker + "/v2/models/all-minilm-l6-v2/infer",
        gateway + "/v2/models/all-minilm-l6-v2/infer", infer, key, servicesSecret, tenant, n);
    run("GET /v2/models/{m}", worker + "/v2/models/all-minilm-l6-v2", gateway + "/v2/models/all-minilm-l6-v2", null,
        key, servicesSecret, tenant, n);
  }

  /** A service token (client credentials of infermint-services), as the gateway sends the worker. */
  private static String serviceToken(String secret) throws Exception {
    return json(post("http://localhost:8180/realms/infermint/protocol/openid-connect/token",
        "grant_type=client_credentials&client_id=infermint-services&client_secret=" + secret, null,
        "application/x-www-form-urlencoded"), "access_token");
  }

  private static void run(String label, String direct, String viaGateway, String body, String key,
      String servicesSecret, String tenant, int n) throws Exception {
    // The direct calls carry what the gateway adds: its service token (taken per run: tokens live 5 minutes) and
    // the asserted API key.
    String internal = "Bearer " + serviceToken(servicesSecret);
    for (int i = 0; i < 30; i++) { // warm-up: JIT, model load, caches
      call(direct, body, null, internal, tenant);
      call(viaGateway, body, key, null, null);
    }
    long[] d = new long[n];
    long[] g = new long[n];
    for (int i = 0; i < n; i++) {
      d[i] = call(direct, body, null, internal, tenant);
      g[i] = call(viaGateway, body, key, null, null);
    }
    Arrays.sort(d);
    Arrays.sort(g);
    System.out.printf("%-26s %10.2fms %10.2fms %10.2fms %10.2fms %8.2f%n", label, ms(d[n / 2]), ms(g[n / 2]),
        ms(d[n * 95 / 100]), ms(g[n * 95 / 100]), (double) g[n / 2] / d[n / 2]);
  }

  private static long call(String url, String body, String key, String internal, String tenant) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json");
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    } else {
      b.header("Authorization", internal).header("X-Infermint-Caller-Kind", "API_KEY")
          .header("X-Infermint-Tenant-Id", tenant).header("X-Infermint-Roles", "inference");
    }
    b = body == null ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString(body));
    long t0 = System.nanoTime();
    HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    long t = System.nanoTime() - t0;
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + new String(r.body()));
    }
    return t;
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

  /** Reads a top-level string member; enough for the few answers read here. */
  private static String json(String body, String member) {
    String needle = "\"" + member + "\":\"";
    int i = body.indexOf(needle);
    if (i < 0) {
      throw new IllegalStateException("no " + member + " in " + body);
    }
    int start = i + needle.length();
    return body.substring(start, body.indexOf('"', start));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
