package io.github.zendeskloyalty.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunningJobsTest {

  private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

  private static SubmittedJob job(String id, Instant submittedAt) {
    return new SubmittedJob(id, List.of(), List.of(), submittedAt);
  }

  @Test
  void aYoungJobIsPolledAfterTheShortestDelayAnOldOneAfterHalfItsAgeAtMostTheInterval() {
    RunningJobs jobs = new RunningJobs(Duration.ofSeconds(5));
    SubmittedJob young = job("a", T0);

    jobs.started(List.of(young), T0);
    assertThat(jobs.nextPollAt()).isEqualTo(T0.plus(RunningJobs.MIN_POLL_DELAY));
    assertThat(jobs.due(T0)).isNull();
    assertThat(jobs.due(T0.plus(RunningJobs.MIN_POLL_DELAY))).containsExactly(young);

    jobs.ended(List.of(), T0.plusSeconds(4)); // still running at 4 s: next after 2 s
    assertThat(jobs.nextPollAt()).isEqualTo(T0.plusSeconds(6));
    jobs.ended(List.of(), T0.plusSeconds(30)); // at 30 s: after the 5 s interval, not 15 s
    assertThat(jobs.nextPollAt()).isEqualTo(T0.plusSeconds(35));
  }

  @Test
  void aNewJobNeverPushesTheNextPollBack() {
    RunningJobs jobs = new RunningJobs(Duration.ofSeconds(5));
    jobs.started(List.of(job("old", T0)), T0);
    jobs.ended(List.of(), T0.plusSeconds(30));
    Instant due = jobs.nextPollAt();

    jobs.started(List.of(job("new", T0.plusSeconds(31))), T0.plusSeconds(31));

    assertThat(jobs.nextPollAt()).isEqualTo(due);
    assertThat(jobs.size()).isEqualTo(2);
  }

  @Test
  void withoutJobsNothingIsDue() {
    RunningJobs jobs = new RunningJobs(Duration.ZERO);
    SubmittedJob only = job("a", T0);
    jobs.started(List.of(only), T0);
    assertThat(jobs.due(T0)).as("a zero interval polls at once").containsExactly(only);

    jobs.ended(List.of(only), T0);

    assertThat(jobs.isEmpty()).isTrue();
    assertThat(jobs.nextPollAt()).isNull();
    assertThat(jobs.due(T0.plusSeconds(60))).isNull();
  }

  @Test
  void theShortestPollDelayIsTheOneThePublicApiDocuments() {
    assertThat(RunningJobs.MIN_POLL_MILLIS)
        .isEqualTo(io.github.zendeskloyalty.client.ZendeskLoyaltySync.MIN_JOB_POLL_MILLIS);
  }
}
