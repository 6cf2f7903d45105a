package io.github.zendeskloyalty.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.SyncSummary;
import io.github.zendeskloyalty.core.LoyaltyMember;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class BackfillTallyTest {

  private static LoyaltyMember member(String id) {
    return LoyaltyMember.builder().memberId(id).build();
  }

  @Test
  void whateverSubmittingOneMemberThrowsOnlyThatMemberFails() {
    Map<String, Object> told = new ConcurrentHashMap<>();
    BackfillTally tally = new BackfillTally((member, result, failure) ->
        told.put(member.memberId(), result != null ? result : failure));

    tally.track(member("M-1"), m -> CompletableFuture.completedFuture(
        new SyncResult(m.memberId(), SyncResult.Outcome.UPDATED, 7L, null)));
    tally.track(member("M-2"), m -> {
      throw new NullPointerException("a bug below the call");
    });
    tally.track(member("M-3"), m -> {
      throw new IllegalArgumentException("no email");
    });
    tally.finish();

    SyncSummary summary = tally.summary().join();
    assertThat(summary.submitted()).isEqualTo(3);
    assertThat(summary.updated()).isEqualTo(1);
    assertThat(summary.failures()).containsOnlyKeys("M-2", "M-3");
    assertThat(told.get("M-2")).isInstanceOf(NullPointerException.class);
    assertThat(told).containsOnlyKeys("M-1", "M-2", "M-3");
  }
}
