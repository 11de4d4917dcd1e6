package dev.infermint.worker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.infermint.problem.ProblemException;

/**
 * A native resource evicted from the pool is freed only once no request uses it any more; a caller waiting for
 * another's load stops at its deadline.
 */
class ResourcePoolTest {

  /** Stands in for a native session; records whether it was freed. */
  static final class Session implements AutoCloseable {
    boolean closed;

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void loadsOnceAndSharesTheResource() {
    ResourcePool<Session> pool = new ResourcePool<>("test", 2);
    AtomicInteger loads = new AtomicInteger();
    try (var first = pool.acquire("a", () -> {
      loads.incrementAndGet();
      return new Session();
    }); var second = pool.acquire("a", () -> {
      loads.incrementAndGet();
      return new Session();
    })) {
      assertSame(first.get(), second.get());
    }
    assertEquals(1, loads.get());
  }

  @Test
  void evictedResourceClosesWhenItsLastLeaseCloses() {
    ResourcePool<Session> pool = new ResourcePool<>("test", 1);
    var lease = pool.acquire("a", Session::new);
    Session a = lease.get();
    pool.acquire("b", Session::new).close();
    pool.clear();
    assertFalse(a.closed, "still in use by a request");
    lease.close();
    assertTrue(a.closed, "freed after the request ended");
    try (var again = pool.acquire("a", Session::new)) {
      assertNotSame(a, again.get(), "a retired resource is loaded again, never reused");
    }
  }

  @Test
  void failedLoadReachesTheCallerAndIsRetriedNextTime() {
    ResourcePool<Session> pool = new ResourcePool<>("test", 2);
    assertThrows(IllegalStateException.class, () -> pool.acquire("a", () -> {
      throw new IllegalStateException("corrupt");
    }));
    try (var lease = pool.acquire("a", Session::new)) {
      assertFalse(lease.get().closed);
    }
  }

  @Test
  void aWaiterGivesUpAtItsDeadlineWhileTheLoadGoesOn() throws Exception {
    ResourcePool<Session> pool = new ResourcePool<>("model", 2);
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Session> loader = CompletableFuture.supplyAsync(() -> {
      try (var lease = pool.acquire("a", () -> {
        loading.countDown();
        await(release);
        return new Session();
      })) {
        return lease.get();
      }
    });
    assertTrue(loading.await(5, TimeUnit.SECONDS));
    ProblemException e = assertThrows(ProblemException.class, () -> pool.acquire("a", Session::new,
        new Deadline(System.currentTimeMillis() + 100)));
    assertEquals(504, e.status());
    assertTrue(e.problem().detail().contains("while waiting for the model to load"), e.problem().detail());
    release.countDown();
    Session loaded = loader.get(5, TimeUnit.SECONDS);
    try (var lease = pool.acquire("a", Session::new, new Deadline(System.currentTimeMillis() + 100))) {
      assertSame(loaded, lease.get(), "the load went on and is shared");
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(5, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
