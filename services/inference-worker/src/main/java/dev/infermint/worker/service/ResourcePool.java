package dev.infermint.worker.service;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import dev.infermint.worker.InferenceProblems;

/**
 * A least-recently-used set of native resources (ONNX Runtime sessions, tokenizers) keyed by digest, under a budget
 * of weights: bytes for models, one per tokenizer.
 *
 * <p>Lifecycle: {@link #acquire} loads a missing resource once, however many threads ask for it at the same time, and
 * hands out a {@link Lease}. Before a load, room is made for its weight by evicting the least recently used resources
 * that no lease holds (a model with a batch in flight is never evicted); when that is not enough the load is refused
 * with {@link NoRoomException} and nothing is evicted. A caller waiting for another's load gives up when its
 * {@link Deadline} passes (the load goes on for the others); the caller that loads always finishes. A resource
 * {@linkplain #unload unloaded} or cleared while in use is closed when its last lease is closed, and its weight
 * counts against the budget until then, so a native session is never freed while a request still runs on it.
 *
 * @param <T> the resource type
 */
public final class ResourcePool<T extends AutoCloseable> {

  private static final Logger LOG = Logger.getLogger(ResourcePool.class);

  /** Why a resource left the pool. */
  public enum Removal {
    /** Evicted, least recently used, to make room for another. */
    EVICTED,
    /** Unloaded on request ({@link #unload}, {@link #clear}). */
    UNLOADED
  }

  /** Told when resources come and go; called outside the pool's lock. */
  public interface Listener<T> {
    /** A resource was loaded and joined the pool. */
    default void loaded(String key, T value) {
    }

    /** A resource left the pool (it is closed when its last lease closes). */
    default void removed(String key, T value, Removal why) {
    }
  }

  /** A load was refused: it weighs more than the budget, or more than what evicting idle resources frees. */
  public static final class NoRoomException extends RuntimeException {
    private final long weight;
    private final long budget;
    private final long held;

    NoRoomException(String kind, String key, long weight, long budget, long held) {
      super(kind + " " + key + " needs " + weight + " of a budget of " + budget + (weight > budget ? ""
          : ", and " + held + " of it is held by " + kind + "s in use"));
      this.weight = weight;
      this.budget = budget;
      this.held = held;
    }

    /** @return what the refused resource weighs */
    public long weight() {
      return weight;
    }

    /** @return the pool's whole budget */
    public long budget() {
      return budget;
    }

    /** @return the weight held by resources in use, which cannot be evicted now */
    public long held() {
      return held;
    }

    /** @return whether it can never fit, even in an empty pool */
    public boolean tooLarge() {
      return weight > budget;
    }
  }

  private final String kind;
  private final long budget;
  private final Listener<T> listener;
  /** Resident resources in access order, least recently used first. Guarded by {@code this}. */
  private final LinkedHashMap<String, Entry<T>> resident = new LinkedHashMap<>(16, 0.75f, true);
  private final ConcurrentMap<String, CompletableFuture<Entry<T>>> loading = new ConcurrentHashMap<>();
  /** Weight of every resource not yet closed (resident, retired but leased) and of loads in progress. */
  private long used;

  /**
   * A pool of resources that weigh one each.
   *
   * @param kind what the resources are, for logs
   * @param maxSize how many to keep
   */
  public ResourcePool(String kind, int maxSize) {
    this(kind, Math.max(1, maxSize), new Listener<>() { });
  }

  /**
   * @param kind what the resources are, for logs and messages
   * @param budget the most weight loaded at once
   * @param listener told of loads and removals
   */
  public ResourcePool(String kind, long budget, Listener<T> listener) {
    this.kind = kind;
    this.budget = Math.max(1, budget);
    this.listener = listener;
  }

  /** A resource in use; closing it lets the pool free the resource once it was evicted. */
  public interface Lease<T> extends AutoCloseable {
    /** @return the resource */
    T get();

    @Override
    void close();
  }

