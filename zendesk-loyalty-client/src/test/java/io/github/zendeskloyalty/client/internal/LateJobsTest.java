package io.github.zendeskloyalty.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LateJobsTest {

  private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

  private static PendingUpdate update(String memberId, int version) {
    return new PendingUpdate(LoyaltyMember.builder().memberId(memberId)
        .lastModifiedDate(T0.plusSeconds(version)).build(), T0.plusSeconds(version),
        SyncTrigger.POINTS_AWARDED, memberId.toLowerCase(), version, T0);
  }

  private static SubmittedJob job(String id, PendingUpdate... items) {
    return new SubmittedJob(id, List.of(items), List.of(), T0);
  }

  @Test
  void whenAJobGivenUpOnEndsOnlyMembersWithANewerSnapshotSentSinceAreWrittenAgain() {
    LateJobs late = new LateJobs();
    SubmittedJob job = job("j", update("M-1", 1), update("M-2", 1), update("M-3", 5));
    late.sent(update("M-1", 9)); // before the job was given up on: not its business
    late.add(List.of(job), T0);

    late.sent(update("M-1", 2));
    late.sent(update("M-1", 3));
    late.sent(update("M-3", 4)); // older than the job's own
    late.sent(update("M-4", 7)); // in no late job

    List<LateJobs.Sent> again = late.settled(List.of(job), T0.plusSeconds(60));

    assertThat(again).extracting(sent -> sent.member().memberId() + "@" + sent.version())
        .containsExactly("M-1@" + T0.plusSeconds(3));
    assertThat(late.isEmpty()).isTrue();
    assertThat(late.nextPollAt()).isNull();
    late.sent(update("M-1", 10));
    assertThat(late.settled(List.of(job), T0.plusSeconds(120))).as("forgotten").isEmpty();
  }

  @Test
  void jobsArePolledEveryIntervalAndExpireAfterTheWatch() {
    LateJobs late = new LateJobs();
    SubmittedJob job = job("j", update("M-1", 1));
    late.add(List.of(job), T0);

    assertThat(late.due(T0)).isNull();
    assertThat(late.due(T0.plus(LateJobs.POLL_INTERVAL))).containsExactly(job);
    assertThat(late.settled(List.of(), T0.plus(LateJobs.POLL_INTERVAL))).isEmpty();
    assertThat(late.nextPollAt()).isEqualTo(T0.plus(LateJobs.POLL_INTERVAL.multipliedBy(2)));
    assertThat(late.expired(T0.plus(LateJobs.WATCH).minusSeconds(1))).isEmpty();
    assertThat(late.expired(T0.plus(LateJobs.WATCH))).containsExactly(job);
  }
}
