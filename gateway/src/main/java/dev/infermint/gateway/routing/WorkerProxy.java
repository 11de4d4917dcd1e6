package dev.infermint.gateway.routing;

import java.net.ConnectException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;

import io.netty.channel.ConnectTimeoutException;

import dev.infermint.auth.InternalHeaders;
import dev.infermint.gateway.client.Continuations;
import dev.infermint.gateway.client.InternalHttp;
import dev.infermint.gateway.config.GatewayConfig;
import dev.infermint.problem.ProblemException;
import dev.infermint.problem.Problems;
import dev.infermint.problem.RequestIds;

/**
 * Streams one inference call to a worker replica and its answer back, without buffering either body.
 * <ul>
 *   <li>Replica: {@link WorkerPool} (least outstanding, circuit breaker per replica), among the workers the model is
 *       placed and ready on when there are any ({@link ModelPlacements}). A connection that cannot be
 *       opened is retried on another replica; nothing of the body has been read from the client by then, so the
 *       retry is safe. Once any byte went to a worker the call is never retried.</li>
 *   <li>Deadline: now + {@code inference-timeout}, sent as {@code X-Infermint-Deadline} (epoch ms) so the worker
 *       drops a call that can no longer be answered in time; no response headers by then → 504
 *       {@code upstream_timeout} and the upstream request is reset.</li>
 *   <li>Body limit: {@code max-inference-body-bytes} holds for chunked bodies too, counted as they stream: past it
 *       the upstream request is reset and the client gets 413 (its connection is then closed).</li>
 *   <li>{@link Outcome}: called exactly once per call, with the status the client gets, as soon as it is known;
 *       the last chunk of the answer is held back until the future it returns completes (metering's durability
 *       point), so no client has a whole answer whose usage event is not yet on the stream.</li>
 * </ul>
 */
@Singleton
public class WorkerProxy {

  /** Header carrying the call's deadline to the worker, epoch milliseconds. */
  public static final String DEADLINE = "X-Infermint-Deadline";

  private static final Set<String> HOP_BY_HOP = caseInsensitive("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "authorization",
      "x-request-id", "content-length");

  /** Sees a call's outcome once, before its response completes. */
  @FunctionalInterface
  public interface Outcome {

    /**
     * @param status the status the client gets
     * @param upstream the worker's response headers, or null when no worker answered
     * @return completes when the response may complete
     */
    Future<Void> completed(int status, MultiMap upstream);
  }

  @Inject
  InternalHttp http;
  @Inject
  WorkerPool pool;
  @Inject
  GatewayConfig config;
  @Inject
  Vertx vertx;
  @Inject
  ProblemWriter problems;

  /**
   * Forwards the call; answers the client in every case.
   *
   * @param ctx the routing context, request paused
   * @param path the canonical path to call on the worker
   * @param asserted the caller's identity headers
   * @param outcome sees the outcome before the response completes, or null when nothing waits for it
   * @param preferred the workers the called model version is ready on ({@link ModelPlacements}), empty for any
   */
  public void forward(RoutingContext ctx, String path, MultiMap asserted, Outcome outcome, List<URI> preferred) {
    new Call(ctx, path, asserted, outcome, preferred).start();
  }

  /** One call's state; all of it runs on the request's event loop. */
  private final class Call {
    private final RoutingContext ctx;
    private final HttpServerRequest req;
    private final String uri;
    private final MultiMap asserted;
    private final Outcome outcome;
    private final List<URI> preferred;
    private final List<WorkerPool.Replica> tried = new ArrayList<>(2);
    private final Promise<HttpClientResponse> answered = Promise.promise();
    private final long deadline;
    private WorkerPool.Replica replica;
    private HttpClientRequest upstream;
    private boolean bodyStarted;
    private boolean outcomeSeen;
    private long received;
    private long timer = -1;

    Call(RoutingContext ctx, String path, MultiMap asserted, Outcome outcome, List<URI> preferred) {
      this.preferred = preferred;
      this.ctx = ctx;
      this.req = ctx.request();
      String query = req.query();
      this.uri = query == null ? path : path + '?' + query;
      this.asserted = asserted;
      this.outcome = outcome;
      this.deadline = System.currentTimeMillis() + config.inferenceTimeout().toMillis();
    }

    void start() {
      timer = vertx.setTimer(config.inferenceTimeout().toMillis(), id -> {
        timer = -1;
        if (answered.tryFail(Problems.upstreamTimeout("The inference worker did not answer within "
            + config.inferenceTimeout().toMillis() + " ms")) && upstream != null) {
          upstream.reset();
        }
      });
      answered.future().onComplete(ar -> {
        if (timer >= 0) {
          vertx.cancelTimer(timer);
        }
        if (ar.succeeded()) {
          respond(ar.result());
        } else {
          fail(ar.cause());
        }
      });
      Continuations.onCaller(http.authorization()).onSuccess(this::attempt).onFailure(answered::tryFail);
    }

