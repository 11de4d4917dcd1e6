package dev.infermint.gateway.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * One instance of a client per event loop thread, made on first use there, and one shared instance for callers off
 * the event loops: {@link InternalHttp} and {@link EventLoopRedis} keep their connection pools this way so that a
 * call never borrows a connection that belongs to another loop.
 *
 * @param <T> the client type
 */
final class PerEventLoop<T> {

  private final Supplier<T> factory;
  private final T shared;
  private final Map<Thread, T> perLoop = new ConcurrentHashMap<>();

  PerEventLoop(Supplier<T> factory) {
    this.factory = factory;
    this.shared = factory.get();
  }

  /** @return the calling event loop's instance, or the shared one off the event loops */
  T get() {
    Context context = Vertx.currentContext();
    if (context == null || !context.isEventLoopContext()) {
      return shared;
    }
    T own = perLoop.get(Thread.currentThread());
    return own != null ? own : perLoop.computeIfAbsent(Thread.currentThread(), t -> factory.get());
  }

  /** @param close applied to every instance made, the shared one included */
  void closeAll(Consumer<T> close) {
    close.accept(shared);
    perLoop.values().forEach(close);
  }
}
