package dev.infermint.worker.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.infermint.problem.Problem;
import dev.infermint.problem.ProblemException;
import dev.infermint.worker.InferenceProblems;
import dev.infermint.worker.service.Deadline;

class BatchSchedulerTest {

  /** Records every batch it runs; the first batch waits for {@link #release} when {@link #hold} is set. */
  private static final class FakeRunner implements BatchRunner<String, String> {
    final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean hold;

    @Override
    public List<String> run(List<String> inputs) throws Exception {
      batches.add(List.copyOf(inputs));
      started.countDown();
      if (hold) {
        hold = false;
        release.await(30, TimeUnit.SECONDS);
      }
      if (inputs.contains("bad")) {
        throw new IllegalArgumentException("bad input");
      }
      return inputs.stream().map(s -> s + "!").toList();
    }
  }

  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final FakeRunner runner = new FakeRunner();

  @AfterEach
  void stop() {
    runner.release.countDown();
    executor.shutdownNow();
  }

  private BatchScheduler<String, String> scheduler(int maxBatch, Duration delay, int queued) {
    return new BatchScheduler<>("m", new BatchScheduler.Settings(maxBatch, delay, 1, queued), runner, executor,
        () -> () -> { });
  }

  /** Submits a request and holds its batch while the runner holds a first batch, so that everything after queues up. */
  private BatchScheduler<String, String> blocked(int maxBatch, Duration delay, int queued) throws Exception {
    BatchScheduler<String, String> s = scheduler(maxBatch, delay, queued);
    runner.hold = true;
    // A full batch, so that it starts at once whatever the delay.
    s.submit("first", "k", maxBatch, Deadline.NONE, "first");
    assertTrue(runner.started.await(30, TimeUnit.SECONDS));
    return s;
  }

  private static String join(Pending<String> p) {
    return p.await(Deadline.NONE, Duration.ofSeconds(30));
  }

