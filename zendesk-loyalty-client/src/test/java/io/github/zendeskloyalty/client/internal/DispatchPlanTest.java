package io.github.zendeskloyalty.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The dispatcher's decisions, from snapshots of state: no thread, no clock, no lock. */
class DispatchPlanTest {

  private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
  private static final Duration MAX_DELAY = Duration.ofSeconds(1);

  /** An engine with nothing pending, no job, open, at {@code now}. */
  private static DispatchPlan.State idle(Instant now) {
    return new DispatchPlan.State(now, false, null, true, null, 0, null, null, false, false, 0,
        false, null, false, null, true, true, 100, MAX_DELAY);
  }

  private static DispatchPlan.State waiting(Instant now, int members, Instant queuedAt,
      Instant lastRepeatAt) {
    return new DispatchPlan.State(now, false, null, true,
        new DispatchPlan.Batch(Math.min(members, 100), 1, queuedAt), members, queuedAt,
        lastRepeatAt, false, false, 0, false, null, false, null, false, true, 100, MAX_DELAY);
  }

  @Test
  void nothingToDoWaitsForWork() {
    assertThat(DispatchPlan.decide(idle(T0))).isInstanceOf(DispatchPlan.WaitForWork.class);
  }

  @Test
  void aBatchWaitsForItsMaxDelayThenGoes() {
    assertThat(DispatchPlan.decide(waiting(T0.plusMillis(999), 3, T0, null)))
        .isEqualTo(new DispatchPlan.WaitForEvents(T0.plus(MAX_DELAY), 3));
    assertThat(DispatchPlan.decide(waiting(T0.plus(MAX_DELAY), 3, T0, null)))
        .isInstanceOf(DispatchPlan.Send.class);
  }

  @Test
  void aFullBatchGoesAtOnceUnlessABurstStillRepeatsItsMembers() {
    assertThat(DispatchPlan.decide(waiting(T0, 100, T0, null)))
        .isInstanceOf(DispatchPlan.Send.class);
    assertThat(DispatchPlan.decide(waiting(T0.plusMillis(5), 100, T0, T0.plusMillis(1))))
        .as("a repeat 4 ms ago: the burst goes on")
        .isEqualTo(new DispatchPlan.WaitForEvents(T0.plusMillis(11), 100));
    assertThat(DispatchPlan.decide(waiting(T0.plusMillis(11), 100, T0, T0.plusMillis(1))))
        .isInstanceOf(DispatchPlan.Send.class);
    assertThat(DispatchPlan.decide(waiting(T0.plusMillis(5), 200, T0, T0.plusMillis(1))))
        .as("a backlog goes at once").isInstanceOf(DispatchPlan.Send.class);
  }

  @Test
  void aPollDueComesBeforeWaitingAndTheEarlierOfZendeskAndTheBatchIsAwaited() {
    DispatchPlan.State pollDue = new DispatchPlan.State(T0, false, null, true, null, 0, null,
        null, false, false, 0, true, T0, false, null, true, false, 100, MAX_DELAY);
    assertThat(DispatchPlan.decide(pollDue)).isInstanceOf(DispatchPlan.PollJobs.class);

    DispatchPlan.State pollSoon = new DispatchPlan.State(T0, false, null, true,
        new DispatchPlan.Batch(1, 1, T0), 1, T0, null, false, false, 0, false,
        T0.plusMillis(100), false, T0.plusSeconds(60), false, false, 100, MAX_DELAY);
    assertThat(DispatchPlan.decide(pollSoon))
        .isEqualTo(new DispatchPlan.WaitForZendesk(T0.plusMillis(100)));
  }

  @Test
  void closingSendsEverythingAtOnceThenStopsAndStopsAtTheDeadlineWhatever() {
    DispatchPlan.State closingWithOne = new DispatchPlan.State(T0, true, T0.plusSeconds(30),
        true, new DispatchPlan.Batch(1, 1, T0), 1, T0, null, false, false, 0, false, null,
        true, T0, false, true, 100, MAX_DELAY);
    assertThat(DispatchPlan.decide(closingWithOne)).isInstanceOf(DispatchPlan.Send.class);

    DispatchPlan.State closingEmpty = new DispatchPlan.State(T0, true, T0.plusSeconds(30), true,
        null, 0, null, null, false, false, 0, false, null, true, T0, true, true, 100, MAX_DELAY);
    assertThat(DispatchPlan.decide(closingEmpty)).as("late jobs are not polled while closing")
        .isInstanceOf(DispatchPlan.Stop.class);

    DispatchPlan.State pastDeadline = new DispatchPlan.State(T0.plusSeconds(30), true,
        T0.plusSeconds(30), true, new DispatchPlan.Batch(1, 1, T0), 1, T0, null, false, false,
        0, true, T0, false, null, false, false, 100, MAX_DELAY);
    assertThat(DispatchPlan.decide(pastDeadline)).isInstanceOf(DispatchPlan.Stop.class);
  }

  @Test
  void flushCallersWaitingForRoomOrAFullBufferSendAtOnce() {
    DispatchPlan.State flushed = new DispatchPlan.State(T0, false, null, true,
        new DispatchPlan.Batch(1, 7, T0), 1, T0, null, false, false, 7, false, null, false,
        null, false, true, 100, MAX_DELAY);
    assertThat(DispatchPlan.decide(flushed)).isInstanceOf(DispatchPlan.Send.class);
    DispatchPlan.State noJobSlot = new DispatchPlan.State(T0.plusSeconds(5), false, null, false,
        null, 1, T0, null, false, false, 0, false, null, false, null, false, false, 100,
        MAX_DELAY);
    assertThat(DispatchPlan.decide(noJobSlot)).as("no room for a job: nothing to send")
        .isInstanceOf(DispatchPlan.WaitForWork.class);
  }
}