  /**
   * Gets a resource of weight one, loading it on the calling thread if nobody holds or loads it.
   *
   * @param key the resource's key (a digest)
   * @param loader loads it; its exceptions reach every caller waiting for this key
   * @return a lease to close when done
   */
  public Lease<T> acquire(String key, Supplier<T> loader) {
    return acquire(key, loader, Deadline.NONE);
  }

  /**
   * Gets a resource of weight one as {@link #acquire(String, long, Supplier, Deadline)} does.
   *
   * @param key the resource's key (a digest)
   * @param loader loads it; its exceptions reach every caller waiting for this key
   * @param deadline when to stop waiting for another caller's load
   * @return a lease to close when done
   */
  public Lease<T> acquire(String key, Supplier<T> loader, Deadline deadline) {
    try {
      return acquire(key, 1, loader, deadline);
    } catch (NoRoomException e) {
      throw InferenceProblems.overloaded("all " + budget + " " + kind + "s the worker keeps are in use");
    }
  }

  /**
   * Gets a resource, loading it on the calling thread if nobody holds or loads it, after making room for its weight.
   * Using a resident resource makes it the most recently used.
   *
   * @param key the resource's key (a digest)
   * @param weight what it weighs against the budget (used only when it is loaded)
   * @param loader loads it; its exceptions reach every caller waiting for this key
   * @param deadline when to stop waiting for another caller's load
   * @return a lease to close when done
   * @throws NoRoomException when it cannot fit: larger than the budget, or the rest is held by resources in use
   * @throws dev.infermint.problem.ProblemException 504 when the deadline passes while another caller loads it
   */
  public Lease<T> acquire(String key, long weight, Supplier<T> loader, Deadline deadline) {
    while (true) {
      Entry<T> entry;
      synchronized (this) {
        entry = resident.get(key);
        if (entry != null) {
          entry.users++;
          return lease(entry);
        }
      }
      entry = load(key, weight, loader, deadline);
      synchronized (this) {
        if (!entry.retired) {
          entry.users++;
          return lease(entry);
        }
      }
      // Evicted between its load and our lease: load it again.
    }
  }

  /**
   * Leases a resident resource, making it the most recently used; loads nothing.
   *
   * @param key the resource's key
   * @return the lease, or empty when it is not resident
   */
  public Optional<Lease<T>> acquireIfPresent(String key) {
    synchronized (this) {
      Entry<T> entry = resident.get(key);
      if (entry == null) {
        return Optional.empty();
      }
      entry.users++;
      return Optional.of(lease(entry));
    }
  }

  /** @return whether the resource is resident now (without touching its recency) */
  public synchronized boolean contains(String key) {
    return resident.containsKey(key);
  }

  /** @return whether the resource is being loaded now */
  public boolean loading(String key) {
    return loading.containsKey(key);
  }

  /**
   * Removes a resource; it is closed at once when unused, else when its last lease closes.
   *
   * @param key the resource's key
   * @return whether it was resident
   */
  public boolean unload(String key) {
    Entry<T> entry;
    T toClose;
    synchronized (this) {
      entry = resident.remove(key);
      if (entry == null) {
        return false;
      }
      toClose = retire(entry);
    }
    finish(key, entry, toClose, Removal.UNLOADED);
    return true;
  }

  /** @return how many resources are resident */
  public synchronized long size() {
    return resident.size();
  }

  /** @return the weight of every resource not yet closed, and of loads in progress */
  public synchronized long used() {
    return used;
  }

  /** @return the budget */
  public long budget() {
    return budget;
  }

  /** @return the resident keys, least recently used first */
  public synchronized List<String> keys() {
    return List.copyOf(resident.keySet());
  }

  /** Unloads everything; resources in use are closed when their last lease closes. */
  public void clear() {
    for (String key : keys()) {
      unload(key);
    }
  }

  @Override
  public String toString() {
    return "ResourcePool[" + kind + ", " + size() + ", " + used() + "/" + budget + "]";
  }

