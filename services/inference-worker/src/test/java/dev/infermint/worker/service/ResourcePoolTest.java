package dev.infermint.worker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
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
  void unloadedResourceClosesWhenItsLastLeaseCloses() {
    ResourcePool<Session> pool = new ResourcePool<>("test", 1);
    var lease = pool.acquire("a", Session::new);
    Session a = lease.get();
    pool.clear();
    assertFalse(a.closed, "still in use by a request");
    assertEquals(1, pool.used(), "its weight counts until it is freed");
    lease.close();
    assertTrue(a.closed, "freed after the request ended");
    assertEquals(0, pool.used());
    try (var again = pool.acquire("a", Session::new)) {
      assertNotSame(a, again.get(), "a retired resource is loaded again, never reused");
    }
  }

  @Test
  void theLeastRecentlyUsedIdleResourceIsEvictedToMakeRoom() {
    List<String> evicted = new ArrayList<>();
    ResourcePool<Session> pool = new ResourcePool<>("model", 100, new ResourcePool.Listener<>() {
      @Override
      public void removed(String key, Session value, ResourcePool.Removal why) {
        evicted.add(key + ":" + why);
      }
    });
    Session a = take(pool, "a", 40);
    Session b = take(pool, "b", 40);
    take(pool, "a", 40);  // a is now more recently used than b
    Session c = take(pool, "c", 40);
    assertTrue(b.closed, "b, the least recently used, made room");
    assertFalse(a.closed);
    assertFalse(c.closed);
    assertEquals(List.of("b:EVICTED"), evicted);
    assertEquals(List.of("a", "c"), pool.keys());
    assertEquals(80, pool.used());
  }

  @Test
  void aResourceInUseIsNeverEvictedAndTheLoadIsRefusedInstead() {
    ResourcePool<Session> pool = new ResourcePool<>("model", 100, new ResourcePool.Listener<>() { });
    try (var busy = pool.acquire("a", 60, Session::new, Deadline.NONE)) {
      Session idle = take(pool, "b", 30);
      ResourcePool.NoRoomException e = assertThrows(ResourcePool.NoRoomException.class,
          () -> pool.acquire("c", 50, Session::new, Deadline.NONE));
      assertFalse(e.tooLarge());
      assertEquals(60, e.held(), "the weight of the busy one");
      assertFalse(busy.get().closed, "a batch in flight keeps its model");
      assertFalse(idle.closed, "nothing is evicted for a load that cannot fit anyway");
      assertEquals(90, pool.used(), "the refused load holds nothing");
      take(pool, "d", 40);
      assertTrue(idle.closed, "an idle one makes room when that is enough");
    }
  }

  @Test
  void aResourceLargerThanTheBudgetIsRefusedWithoutEvictingAnything() {
    ResourcePool<Session> pool = new ResourcePool<>("model", 100, new ResourcePool.Listener<>() { });
    Session a = take(pool, "a", 10);
    AtomicInteger loads = new AtomicInteger();
    ResourcePool.NoRoomException e = assertThrows(ResourcePool.NoRoomException.class,
        () -> pool.acquire("huge", 101, () -> {
          loads.incrementAndGet();
          return new Session();
        }, Deadline.NONE));
    assertTrue(e.tooLarge());
    assertEquals(101, e.weight());
    assertEquals(100, e.budget());
    assertEquals(0, loads.get(), "never loaded");
    assertFalse(a.closed);
  }

  private static Session take(ResourcePool<Session> pool, String key, long weight) {
    try (var lease = pool.acquire(key, weight, Session::new, Deadline.NONE)) {
      return lease.get();
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