  @Test
  void waitingRequestsAreMergedUpToTheMaxBatchSize() throws Exception {
    BatchScheduler<String, String> s = blocked(4, Duration.ofSeconds(10), 100);
    List<Pending<String>> pending = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      pending.add(s.submit("a", "k", 1, Deadline.NONE, "r" + i));
    }
    runner.release.countDown();
    for (int i = 0; i < 8; i++) {
      assertEquals("r" + i + "!", join(pending.get(i)));
    }
    assertEquals(3, runner.batches.size(), runner.batches::toString);
    assertEquals(List.of("r0", "r1", "r2", "r3"), runner.batches.get(1));
    assertEquals(List.of("r4", "r5", "r6", "r7"), runner.batches.get(2));
  }

  @Test
  void rowsCountTowardsTheBatchSizeAndOnlyEqualKeysMerge() throws Exception {
    BatchScheduler<String, String> s = blocked(4, Duration.ZERO, 100);
    Pending<String> three = s.submit("a", "k", 3, Deadline.NONE, "three");
    Pending<String> two = s.submit("a", "k", 2, Deadline.NONE, "two");
    Pending<String> other = s.submit("b", "other-shape", 1, Deadline.NONE, "other");
    Pending<String> one = s.submit("a", "k", 1, Deadline.NONE, "one");
    runner.release.countDown();
    assertEquals("three!", join(three));
    assertEquals("two!", join(two));
    assertEquals("other!", join(other));
    assertEquals("one!", join(one));
    // 3 + 2 rows exceed 4, so "two" waits for the next batch; "other" never merges with a "k" request.
    List<List<String>> after = runner.batches.subList(1, runner.batches.size());
    assertEquals(List.of(List.of("three"), List.of("other"), List.of("two", "one")), after);
  }

  @Test
  void aLoneRequestIsFlushedAfterTheQueueDelay() {
    BatchScheduler<String, String> s = scheduler(32, Duration.ofMillis(20), 100);
    assertEquals("alone!", join(s.submit("a", "k", 1, Deadline.NONE, "alone")));
    assertEquals(List.of(List.of("alone")), runner.batches);
  }

  @Test
  void aFloodFromOneTenantDoesNotDelayAnotherBeyondOneBatch() throws Exception {
    BatchScheduler<String, String> s = blocked(8, Duration.ZERO, 2000);
    List<Pending<String>> flood = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      flood.add(s.submit("tenant-a", "k", 1, Deadline.NONE, "a" + i));
    }
    Pending<String> b = s.submit("tenant-b", "k", 1, Deadline.NONE, "b");
    runner.release.countDown();
    assertEquals("b!", join(b));
    flood.forEach(BatchSchedulerTest::join);
    int batchOfB = -1;
    synchronized (runner.batches) {
      for (int i = 0; i < runner.batches.size(); i++) {
        if (runner.batches.get(i).contains("b")) {
          batchOfB = i;
        }
      }
    }
    // Batch 0 is the held one; B's request is in the next batch formed, beside A's.
    assertEquals(1, batchOfB, runner.batches.subList(0, 3)::toString);
    assertEquals(8, runner.batches.get(1).size());
    assertEquals(1002, runner.batches.stream().mapToInt(List::size).sum());
  }

  @Test
  void whileTwoTenantsCallBatchesHoldTheSharedSizeAndOneTenantAloneGetsTheFullSize() throws Exception {
    List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.Semaphore started = new java.util.concurrent.Semaphore(0);
    java.util.concurrent.atomic.AtomicReference<CountDownLatch> gate =
        new java.util.concurrent.atomic.AtomicReference<>(new CountDownLatch(1));
    BatchScheduler<String, String> s = new BatchScheduler<>("m",
        new BatchScheduler.Settings(16, Duration.ZERO, 1, 1000, 4, false), inputs -> {
          sizes.add(inputs.size());
          started.release();
          gate.get().await(30, TimeUnit.SECONDS);
          return inputs.stream().map(x -> x + "!").toList();
        }, executor, () -> () -> { });

    // Tenant A alone: behind the held batch, full batches of 16.
    List<Pending<String>> all = new ArrayList<>();
    all.add(s.submit("tenant-a", "k", 1, Deadline.NONE, "held"));
    assertTrue(started.tryAcquire(30, TimeUnit.SECONDS));
    for (int i = 0; i < 40; i++) {
      all.add(s.submit("tenant-a", "k", 1, Deadline.NONE, "a" + i));
    }
    gate.get().countDown();
    all.forEach(BatchSchedulerTest::join);
    assertEquals(List.of(1, 16, 16, 8), sizes);

    // B's one request is running (B has nothing waiting, as while its answer travels) when A floods: A's batches
    // hold 4 rows, so B's next request would wait behind 4 rows, not 16.
    sizes.clear();
    started.drainPermits();
    gate.set(new CountDownLatch(1));
    all.clear();
    all.add(s.submit("tenant-b", "k", 1, Deadline.NONE, "b"));
    assertTrue(started.tryAcquire(30, TimeUnit.SECONDS));
    for (int i = 0; i < 12; i++) {
      all.add(s.submit("tenant-a", "k", 1, Deadline.NONE, "a" + i));
    }
    gate.get().countDown();
    all.forEach(BatchSchedulerTest::join);
    assertEquals(List.of(1, 4, 4, 4), sizes);
  }

  @Test
  void anotherTenantsRequestRunsInTheFairLaneWhileAFloodsBatchRuns() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger mostAtOnce = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.Semaphore started = new java.util.concurrent.Semaphore(0);
    BatchScheduler<String, String> s = new BatchScheduler<>("m",
        new BatchScheduler.Settings(8, Duration.ZERO, 1, 1000, 8, true), inputs -> {
          mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
          started.release();
          try {
            if (inputs.stream().anyMatch(x -> x.startsWith("a"))) {
              release.await(30, TimeUnit.SECONDS);
            }
            return inputs.stream().map(x -> x + "!").toList();
          } finally {
            running.decrementAndGet();
          }
        }, executor, () -> () -> { });

    List<Pending<String>> flood = new ArrayList<>();
    flood.add(s.submit("tenant-a", "k", 1, Deadline.NONE, "a-held"));
    assertTrue(started.tryAcquire(30, TimeUnit.SECONDS));
    for (int i = 0; i < 20; i++) {
      flood.add(s.submit("tenant-a", "k", 1, Deadline.NONE, "a" + i));
    }
    assertEquals(1, mostAtOnce.get(), "one tenant alone runs one batch at a time (instances 1)");

    // A's batch is still held: B's requests do not wait for it, one after the other.
    for (int i = 0; i < 3; i++) {
      assertEquals("b" + i + "!", join(s.submit("tenant-b", "k", 1, Deadline.NONE, "b" + i)));
    }
    assertEquals(2, mostAtOnce.get());
    assertEquals(20, s.queued(), "A's flood still waits for its own batches");

    release.countDown();
    flood.forEach(BatchSchedulerTest::join);
  }

  @Test
  void twoFloodingTenantsShareEachBatch() throws Exception {
    BatchScheduler<String, String> s = blocked(8, Duration.ZERO, 2000);
    List<Pending<String>> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      all.add(s.submit("tenant-a", "k", 1, Deadline.NONE, "a" + i));
    }
    for (int i = 0; i < 40; i++) {
      all.add(s.submit("tenant-b", "k", 1, Deadline.NONE, "b" + i));
    }
    runner.release.countDown();
    all.forEach(BatchSchedulerTest::join);
    for (List<String> batch : runner.batches.subList(1, 11)) {
      assertEquals(4, batch.stream().filter(x -> x.startsWith("a")).count(), batch::toString);
      assertEquals(4, batch.stream().filter(x -> x.startsWith("b")).count(), batch::toString);
    }
  }

  @Test
  void aRequestWhoseDeadlinePassesInTheQueueIsA504AndNeverRuns() throws Exception {
    BatchScheduler<String, String> s = blocked(8, Duration.ZERO, 100);
    Deadline soon = new Deadline(System.currentTimeMillis() + 100);
    Pending<String> late = s.submit("a", "k", 1, soon, "late");
    Pending<String> fine = s.submit("a", "k", 1, Deadline.NONE, "fine");
    await().atMost(Duration.ofSeconds(10)).until(soon::passed);
    runner.release.countDown();
    ProblemException e = assertThrows(ProblemException.class, () -> join(late));
    assertEquals("deadline_exceeded", e.problem().code());
    assertEquals("fine!", join(fine));
    assertTrue(runner.batches.stream().noneMatch(b -> b.contains("late")));
  }

  @Test
  void aCallerThatStopsWaitingWithdrawsItsRequest() throws Exception {
    BatchScheduler<String, String> s = blocked(8, Duration.ZERO, 100);
    Pending<String> impatient = s.submit("a", "k", 1, Deadline.NONE, "impatient");
    ProblemException e = assertThrows(ProblemException.class,
        () -> impatient.await(Deadline.NONE, Duration.ofMillis(1)));
    assertEquals("overloaded", e.problem().code());
    Pending<String> next = s.submit("a", "k", 1, Deadline.NONE, "next");
    runner.release.countDown();
    assertEquals("next!", join(next));
    assertTrue(runner.batches.stream().noneMatch(b -> b.contains("impatient")));
  }

  @Test
  void aFullQueueIsOverloadedAtOnce() throws Exception {
    BatchScheduler<String, String> s = blocked(8, Duration.ZERO, 2);
    Pending<String> one = s.submit("a", "k", 1, Deadline.NONE, "one");
    Pending<String> two = s.submit("b", "k", 1, Deadline.NONE, "two");
    ProblemException e = assertThrows(ProblemException.class,
        () -> s.submit("c", "k", 1, Deadline.NONE, "three"));
    assertEquals("overloaded", e.problem().code());
    assertEquals(503, e.problem().status());
    runner.release.countDown();
    assertEquals("one!", join(one));
    assertEquals("two!", join(two));
    assertEquals("three!", join(s.submit("c", "k", 1, Deadline.NONE, "three")));
  }

  @Test
  void aFailingRequestFailsAloneNotItsBatch() throws Exception {
    BatchScheduler<String, String> s = blocked(8, Duration.ZERO, 100);
    Pending<String> good = s.submit("a", "k", 1, Deadline.NONE, "good");
    Pending<String> bad = s.submit("b", "k", 1, Deadline.NONE, "bad");
    runner.release.countDown();
    assertEquals("good!", join(good));
    assertThrows(IllegalArgumentException.class, () -> join(bad));
  }

  @Test
  void aQueuedRequestIsAnsweredWithoutAWaitingThreadWhenItWaitsTooLong() throws Exception {
    BatchScheduler<String, String> s = blocked(8, Duration.ZERO, 100);
    Pending<String> impatient = s.submit("a", "k", 1, Deadline.NONE, "impatient");
    Deadline soon = new Deadline(System.currentTimeMillis() + 50);
    Pending<String> late = s.submit("b", "k", 1, soon, "late");
    // Nobody waits on these: the queue's timers answer them while the first batch still runs.
    CompletableFuture<String> overloaded = impatient.completion(Deadline.NONE,
        Duration.ofMillis(1));
    CompletableFuture<String> expired = late.completion(soon, Duration.ofSeconds(30));
    await().atMost(Duration.ofSeconds(10)).until(() -> overloaded.isDone() && expired.isDone());
    assertEquals("overloaded", problem(overloaded).code());
    assertEquals("deadline_exceeded", problem(expired).code());
    Pending<String> next = s.submit("a", "k", 1, Deadline.NONE, "next");
    runner.release.countDown();
    assertEquals("next!", next.completion(Deadline.NONE, Duration.ofSeconds(30)).get(30, TimeUnit.SECONDS));
    assertTrue(runner.batches.stream().noneMatch(b -> b.contains("impatient") || b.contains("late")));
  }

  @Test
  void allRequestsOfACallAnswerInOrderAndTheFirstFailureWithdrawsTheRest() throws Exception {
    Pending<String> first = new Pending<>();
    Pending<String> second = new Pending<>();
    CompletableFuture<List<String>> both = Pending.all(List.of(first, second), Deadline.NONE,
        Duration.ofSeconds(30));
    second.complete("2");
    first.complete("1");
    assertEquals(List.of("1", "2"), both.get(30, TimeUnit.SECONDS));

    Pending<String> failing = new Pending<>();
    Pending<String> waiting = new Pending<>();
    CompletableFuture<List<String>> call = Pending.all(List.of(failing, waiting),
        Deadline.NONE, Duration.ofSeconds(30));
    failing.completeExceptionally(InferenceProblems.overloaded("full"));
    assertEquals("overloaded", problem(call).code());
    assertTrue(waiting.withdrawn(), "the call's other request must never run");
  }

  private static Problem problem(CompletableFuture<?> f) {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> f.get(30, TimeUnit.SECONDS));
    return ((ProblemException) e.getCause()).problem();
  }
}
