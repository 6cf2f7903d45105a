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

class WithSdkTest {

  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  private static final TopicPartition P0 = new TopicPartition("events", 0);

  private final WithSdk withSdk = new WithSdk();

  private WithSdk.Handed hand(String topic, long offset, String member, int version) {
    LoyaltyEvent event = new LoyaltyEvent(SyncTrigger.POINTS_AWARDED, LoyaltyMember.builder()
        .memberId(member).lastModifiedDate(T0.plusSeconds(version)).build(), T0);
    return withSdk.handing(new ConsumerRecord<>(topic, 0, offset, new byte[0], new byte[0]),
        event, 1);
  }

  @Test
  void aNewerRecordOfTheMemberSupersedesTheOlderWhichIsSettledAndLetGo() {
    WithSdk.Handed older = hand("events", 10, "M-1", 1);
    assertThat(withSdk.accepted(older)).isNull();
    WithSdk.Handed newer = hand("events", 11, "M-1", 2);

    assertThat(withSdk.accepted(newer)).isSameAs(older);
    assertThat(older.superseded()).isTrue();
    assertThat(older.record()).as("its payload let go").isNull();
    assertThat(withSdk.unsettled(null)).isEqualTo(1);
    assertThat(withSdk.all(null)).as("the SDK still holds its future").isEqualTo(2);

    assertThat(withSdk.drained(older)).as("its outcome no longer matters").isFalse();
    assertThat(withSdk.drained(newer)).isTrue();
    assertThat(withSdk.all(List.of(P0))).isZero();
  }

  @Test
  void aLateReDeliveryOfAnOlderSnapshotSupersedesNothing() {
    WithSdk.Handed newer = hand("events", 10, "M-1", 5);
    withSdk.accepted(newer);
    WithSdk.Handed late = hand("events", 11, "M-1", 3);

    assertThat(withSdk.accepted(late)).isNull();
    assertThat(newer.superseded()).isFalse();
    assertThat(withSdk.unsettled(null)).isEqualTo(2);
    assertThat(withSdk.accepted(hand("events", 12, "M-1", 6))).as("the newest is still newest")
        .isSameAs(newer);
  }

  @Test
  void membersOfOtherTopicsAndForgottenPartitionsAreApart() {
    withSdk.accepted(hand("events", 10, "M-1", 1));
    assertThat(withSdk.accepted(hand("other", 10, "M-1", 2))).isNull();
    WithSdk.Handed handed = hand("events", 11, "M-2", 1);
    withSdk.accepted(handed);

    withSdk.forget(List.of(P0));
    assertThat(withSdk.unsettled(null)).isEqualTo(1);
    assertThat(withSdk.drained(handed)).as("a partition no longer this consumer's").isFalse();
  }
}
