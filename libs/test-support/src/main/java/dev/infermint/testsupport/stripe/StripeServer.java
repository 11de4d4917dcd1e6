package dev.infermint.testsupport.stripe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.stripe.Stripe;
import com.stripe.StripeClient;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A Stripe-shaped HTTP server on 127.0.0.1 for tests: point the real stripe-java client at {@link #baseUrl()} and it
 * answers the calls billing makes (customers, products, prices, billing meters and meter events, meter event
 * summaries, Checkout and Customer Portal sessions, subscriptions, invoices and the upcoming-invoice preview, events)
 * with the JSON shapes of Stripe's API reference, so stripe-java deserializes them into {@code com.stripe.model.*}.
 * State is in memory and thread-safe; every call runs while holding one lock.
 *
 * <p>Lifecycle: construct, {@link #start()}, use, {@link #close()} (or try-with-resources). {@link #reset()} empties
 * it between tests without a new port.
 *
 * <pre>{@code
 * try (StripeServer stripe = new StripeServer().start()) {
 *   StripeClient client = StripeClient.builder().setApiKey(stripe.apiKey()).setApiBase(stripe.baseUrl())
 *       .setMaxNetworkRetries(0).build();           // or stripe.client()
 *   Customer c = client.v1().customers().create(CustomerCreateParams.builder().setEmail("a@b.c").build());
 * }
 * }</pre>
 *
 * <p>Besides the API it offers what a test needs around it:
 * <ul>
 *   <li>Faults: {@link #failAll}, {@link #failPath}, {@link #failNext} make calls answer a {@link StripeFault}
 *       (a 500, 429, 503, a dropped connection) until {@link #clearFaults()} or for the next N calls.</li>
 *   <li>Recording: {@link #callCount(String, String)} per method and route template, {@link #requests()} (the last
 *       {@link #setRecordingLimit(int) N} calls with parameters and headers), {@link #lastStripeVersion()}.</li>
 *   <li>The customer's side: {@link #completeCheckout(String)}, {@link #setSubscriptionStatus(String, String)},
 *       {@link #invoicePaymentFailed(String)}, each returning the events Stripe would send, as JSON.</li>
 *   <li>Meters: {@link #meterTotals(String, String)} reads what is held; {@link #addMeterUsage} injects drift.</li>
 *   <li>Events: {@link #event(String, String, String)} builds one for any stored object and api_version; sign and
 *       post it with {@link StripeWebhookSigner}.</li>
 * </ul>
 *
 * <p>Where the stand-in is stricter or simpler than Stripe: meter events are validated synchronously (Stripe
 * reports some problems, such as an unknown customer, asynchronously as meter error reports) and their totals are
 * visible at once (Stripe aggregates asynchronously); meter event identifiers are remembered for the server's
 * lifetime (Stripe: at least 24 hours); customer search is immediate (Stripe's index lags up to a minute) and
 * understands {@code field:'value'} and {@code metadata['key']:'value'} clauses joined by AND or OR.
 */
public final class StripeServer implements AutoCloseable {

  /** The API key a server accepts unless constructed with another. */
  public static final String DEFAULT_API_KEY = "sk_test_infermint_stand_in";

  private final String apiKey;
  private final Router router = new Router();
  private final Faults faults = new Faults();
  private final Idempotency idempotency = new Idempotency();
  private final Map<String, AtomicInteger> callCounts = new ConcurrentHashMap<>();
  private final Deque<RecordedRequest> recorded = new ArrayDeque<>();
  private int recordingLimit = 200;
  private volatile String lastStripeVersion;
  private HttpServer http;
  private ExecutorService executor;
  private Store store;
  private MeterHandler meters;
  private EventFactory events;
  private SubscriptionLifecycle lifecycle;

  /** A server accepting {@link #DEFAULT_API_KEY}. */
  public StripeServer() {
    this(DEFAULT_API_KEY);
  }

  /**
   * @param apiKey the only key accepted as {@code Authorization: Bearer <key>}; must start with {@code sk_}
   */
  public StripeServer(String apiKey) {
    if (apiKey == null || !apiKey.startsWith("sk_")) {
      throw new IllegalArgumentException("A Stripe secret key starts with sk_");
    }
    this.apiKey = apiKey;
  }

  /**
   * Binds 127.0.0.1 on an ephemeral port and starts answering.
   *
   * @return this server
   * @throws UncheckedIOException when the port cannot be bound
   */
  public synchronized StripeServer start() {
    if (http != null) {
      throw new IllegalStateException("Already started");
    }
    try {
      http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("Stripe stand-in could not bind 127.0.0.1", e);
    }
    store = new Store("http://127.0.0.1:" + http.getAddress().getPort());
    meters = new MeterHandler(store);
    events = new EventFactory(store);
    lifecycle = new SubscriptionLifecycle(store, meters, events);
    new CustomerHandler(store).routes(router);
    new CatalogHandler(store).routes(router);
    meters.routes(router);
    new CheckoutHandler(store).routes(router);
    new SubscriptionHandler(store, lifecycle).routes(router);
    AtomicInteger threads = new AtomicInteger();
    executor = Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r, "stripe-stand-in-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(executor);
    http.createContext("/", this::handle);
    http.start();
    return this;
  }

  /** Stops answering and frees the port. */
  @Override
  public synchronized void close() {
    if (http != null) {
      http.stop(0);
      executor.shutdownNow();
      http = null;
    }
  }

  /** @return {@code http://127.0.0.1:<port>}, for {@code StripeClient.builder().setApiBase(...)} */
  public String baseUrl() {
    return started().baseUrl();
  }

  /** @return the port the server listens on */
  public int port() {
    started();
    return http.getAddress().getPort();
  }

  /** @return the API key the server accepts */
  public String apiKey() {
    return apiKey;
  }

  /**
   * @return a stripe-java client for this server with network retries off, so each call is exactly one request
   */
  public StripeClient client() {
    return StripeClient.builder().setApiKey(apiKey).setApiBase(baseUrl()).setMaxNetworkRetries(0).build();
  }

  /**
   * Forgets every object, meter event, idempotency key, fault and recorded call, and stamps events with
   * {@link Stripe#API_VERSION} again; keeps the port and the clock.
   */
  public void reset() {
    synchronized (started()) {
      store.clear();
      events.apiVersion(Stripe.API_VERSION);
    }
    idempotency.clear();
    clearFaults();
    clearRecording();
  }

  /**
   * @param clock the time the server treats as now (object {@code created}, meter event windows, periods); default
   *     the system clock
   */
  public void setClock(Clock clock) {
    synchronized (started()) {
      store.clock(clock);
    }
  }

  // ---- faults ----

  /**
   * Makes every call fail with {@code fault} until {@link #clearFaults()}.
   *
   * @param fault what to answer
   */
  public void failAll(StripeFault fault) {
    faults.add(null, "", fault, Faults.UNTIL_CLEARED);
  }

  /**
   * Makes calls whose path starts with {@code pathPrefix} fail until {@link #clearFaults()}.
   *
   * @param pathPrefix e.g. {@code /v1/billing/meter_events}
   * @param fault what to answer
   */
  public void failPath(String pathPrefix, StripeFault fault) {
    faults.add(null, pathPrefix, fault, Faults.UNTIL_CLEARED);
  }

  /**
   * Makes calls with this method and path prefix fail until {@link #clearFaults()}.
   *
   * @param method e.g. {@code POST}
   * @param pathPrefix e.g. {@code /v1/customers}
   * @param fault what to answer
   */
  public void failPath(String method, String pathPrefix, StripeFault fault) {
    faults.add(method, pathPrefix, fault, Faults.UNTIL_CLEARED);
  }

  /**
   * Makes the next {@code count} calls fail, then answers normally again.
   *
   * @param count how many calls
   * @param fault what to answer
   */
  public void failNext(int count, StripeFault fault) {
    failNext(count, "", fault);
  }

  /**
   * Makes the next {@code count} calls whose path starts with {@code pathPrefix} fail.
   *
   * @param count how many calls
   * @param pathPrefix e.g. {@code /v1/invoices}
   * @param fault what to answer
   */
  public void failNext(int count, String pathPrefix, StripeFault fault) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1");
    }
    faults.add(null, pathPrefix, fault, count);
  }

  /** Removes every injected fault. */
  public void clearFaults() {
    faults.clear();
  }

  // ---- recording ----

  /**
   * @param method HTTP method
   * @param pathTemplate the route, e.g. {@code /v1/customers/{id}} or {@code /v1/billing/meter_events}
   * @return how many calls arrived for it (faulted and rejected ones included)
   */
  public int callCount(String method, String pathTemplate) {
    AtomicInteger n = callCounts.get(method.toUpperCase(Locale.ROOT) + " " + pathTemplate);
    return n == null ? 0 : n.get();
  }

  /** @return every {@code "METHOD /template"} seen so far with its count */
  public Map<String, Integer> callCounts() {
    Map<String, Integer> out = new TreeMap<>();
    callCounts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** @return the most recent calls, oldest first (at most {@link #setRecordingLimit(int)} of them) */
  public synchronized List<RecordedRequest> requests() {
    return List.copyOf(recorded);
  }

  /**
   * @param method HTTP method
   * @param pathTemplate the route template
   * @return the recorded calls for that route, oldest first
   */
  public synchronized List<RecordedRequest> requests(String method, String pathTemplate) {
    return recorded.stream().filter(r -> r.method().equalsIgnoreCase(method)
        && r.pathTemplate().equals(pathTemplate)).toList();
  }

  /** @return the latest call, or null when none arrived */
  public synchronized RecordedRequest lastRequest() {
    return recorded.peekLast();
  }

  /** @param limit how many calls {@link #requests()} keeps (default 200) */
  public synchronized void setRecordingLimit(int limit) {
    recordingLimit = limit;
    while (recorded.size() > limit) {
      recorded.removeFirst();
    }
  }

  /** @return the {@code Stripe-Version} header of the latest call that sent one (stripe-java always does) */
  public String lastStripeVersion() {
    return lastStripeVersion;
  }

  /** Forgets recorded calls and call counts. */
  public synchronized void clearRecording() {
    recorded.clear();
    callCounts.clear();
  }

  // ---- the customer's side ----

  /**
   * The customer pays on the Checkout page. For a {@code subscription} session: creates the customer if the session
   * had none, an {@code active} subscription whose items are the session's line items (period: the current UTC
   * month, on each item) and whose metadata is {@code subscription_data[metadata]}, and a paid first invoice for the
   * licensed items; marks the session {@code complete} with {@code subscription} set.
   *
   * @param sessionId an {@code open} checkout session
   * @return the events Stripe sends, as webhook JSON: {@code checkout.session.completed},
   *     {@code customer.subscription.created}, {@code invoice.paid} (only the first for {@code payment} mode)
   * @throws IllegalStateException when the session is not open
   */
  public List<String> completeCheckout(String sessionId) {
    synchronized (started()) {
      return EventFactory.json(lifecycle.completeCheckout(sessionId));
    }
  }

  /**
   * Changes a subscription's status as Stripe would (dunning, the customer cancelling in the portal, a trial).
   *
   * @param subscriptionId the subscription
   * @param status {@code active}, {@code past_due}, {@code canceled}, {@code trialing}, {@code unpaid}, ...
   * @return the event JSON: {@code customer.subscription.deleted} for {@code canceled}, else
   *     {@code customer.subscription.updated} with {@code previous_attributes.status}
   */
  public String setSubscriptionStatus(String subscriptionId, String status) {
    synchronized (started()) {
      return Json.write(lifecycle.setStatus(subscriptionId, status));
    }
  }

  /**
   * A renewal charge fails: adds an {@code open} invoice ({@code billing_reason=subscription_cycle}) as the
   * subscription's {@code latest_invoice} and sets the subscription {@code past_due}.
   *
   * @param subscriptionId the subscription
   * @return {@code invoice.payment_failed} then {@code customer.subscription.updated}, as event JSON
   */
  public List<String> invoicePaymentFailed(String subscriptionId) {
    synchronized (started()) {
      return EventFactory.json(lifecycle.paymentFailed(subscriptionId));
    }
  }

  // ---- meters ----

  /**
   * Adds to what a meter holds for a customer, now, without a meter event (to make Stripe's totals drift from
   * billing's own, for a reconciliation test). Counts in summaries and the upcoming invoice, not as an identifier.
   *
   * @param meterId the meter
   * @param customerId the customer
   * @param value added to the sum (may be negative)
   */
  public void addMeterUsage(String meterId, String customerId, BigDecimal value) {
    synchronized (started()) {
      addMeterUsage(meterId, customerId, value, store.now());
    }
  }

  /**
   * As {@link #addMeterUsage(String, String, BigDecimal)}, at a given time.
   *
   * @param meterId the meter
   * @param customerId the customer
   * @param value added to the sum
   * @param timestamp unix seconds the usage is dated at
   */
  public void addMeterUsage(String meterId, String customerId, BigDecimal value, long timestamp) {
    synchronized (started()) {
      meters.requireMeter(meterId);
      store.adjust(meterId, new Store.Usage(null, customerId, timestamp, value));
    }
  }

  /**
   * @param meterId the meter
   * @param customerId the customer
   * @return the sum of values and the number of distinct meter events held, over all time
   */
  public MeterTotals meterTotals(String meterId, String customerId) {
    return meterTotals(meterId, customerId, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /**
   * @param meterId the meter
   * @param customerId the customer
   * @param fromInclusive unix seconds
   * @param toExclusive unix seconds
   * @return the sum of values and the number of distinct meter events dated in the range
   */
  public MeterTotals meterTotals(String meterId, String customerId, long fromInclusive, long toExclusive) {
    synchronized (started()) {
      meters.requireMeter(meterId);
      List<Store.Usage> usage = store.usage(meterId).stream().filter(u -> u.customer().equals(customerId)
          && u.timestamp() >= fromInclusive && u.timestamp() < toExclusive).toList();
      BigDecimal sum = usage.stream().map(Store.Usage::value).reduce(BigDecimal.ZERO, BigDecimal::add);
      int identifiers = (int) usage.stream().filter(u -> u.identifier() != null).count();
      return new MeterTotals(sum, identifiers);
    }
  }

  // ---- events and objects ----

  /** @param apiVersion the {@code api_version} stamped on events from now on (default {@link Stripe#API_VERSION}) */
  public void setEventApiVersion(String apiVersion) {
    synchronized (started()) {
      events.apiVersion(apiVersion);
    }
  }

  /** @return the {@code api_version} stamped on events */
  public String eventApiVersion() {
    synchronized (started()) {
      return events.apiVersion();
    }
  }

  /**
   * Builds (and keeps, for {@code GET /v1/events/{id}}) an event about a stored object as it is now.
   *
   * @param type e.g. {@code customer.subscription.updated}
   * @param objectId any stored object: {@code sub_...}, {@code in_...}, {@code cs_test_...}, {@code cus_...}
   * @param apiVersion the event's {@code api_version}, or null for {@link #eventApiVersion()}; an old version lets a
   *     test check that billing re-reads the object instead of trusting the payload
   * @return the event JSON
   * @throws IllegalArgumentException when no such object is stored
   */
  public String event(String type, String objectId, String apiVersion) {
    synchronized (started()) {
      Map<String, Object> object = store.get(objectId);
      if (object == null) {
        throw new IllegalArgumentException("No stored object " + objectId);
      }
      return Json.write(events.create(type, object, null, apiVersion));
    }
  }

  /**
   * @param objectId any stored object's id
   * @return its JSON as the API would answer it, or null when not stored
   */
  public String objectJson(String objectId) {
    synchronized (started()) {
      Map<String, Object> object = store.get(objectId);
      return object == null ? null : Json.write(object);
    }
  }

  // ---- HTTP ----

  private Store started() {
    Store s = store;
    if (s == null) {
      throw new IllegalStateException("StripeServer not started");
    }
    return s;
  }

  /** What a call answers, before it is sent (or, for a fault that runs first, dropped). */
  private record Answer(int status, String body, String idempotencyKey, boolean replayed, Boolean shouldRetry) {
  }

  /** Thrown out of the exchange, unclosed, so the JDK server closes the connection mid-answer. */
  private static final class DroppedConnection extends IOException {
    private static final long serialVersionUID = 1L;

    DroppedConnection() {
      super("connection dropped by an injected fault");
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    boolean dropped = false;
    try {
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      String path = exchange.getRequestURI().getPath();
      Map<String, Object> params = FormParams.parse(exchange.getRequestURI().getRawQuery());
      params.putAll(FormParams.parse(readBody(exchange.getRequestBody())));
      Map<String, List<String>> headers = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
      record(new RecordedRequest(method, path, router.templateOf(method, path), params, headers, Instant.now()));
      if (!path.startsWith("/v1/")) {
        page(exchange, method, path);
        return;
      }
      StripeFault fault = faults.next(method, path);
      if (fault != null && !fault.runFirst()) {
        pause(fault);
        if (fault.drop()) {
          drop(exchange);
        } else {
          send(exchange, new Answer(fault.status(), Json.write(StripeError.injected(fault).body()), null, false,
              null), null);
        }
        return;
      }
      Answer answer = answer(method, path, params, exchange.getRequestHeaders());
      if (fault != null) {
        pause(fault);
        drop(exchange);
        return;
      }
      send(exchange, answer, exchange.getRequestHeaders().getFirst("Stripe-Version"));
    } catch (DroppedConnection e) {
      dropped = true;
      throw e;
    } finally {
      if (!dropped) {
        exchange.close();
      }
    }
  }

  /** Authenticates, routes and runs the call, replaying or storing it under its {@code Idempotency-Key}. */
  private Answer answer(String method, String path, Map<String, Object> params, Headers headers) {
    try {
      authenticate(headers.getFirst("Authorization"));
      Router.Match match = router.match(method, path);
      if (match == null) {
        throw StripeError.invalid("Unrecognized request URL (" + method + ": " + path + ").", null);
      }
      String key = method.equals("POST") ? headers.getFirst("Idempotency-Key") : null;
      if (key == null) {
        Idempotency.Stored result = run(match, method, path, params);
        return new Answer(result.status(), result.body(), null, false, null);
      }
      Idempotency.Stored replay = idempotency.begin(key, method, path, params);
      if (replay != null) {
        return new Answer(replay.status(), replay.body(), key, true, null);
      }
      Idempotency.Stored result;
      try {
        result = run(match, method, path, params);
      } catch (RuntimeException e) {
        idempotency.abandon(key);
        throw e;
      }
      idempotency.complete(key, result);
      return new Answer(result.status(), result.body(), key, false, null);
    } catch (StripeError e) {
      return new Answer(e.status(), Json.write(e.body()), null, false, e.shouldRetry());
    }
  }

  /** Runs the route under the store's lock; a {@link StripeError} from the handler becomes the stored answer. */
  private Idempotency.Stored run(Router.Match match, String method, String path, Map<String, Object> params) {
    ApiRequest request = new ApiRequest(method, path, match.pathParams(), params);
    try {
      Map<String, Object> result;
      synchronized (store) {
        result = match.handler().handle(request);
      }
      return new Idempotency.Stored(method, path, params, 200, Json.write(result));
    } catch (StripeError e) {
      if (e.shouldRetry() != null) {
        throw e;
      }
      return new Idempotency.Stored(method, path, params, e.status(), Json.write(e.body()));
    } catch (RuntimeException e) {
      // A bug in the stand-in: answer 500 with the cause, so the failing test shows it.
      StripeError error = StripeError.internal("[stripe stand-in] " + e);
      return new Idempotency.Stored(method, path, params, 500, Json.write(error.body()));
    }
  }

  private void authenticate(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      throw StripeError.unauthorized("You did not provide an API key. You need to provide your API key in the"
          + " Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
    }
    String given = authorization.startsWith("Bearer ") ? authorization.substring("Bearer ".length()).trim() : "";
    if (!given.equals(apiKey)) {
      String tail = given.length() > 4 ? given.substring(given.length() - 4) : given;
      throw StripeError.unauthorized("Invalid API Key provided: " + (given.startsWith("sk_") ? "sk_****" : "****")
          + tail);
    }
  }

  private static void pause(StripeFault fault) {
    if (!fault.delay().isZero()) {
      try {
        Thread.sleep(fault.delay().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Starts a chunked answer and breaks it off: the client has seen a status line, so it cannot silently resend the
   * request (the JDK's HttpURLConnection, stripe-java's default, resends one whose connection closed before any
   * answer), and reading the body fails with "Premature EOF", which stripe-java raises as
   * {@code ApiConnectionException}.
   */
  private static void drop(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, 0);
    exchange.getResponseBody().write('{');
    exchange.getResponseBody().flush();
    throw new DroppedConnection();
  }

  /** The pages behind Checkout, portal and invoice URLs: a placeholder, so following a URL does not fail. */
  private void page(HttpExchange exchange, String method, String path) throws IOException {
    boolean known = method.equals("GET") && (path.startsWith("/checkout/") || path.startsWith("/portal/")
        || path.startsWith("/invoice/"));
    byte[] bytes = (known ? "<html><body>Stripe stand-in page " + path + "</body></html>" : "Not found")
        .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    exchange.sendResponseHeaders(known ? 200 : 404, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private void send(HttpExchange exchange, Answer answer, String stripeVersion) throws IOException {
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    Headers h = exchange.getResponseHeaders();
    h.set("Content-Type", "application/json");
    h.set("Request-Id", store.newId("req_"));
    h.set("Stripe-Version", stripeVersion == null ? Stripe.API_VERSION : stripeVersion);
    if (answer.idempotencyKey() != null) {
      h.set("Idempotency-Key", answer.idempotencyKey());
    }
    if (answer.replayed()) {
      h.set("Idempotent-Replayed", "true");
    }
    if (answer.shouldRetry() != null) {
      h.set("Stripe-Should-Retry", answer.shouldRetry().toString());
    }
    exchange.sendResponseHeaders(answer.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private synchronized void record(RecordedRequest request) {
    callCounts.computeIfAbsent(request.method() + " " + request.pathTemplate(), k -> new AtomicInteger())
        .incrementAndGet();
    String version = request.header("Stripe-Version");
    if (version != null) {
      lastStripeVersion = version;
    }
    recorded.addLast(request);
    while (recorded.size() > recordingLimit) {
      recorded.removeFirst();
    }
  }

  private static String readBody(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  /** @return the address and the recorded calls, for a failing test's message */
  @Override
  public synchronized String toString() {
    List<String> lines = new ArrayList<>();
    recorded.forEach(r -> lines.add(r.method() + " " + r.path()));
    return "StripeServer" + (store == null ? "(not started)" : "(" + store.baseUrl() + ")") + lines;
  }
}
