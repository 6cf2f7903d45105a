package io.github.zendeskloyalty.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zendeskloyalty.client.FakeTime;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PendingBufferTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final PendingBuffer buffer = new PendingBuffer(3, 100, new FakeTime(), 200);

  private static LoyaltyMember member(String id, int points) {
    return LoyaltyMember.builder().memberId(id).email(id.toLowerCase() + "@example.com")
        .availablePoints(BigDecimal.valueOf(points)).build();
  }

  private PendingBuffer.Offer offer(String id, int version, List<CompletableFuture<SyncResult>> to) {
    CompletableFuture<SyncResult> future = new CompletableFuture<>();
    to.add(future);
    return buffer.offer(member(id, version), T0.plusSeconds(version), SyncTrigger.POINTS_AWARDED,
        id.toLowerCase() + "@example.com", future, false);
  }

  @Test
  void aNewerEventForAMemberInFlightWaitsBehindItAndGoesWhenTheWriteEnds() {
    List<CompletableFuture<SyncResult>> futures = new ArrayList<>();
    offer("M-1", 1, futures);
    List<PendingUpdate> first = buffer.candidates(100, update -> true);
    buffer.dispatch(first);

    assertThat(offer("M-1", 2, futures)).isEqualTo(PendingBuffer.Offer.BEHIND_IN_FLIGHT);
    assertThat(buffer.candidates(100, update -> true)).as("nothing free to go").isEmpty();
    assertThat(offer("M-1", 1, futures)).as("older than what was sent")
        .isEqualTo(PendingBuffer.Offer.STALE);

    assertThat(buffer.release(first)).isTrue();
    assertThat(buffer.candidates(100, update -> true)).singleElement()
        .satisfies(update -> assertThat(update.version()).isEqualTo(T0.plusSeconds(2)));
  }

  @Test
  void aDeferredUpdateGoesBackFirstOrJoinsTheNewerOneBehindIt() {
    List<CompletableFuture<SyncResult>> futures = new ArrayList<>();
    offer("M-1", 1, futures);
    offer("M-2", 1, futures);
    List<PendingUpdate> batch = buffer.candidates(100, update -> true);
    buffer.dispatch(batch);
    offer("M-2", 2, futures);
    offer("M-3", 1, futures);

    buffer.requeue(batch);

    List<PendingUpdate> again = buffer.candidates(100, update -> true);
    assertThat(again).extracting(PendingUpdate::memberId).containsExactly("M-1", "M-2", "M-3");
    assertThat(again.get(1).version()).isEqualTo(T0.plusSeconds(2));
    List<CompletableFuture<SyncResult>> answeredByNewer = new ArrayList<>();
    again.get(1).forEachWaiter((future, trigger) -> answeredByNewer.add(future));
    assertThat(answeredByNewer).containsExactlyInAnyOrder(futures.get(1), futures.get(2));
  }

  @Test
  void membersAndEventsAreBoundedAndTheSameProfileCannotBeClaimedTwice() {
    List<CompletableFuture<SyncResult>> futures = new ArrayList<>();
    for (int version = 1; version <= 30; version++) {
      assertThat(offer("M-1", version, futures)).isIn(PendingBuffer.Offer.PENDING,
          PendingBuffer.Offer.COALESCED);
    }
    assertThat(buffer.isFull()).isTrue();
    assertThat(offer("M-1", 31, futures)).isEqualTo(PendingBuffer.Offer.NO_ROOM_FOR_EVENTS);

    buffer.release(buffer.candidates(100, update -> true));
    offer("M-1", 32, futures);
    offer("M-2", 1, futures);
    offer("M-3", 1, futures);
    assertThat(offer("M-4", 1, futures)).isEqualTo(PendingBuffer.Offer.NO_ROOM_FOR_MEMBERS);
    assertThatThrownBy(() -> buffer.offer(member("m-2", 1), T0.plusSeconds(5),
        SyncTrigger.POINTS_AWARDED, "m-2@example.com", new CompletableFuture<>(), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("member m-2 would write to the same Zendesk user as member M-2");
  }
}
