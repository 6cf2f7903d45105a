package io.github.zendeskloyalty.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PartitionOffsetsTest {

  private static final TopicPartition P0 = new TopicPartition("events", 0);
  private static final TopicPartition P1 = new TopicPartition("events", 1);

  @Test
  void aPartitionCommitsUpToItsFirstUnsettledRecordNeverPast() {
    PartitionOffsets offsets = new PartitionOffsets();
    for (long offset = 10; offset < 15; offset++) {
      offsets.read(P0, offset);
    }
    offsets.settled(P0, 10);
    offsets.settled(P0, 12);
    offsets.settled(P0, 13);

    assertThat(offsets.toCommit()).isEqualTo(Map.of(P0, 11L));
    offsets.committed(Map.of(P0, 11L));
    assertThat(offsets.toCommit()).as("nothing moved").isEmpty();

    offsets.settled(P0, 11);
    assertThat(offsets.toCommit()).isEqualTo(Map.of(P0, 14L));
    offsets.settled(P0, 14);
    assertThat(offsets.toCommit()).as("all settled: after the last read")
        .isEqualTo(Map.of(P0, 15L));
    assertThat(offsets.isOpen(P0, 14)).isFalse();
  }

  @Test
  void settlingTensOfThousandsInRandomOrderAlwaysCommitsUpToTheFirstOpenOne() {
    PartitionOffsets offsets = new PartitionOffsets();
    long committed = -1;
    java.util.Random random = new java.util.Random(20261206);
    java.util.TreeSet<Long> open = new java.util.TreeSet<>();
    long next = 1_000_000; // a partition read from the middle, with gaps between offsets
    for (int round = 0; round < 200; round++) {
      for (int i = 0; i < 300; i++) {
        next += 1 + (random.nextInt(10) == 0 ? random.nextInt(5) : 0);
        offsets.read(P0, next);
        open.add(next);
      }
      for (int i = 0; i < 280 && !open.isEmpty(); i++) {
        Long settled = random.nextInt(4) == 0 ? open.first()
            : open.ceiling(open.first() + random.nextInt(2_000));
        settled = settled == null ? open.last() : settled;
        offsets.settled(P0, settled);
        open.remove(settled);
        assertThat(offsets.isOpen(P0, settled)).isFalse();
      }
      long expected = open.isEmpty() ? next + 1 : open.first();
      assertThat(offsets.toCommit().getOrDefault(P0, committed)).as("round %d", round)
          .isEqualTo(expected);
      offsets.committed(Map.of(P0, expected));
      committed = expected;
      open.stream().limit(5).forEach(offset ->
          assertThat(offsets.isOpen(P0, offset)).isTrue());
    }
  }

  @Test
  void partitionsAreIndependentAndARevokedOneIsForgotten() {
    PartitionOffsets offsets = new PartitionOffsets();
    offsets.read(P0, 0);
    offsets.read(P1, 0);
    offsets.read(P1, 1);
    offsets.settled(P1, 0);

    assertThat(offsets.toCommit()).isEqualTo(Map.of(P0, 0L, P1, 1L));
    assertThat(offsets.isOpen(P1, 1)).isTrue();
    offsets.forget(P1);
    assertThat(offsets.isOpen(P1, 1)).isFalse();
    assertThat(offsets.isOpen(P0, 0)).isTrue();
  }
}
