package dev.infermint.worker.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.infermint.problem.ProblemException;

/** Calls take turns on the device; a full queue, a long wait, a passed deadline or an unready worker are refused. */
class InferenceAdmissionTest {

  private static InferenceAdmission admission(int concurrent, int queued, Duration maxWait) {
    InferenceAdmission admission = new InferenceAdmission();
    admission.configure(concurrent, queued, maxWait, () -> true);
    return admission;
  }

  /** Admits a call while the only slot is taken, and returns why it was refused. */
  private static ProblemException refusedWhileBusy(InferenceAdmission admission, Deadline deadline) {
    try (InferenceAdmission.Turn ignored = admission.admit(Deadline.NONE)) {
      return assertThrows(ProblemException.class, () -> admission.admit(deadline));
    }
  }

  private static Deadline in(long millis) {
    return new Deadline(System.currentTimeMillis() + millis);
  }

  @Test
  void aCallBeyondTheSlotsWaitsForItsTurn() throws Exception {
    InferenceAdmission admission = admission(1, 4, Duration.ofSeconds(30));
    InferenceAdmission.Turn first = admission.admit(Deadline.NONE);
    CompletableFuture<InferenceAdmission.Turn> second = CompletableFuture.supplyAsync(
        () -> admission.admit(in(30_000)));
    await().atMost(Duration.ofSeconds(5)).until(() -> admission.waiting() == 1);
    assertFalse(second.isDone(), "the second call waits while the first runs");
    first.close();
    second.get(5, TimeUnit.SECONDS).close();
    assertEquals(0, admission.waiting());
  }

  @Test
  void aFullQueueIsA503WithRetryAfter() {
    ProblemException e = refusedWhileBusy(admission(1, 0, Duration.ofSeconds(30)), Deadline.NONE);
    assertEquals(503, e.status());
    assertEquals("overloaded", e.problem().code());
    assertEquals("1", e.headers().get("Retry-After"));
  }

  @Test
  void waitingLongerThanMaxWaitIsA503() {
    InferenceAdmission admission = admission(1, 4, Duration.ofMillis(50));
    ProblemException e = refusedWhileBusy(admission, Deadline.NONE);
    assertEquals(503, e.status());
    assertEquals("overloaded", e.problem().code());
    assertTrue(e.problem().detail().contains("waited 50 ms"), e.problem().detail());
    assertEquals(0, admission.waiting());
  }

  @Test
  void aDeadlinePassingInTheQueueIsA504AndLeaksNoSlot() {
    InferenceAdmission admission = admission(1, 4, Duration.ofSeconds(30));
    long start = System.nanoTime();
    ProblemException e = refusedWhileBusy(admission, in(100));
    assertEquals(504, e.status());
    assertEquals("deadline_exceeded", e.problem().code());
    assertTrue(e.problem().detail().contains("while waiting for its turn"), e.problem().detail());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "gave up at the deadline, not max-wait");
    admission.admit(in(1_000)).close();
    assertEquals(0, admission.waiting());
  }

  @Test
  void aPassedDeadlineIsA504EvenWithFreeSlots() {
    InferenceAdmission admission = admission(4, 4, Duration.ofSeconds(30));
    ProblemException e = assertThrows(ProblemException.class, () -> admission.admit(new Deadline(1)));
    assertEquals(504, e.status());
  }

  @Test
  void anUnreadyWorkerIsA503WithRetryAfter() {
    InferenceAdmission admission = new InferenceAdmission();
    admission.configure(1, 4, Duration.ofSeconds(30), () -> false);
    ProblemException e = assertThrows(ProblemException.class, () -> admission.admit(Deadline.NONE));
    assertEquals(503, e.status());
    assertEquals("unavailable", e.problem().code());
    assertEquals("5", e.headers().get("Retry-After"));
  }
}