    private void attempt(String authorization) {
      if (answered.future().isComplete()) {
        return;
      }
      replica = pool.acquire(tried, preferred);
      if (replica == null) {
        answered.tryFail(Problems.unavailable("No inference worker is available; try again shortly"));
        return;
      }
      WorkerPool.Replica chosen = replica;
      tried.add(chosen);
      RequestOptions opts = options(authorization);
      Future<HttpClientResponse> attempt = replica.breaker().execute(p -> http.client().request(opts)
          .onFailure(p::fail)
          .onSuccess(creq -> send(creq, p)));
      Continuations.onCaller(attempt).onComplete(ar -> {
        if (ar.succeeded()) {
          if (!answered.tryComplete(ar.result())) {
            // The deadline passed meanwhile; the answer is not wanted.
            ar.result().request().reset();
          }
          return;
        }
        boolean nothingSent = !bodyStarted && (ar.cause() instanceof ConnectException
            || ar.cause() instanceof ConnectTimeoutException || ar.cause() instanceof OpenCircuitException);
        if (replica == chosen) {
          chosen.release();
          replica = null;
        }
        if (nothingSent && !answered.future().isComplete() && tried.size() < pool.replicas().size() + preferred.size()) {
          attempt(authorization);
        } else {
          answered.tryFail(ar.cause());
        }
      });
    }

    private RequestOptions options(String authorization) {
      RequestOptions opts = http.options(req.method(), replica.url(), uri);
      req.headers().forEach((name, value) -> {
        if (!HOP_BY_HOP.contains(name)) {
          opts.addHeader(name, value);
        }
      });
      asserted.forEach(opts::putHeader);
      opts.putHeader(HttpHeaders.AUTHORIZATION, authorization);
      opts.putHeader(RequestIds.HEADER, (String) ctx.get(GatewayRoutes.REQUEST_ID));
      opts.putHeader(DEADLINE, Long.toString(deadline));
      if (req.remoteAddress() != null) {
        opts.putHeader("X-Forwarded-For", req.remoteAddress().hostAddress());
      }
      return opts;
    }

    private void send(HttpClientRequest creq, Promise<HttpClientResponse> attempt) {
      upstream = creq;
      bodyStarted = true;
      // Paused at once: the body must wait for the pipe to the client, a few hops later.
      creq.response().map(resp -> {
        resp.pause();
        return resp;
      }).onComplete(attempt);
      String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
      boolean chunked = req.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
      if (length == null && !chunked) {
        req.resume();
        creq.end();
        return;
      }
      if (length != null) {
        creq.putHeader(HttpHeaders.CONTENT_LENGTH, length);
      } else {
        creq.setChunked(true);
      }
      long max = config.maxInferenceBodyBytes();
      req.handler(buf -> {
        received += buf.length();
        if (received > max) {
          req.handler(null);
          creq.reset();
          answered.tryFail(Problems.tooLarge("The request body is larger than the limit of " + max + " bytes"));
          return;
        }
        creq.write(buf);
        if (creq.writeQueueFull()) {
          req.pause();
          creq.drainHandler(v -> req.resume());
        }
      });
      req.endHandler(v -> {
        if (received <= max) {
          creq.end();
        }
      });
      req.exceptionHandler(e -> creq.reset());
      req.resume();
    }

    private void respond(HttpClientResponse up) {
      HttpServerResponse resp = ctx.response();
      resp.setStatusCode(up.statusCode());
      up.headers().forEach((name, value) -> {
        if (!HOP_BY_HOP.contains(name) && !name.regionMatches(true, 0, InternalHeaders.PREFIX, 0,
            InternalHeaders.PREFIX.length())) {
          resp.headers().add(name, value);
        }
      });
      String length = up.getHeader(HttpHeaders.CONTENT_LENGTH);
      if (length != null) {
        resp.putHeader(HttpHeaders.CONTENT_LENGTH, length);
      } else {
        resp.setChunked(true);
      }
      Future<Void> recorded = see(up.statusCode(), up.headers());
      // Every chunk goes on as it comes except the last, which is held until the usage event is durable: with a
      // Content-Length the client holds the whole answer once the last byte arrives, whatever end() does later.
      Buffer[] held = new Buffer[1];
      up.handler(chunk -> {
        if (held[0] != null) {
          resp.write(held[0]);
          if (resp.writeQueueFull()) {
            up.pause();
            resp.drainHandler(v -> up.resume());
          }
        }
        held[0] = chunk;
      });
      up.exceptionHandler(e -> {
        release();
        if (!resp.closed()) {
          resp.reset();
        }
      });
      up.endHandler(v -> recorded.onComplete(ar -> {
        release();
        if (held[0] != null) {
          resp.end(held[0]);
        } else {
          resp.end();
        }
      }));
      up.resume();
    }

    private void fail(Throwable cause) {
      release();
      ProblemException problem = cause instanceof ProblemException p ? p
          : cause instanceof ConnectException || cause instanceof ConnectTimeoutException
              || cause instanceof OpenCircuitException
              ? Problems.unavailable("No inference worker can be reached; try again shortly")
              : Problems.upstream("The inference worker closed the connection before answering");
      if (problem.status() == 413) {
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
      }
      see(problem.status(), null).onComplete(v -> problems.write(ctx, problem));
    }

    private Future<Void> see(int status, MultiMap upstreamHeaders) {
      if (outcome == null || outcomeSeen) {
        return Future.succeededFuture();
      }
      outcomeSeen = true;
      return outcome.completed(status, upstreamHeaders);
    }

    private void release() {
      if (replica != null) {
        replica.release();
        replica = null;
      }
    }
  }

  private static Set<String> caseInsensitive(String... names) {
    Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    set.addAll(List.of(names));
    return set;
  }
}
