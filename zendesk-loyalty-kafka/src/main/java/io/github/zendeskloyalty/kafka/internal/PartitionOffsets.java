package io.github.zendeskloyalty.kafka.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * Which records of each partition are settled (confirmed by Zendesk, ignored as stale, or
 * dead-lettered), and the offset that may be committed: the lowest unsettled one, or the one
 * after the highest read when all are settled. Never past an unsettled record. Used by the
 * consumer thread alone. Not part of the API.
 */
final class PartitionOffsets {

  private static final class Partition {
    final NavigableSet<Long> open = new TreeSet<>();
    long firstRead = -1;
    long next = -1;
    long committed = -1;
  }

  private final Map<TopicPartition, Partition> partitions = new HashMap<>();

  /** A record was read and handed on; it is open until {@link #settled}. */
  void read(TopicPartition partition, long offset) {
    Partition state = partitions.computeIfAbsent(partition, key -> new Partition());
    state.open.add(offset);
    if (state.firstRead < 0) {
      state.firstRead = offset;
    }
    state.next = Math.max(state.next, offset + 1);
  }

  /** A record is settled. */
  void settled(TopicPartition partition, long offset) {
    Partition state = partitions.get(partition);
    if (state != null) {
      state.open.remove(offset);
    }
  }

  /** Whether a record was read here and is not settled. */
  boolean isOpen(TopicPartition partition, long offset) {
    Partition state = partitions.get(partition);
    return state != null && state.open.contains(offset);
  }

  /** The offsets to commit now, per partition: those that moved since the last commit. */
  Map<TopicPartition, Long> toCommit() {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    partitions.forEach((partition, state) -> {
      long committable = state.open.isEmpty() ? state.next : state.open.first();
      if (committable > state.committed) {
        offsets.put(partition, committable);
      }
    });
    return offsets;
  }

  /** The offsets were committed. */
  void committed(Map<TopicPartition, Long> offsets) {
    offsets.forEach((partition, offset) -> {
      Partition state = partitions.get(partition);
      if (state != null) {
        state.committed = Math.max(state.committed, offset);
      }
    });
  }

  /** Records read and not yet committed, over every partition. */
  long uncommitted() {
    long uncommitted = 0;
    for (Partition state : partitions.values()) {
      if (state.next >= 0) {
        uncommitted += state.next - Math.max(state.committed, state.firstRead);
      }
    }
    return uncommitted;
  }

  /** A partition is no longer this consumer's: its records are another's to settle. */
  void forget(TopicPartition partition) {
    partitions.remove(partition);
  }
}
