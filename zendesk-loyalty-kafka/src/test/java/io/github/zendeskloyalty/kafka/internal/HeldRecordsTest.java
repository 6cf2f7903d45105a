package io.github.zendeskloyalty.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.core.LoyaltyEvent;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class HeldRecordsTest {

  private static final TopicPartition P0 = new TopicPartition("events", 0);
  private static final TopicPartition P1 = new TopicPartition("events", 1);
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  private final HeldRecords held = new HeldRecords();

  private static ConsumerRecord<byte[], byte[]> record(TopicPartition partition, long offset) {
    return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, new byte[0],
        new byte[0]);
  }

  private static LoyaltyEvent event(String memberId, Instant modified) {
    return new LoyaltyEvent(SyncTrigger.POINTS_AWARDED, LoyaltyMember.builder().memberId(memberId)
        .email(memberId.toLowerCase() + "@example.com").lastModifiedDate(modified).build(),
        modified);
  }

  @Test
  void eachMembersNewestIsKeptAndWhatItOvertookIsSettled() {
    held.catchUp(P0, 10);
    assertThat(held.take(P0, record(P0, 0), event("M-1", T0.plusNanos(2)))).isNull();
    assertThat(held.take(P0, record(P0, 1), event("M-1", T0.plusNanos(1))).offset())
        .as("an older snapshot read later is settled, the newer stays").isEqualTo(1);
    assertThat(held.take(P0, record(P0, 2), event("M-1", T0.plusSeconds(1))).offset())
        .as("a newer one settles the one it overtook").isEqualTo(0);
    assertThat(held.members()).isEqualTo(1);

    held.reached(P0, 10);
    List<HeldRecords.Held> released = held.release(10, false);
    assertThat(released).extracting(next -> next.record().offset()).containsExactly(2L);
    assertThat(held.holds(P0)).as("released and empty: records go straight on").isFalse();
  }

  @Test
  void onlyWhatCaughtUpIsReleasedUnlessAskedAndNeverMoreThanTheRoom() {
    held.catchUp(P0, 100);
    held.hold(P1);
    for (int member = 0; member < 5; member++) {
      held.take(P0, record(P0, member), event("M-" + member, T0));
      held.take(P1, record(P1, member), event("N-" + member, T0));
    }
    assertThat(held.waitingForRoom()).isTrue();
    assertThat(held.release(3, false)).extracting(next -> next.event().member().memberId())
        .as("the held partition's first three, in the order read").containsExactly("N-0", "N-1",
            "N-2");
    assertThat(held.release(10, false)).hasSize(2);
    assertThat(held.holds(P1)).isFalse();
    assertThat(held.holds(P0)).as("still catching up").isTrue();
    assertThat(held.members()).isEqualTo(5);

    assertThat(held.release(4, true)).as("past the bound: catching up too").hasSize(4);
    assertThat(held.holds(P0)).as("still catching up, with one member").isTrue();
    held.forget(List.of(P0));
    assertThat(held.members()).isZero();
  }
}
