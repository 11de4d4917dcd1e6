package dev.infermint.worker.service;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * A bounded, least-recently-used set of native resources (ONNX Runtime sessions, tokenizers) keyed by digest.
 *
 * <p>Lifecycle: {@link #acquire} loads a missing resource once, however many threads ask for it at the same time, and
 * hands out a {@link Lease}. A caller waiting for another's load gives up when its {@link Deadline} passes (the load
 * goes on for the others); the caller that loads always finishes. A resource evicted to make room is closed only
 * when its last lease is closed, so that a native session is never freed while a request still runs on it.
 *
 * @param <T> the resource type
 */
public final class ResourcePool<T extends AutoCloseable> {

  private static final Logger LOG = Logger.getLogger(ResourcePool.class);

  private final String kind;
  private final Cache<String, Entry<T>> cache;
  private final ConcurrentMap<String, CompletableFuture<Entry<T>>> loading = new ConcurrentHashMap<>();

  /**
   * @param kind what the resources are, for logs
   * @param maxSize how many to keep
   */
  public ResourcePool(String kind, int maxSize) {
    this.kind = kind;
    this.cache = Caffeine.newBuilder()
        .maximumSize(Math.max(1, maxSize))
        .executor(Runnable::run)
        .<String, Entry<T>>removalListener((key, entry, cause) -> {
          if (entry != null) {
            LOG.infof("Unloading %s %s (%s)", kind, key, cause);
            entry.retire();
          }
        })
        .build();
  }

  /** A resource in use; closing it lets the pool free the resource once it was evicted. */
  public interface Lease<T> extends AutoCloseable {
    /** @return the resource */
    T get();

    @Override
    void close();
  }

  /**
   * Gets a resource, loading it on the calling thread if nobody holds or loads it.
   *
   * @param key the resource's key (a digest)
   * @param loader loads it; its exceptions reach every caller waiting for this key
   * @return a lease to close when done
   */
  public Lease<T> acquire(String key, Supplier<T> loader) {
    return acquire(key, loader, Deadline.NONE);
  }

  /**
   * Gets a resource as {@link #acquire(String, Supplier)} does, waiting for another caller's load only until the
   * deadline.
   *
   * @param key the resource's key (a digest)
   * @param loader loads it; its exceptions reach every caller waiting for this key
   * @param deadline when to stop waiting for another caller's load
   * @return a lease to close when done
   * @throws dev.infermint.problem.ProblemException 504 when the deadline passes while another caller loads it
   */
  public Lease<T> acquire(String key, Supplier<T> loader, Deadline deadline) {
    while (true) {
      Entry<T> cached = cache.getIfPresent(key);
      Entry<T> entry = cached != null ? cached : load(key, loader, deadline);
      if (entry.tryAcquire()) {
        return new Lease<>() {
          private boolean closed;

          @Override
          public T get() {
            return entry.value;
          }

          @Override
          public synchronized void close() {
            if (!closed) {
              closed = true;
              entry.release();
            }
          }
        };
      }
      // Evicted between lookup and lease: load it again.
    }
  }

  private Entry<T> load(String key, Supplier<T> loader, Deadline deadline) {
    CompletableFuture<Entry<T>> mine = new CompletableFuture<>();
    CompletableFuture<Entry<T>> running = loading.putIfAbsent(key, mine);
    if (running != null) {
      return deadline.unbounded() ? join(running) : await(running, deadline);
    }
    try {
      // Another thread may have finished loading it between our cache miss and our claim.
      Entry<T> entry = cache.getIfPresent(key);
      if (entry == null) {
        entry = new Entry<>(loader.get());
        cache.put(key, entry);
      }
      mine.complete(entry);
      return entry;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      loading.remove(key, mine);
    }
  }

  /** @return how many resources are loaded */
  public long size() {
    return cache.estimatedSize();
  }

  /** Evicts everything; resources in use are closed when their last lease closes. */
  public void clear() {
    cache.invalidateAll();
  }

  @Override
  public String toString() {
    return "ResourcePool[" + kind + ", " + size() + "]";
  }

  private <E> E await(CompletableFuture<E> future, Deadline deadline) {
    try {
      while (true) {
        try {
          return future.get(deadline.remainingMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          deadline.check("while waiting for the " + kind + " to load");
        }
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new CompletionException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(e);
    }
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /** A resource with its count of leases. */
  private static final class Entry<T extends AutoCloseable> {
    private final T value;
    private int users;
    private boolean retired;
    private boolean closed;

    Entry(T value) {
      this.value = value;
    }

    synchronized boolean tryAcquire() {
      if (retired) {
        return false;
      }
      users++;
      return true;
    }

    synchronized void release() {
      users--;
      closeIfUnused();
    }

    synchronized void retire() {
      retired = true;
      closeIfUnused();
    }

    private void closeIfUnused() {
      if (retired && users == 0 && !closed) {
        closed = true;
        try {
          value.close();
        } catch (Exception e) {
          LOG.warnf(e, "Closing %s failed", value);
        }
      }
    }
  }
}
