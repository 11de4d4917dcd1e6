package dev.infermint.gateway.client;

import java.util.concurrent.TimeoutException;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Keeps a request's continuations on the request's own event loop, and bounds how long the gateway waits for a
 * store. Redis and cache callbacks complete on whichever context owns the connection or thread; the rest of the
 * request must not run there (it would race the request's own handlers and skew the event loops' load).
 */
public final class Continuations {

  private Continuations() {
  }

  /**
   * @param future a future that may complete on another thread
   * @param <T> its value
   * @return the same outcome, delivered on the caller's context (at once when already there)
   */
  public static <T> Future<T> onCaller(Future<T> future) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return future;
    }
    Promise<T> promise = Promise.promise();
    future.onComplete(ar -> {
      if (Vertx.currentContext() == caller) {
        promise.handle(ar);
      } else {
        caller.runOnContext(v -> promise.handle(ar));
      }
    });
    return promise.future();
  }

  /**
   * @param vertx the Vert.x instance (its timers)
   * @param future what to wait for
   * @param millis how long at most
   * @param what named in the timeout's message
   * @param <T> its value
   * @return the outcome, or a failure with {@link TimeoutException} once {@code millis} passed; on the caller's
   *     context
   */
  public static <T> Future<T> within(Vertx vertx, Future<T> future, long millis, String what) {
    Context caller = Vertx.currentContext();
    Promise<T> promise = Promise.promise();
    long timer = vertx.setTimer(millis, id -> promise.tryFail(new TimeoutException(what + " did not answer within "
        + millis + " ms")));
    future.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (caller == null || Vertx.currentContext() == caller) {
        settle(promise, ar);
      } else {
        caller.runOnContext(v -> settle(promise, ar));
      }
    });
    return promise.future();
  }

  private static <T> void settle(Promise<T> promise, io.vertx.core.AsyncResult<T> ar) {
    if (ar.succeeded()) {
      promise.tryComplete(ar.result());
    } else {
      promise.tryFail(ar.cause());
    }
  }
}