  private Lease<T> lease(Entry<T> entry) {
    return new Lease<>() {
      private boolean closed;

      @Override
      public T get() {
        return entry.value;
      }

      @Override
      public void close() {
        T toClose;
        synchronized (ResourcePool.this) {
          if (closed) {
            return;
          }
          closed = true;
          entry.users--;
          toClose = entry.retired ? closeIfUnused(entry) : null;
        }
        closeQuietly(toClose);
      }
    };
  }

  private Entry<T> load(String key, long weight, Supplier<T> loader, Deadline deadline) {
    CompletableFuture<Entry<T>> mine = new CompletableFuture<>();
    CompletableFuture<Entry<T>> running = loading.putIfAbsent(key, mine);
    if (running != null) {
      return deadline.unbounded() ? join(running) : await(running, deadline);
    }
    try {
      Entry<T> entry;
      synchronized (this) {
        // Another thread may have finished loading it between our miss and our claim.
        entry = resident.get(key);
      }
      if (entry == null) {
        entry = loadNew(key, weight, loader);
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

  private Entry<T> loadNew(String key, long weight, Supplier<T> loader) {
    List<Map.Entry<String, Entry<T>>> evicted = reserve(key, weight);
    for (Map.Entry<String, Entry<T>> e : evicted) {
      LOG.infof("Evicting %s %s (least recently used, %d) to make room for %s (%d)", kind, e.getKey(),
          e.getValue().weight, key, weight);
      finish(e.getKey(), e.getValue(), e.getValue().value, Removal.EVICTED);
    }
    T value;
    try {
      value = loader.get();
    } catch (RuntimeException | Error e) {
      synchronized (this) {
        used -= weight;
      }
      throw e;
    }
    Entry<T> entry = new Entry<>(value, weight);
    synchronized (this) {
      resident.put(key, entry);
    }
    listener.loaded(key, value);
    return entry;
  }

  /**
   * Takes the weight from the budget, retiring idle resources, least recently used first, until it fits. Nothing is
   * evicted when even all idle ones would not free enough.
   *
   * @return the evicted entries, already closed as far as the pool is concerned (their values still to close)
   */
  private synchronized List<Map.Entry<String, Entry<T>>> reserve(String key, long weight) {
    long idle = 0;
    for (Entry<T> e : resident.values()) {
      if (e.users == 0) {
        idle += e.weight;
      }
    }
    if (weight > budget || used - idle + weight > budget) {
      throw new NoRoomException(kind, key, weight, budget, used - idle);
    }
    List<Map.Entry<String, Entry<T>>> evicted = new ArrayList<>();
    for (Iterator<Map.Entry<String, Entry<T>>> it = resident.entrySet().iterator();
        it.hasNext() && used + weight > budget; ) {
      Map.Entry<String, Entry<T>> e = it.next();
      if (e.getValue().users == 0) {
        it.remove();
        retire(e.getValue());
        evicted.add(Map.entry(e.getKey(), e.getValue()));
      }
    }
    used += weight;
    return evicted;
  }

  /** Marks an entry gone from the pool; returns its value when it is to be closed now. Holds the lock. */
  private T retire(Entry<T> entry) {
    entry.retired = true;
    return closeIfUnused(entry);
  }

  /** Holds the lock. */
  private T closeIfUnused(Entry<T> entry) {
    if (entry.users == 0 && !entry.closed) {
      entry.closed = true;
      used -= entry.weight;
      return entry.value;
    }
    return null;
  }

  private void finish(String key, Entry<T> entry, T toClose, Removal why) {
    LOG.infof("Unloading %s %s (%s)%s", kind, key, why, toClose == null ? ", once its requests finish" : "");
    closeQuietly(toClose);
    listener.removed(key, entry.value, why);
  }

  private void closeQuietly(T value) {
    if (value != null) {
      try {
        value.close();
      } catch (Exception e) {
        LOG.warnf(e, "Closing %s failed", value);
      }
    }
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

  /** A resource with its weight and count of leases; guarded by the pool. */
  private static final class Entry<T extends AutoCloseable> {
    private final T value;
    private final long weight;
    private int users;
    private boolean retired;
    private boolean closed;

    Entry(T value, long weight) {
      this.value = value;
      this.weight = weight;
    }
  }
}
