package io.github.zendeskloyalty.kafka.internal;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Which records of each partition are settled (confirmed by Zendesk, ignored as stale, or
 * dead-lettered), and the offset that may be committed: the lowest unsettled one, or the one
 * after the highest read when all are settled. Never past an unsettled record. Used by the
 * consumer thread alone. Not part of the API.
 */
final class PartitionOffsets {

  /** Settled records before the first open one are dropped from the bits once this many. */
  private static final int COMPACT_AT = 4_096;

  /**
   * One partition: a bit per offset from {@code base}, set while the record is open (offsets
   * are read in order, settled in any order); the bits before the first open one are dropped
   * now and then, so the set spans only the records not yet settled.
   */
  private static final class Partition {
    BitSet bits = new BitSet();
    long base = -1;
    int openCount;
    long firstRead = -1;
    long next = -1;
    long committed = -1;

    void read(long offset) {
      if (base < 0) {
        base = offset;
      }
      if (offset < base || offset - base >= Integer.MAX_VALUE) {
        throw new IllegalStateException("offset " + offset + " read out of order (the first"
            + " open one is " + base + ")");
      }
      if (!bits.get((int) (offset - base))) {
        bits.set((int) (offset - base));
        openCount++;
      }
    }

    void settled(long offset) {
      long index = offset - base;
      if (base < 0 || index < 0 || index >= bits.length() || !bits.get((int) index)) {
        return;
      }
      bits.clear((int) index);
      openCount--;
      if (openCount == 0) {
        bits.clear();
        base = next;
      } else {
        int first = bits.nextSetBit(0);
        if (first >= COMPACT_AT) {
          bits = bits.get(first, bits.length());
          base += first;
        }
      }
    }

    boolean isOpen(long offset) {
      long index = offset - base;
      return base >= 0 && index >= 0 && index < bits.length() && bits.get((int) index);
    }

    long firstOpenOrNext() {
      return openCount == 0 ? next : base + bits.nextSetBit(0);
    }
  }

  private final Map<TopicPartition, Partition> partitions = new HashMap<>();

  /** A record was read and handed on; it is open until {@link #settled}. */
  void read(TopicPartition partition, long offset) {
    Partition state = partitions.computeIfAbsent(partition, key -> new Partition());
    state.read(offset);
    if (state.firstRead < 0) {
      state.firstRead = offset;
    }
    state.next = Math.max(state.next, offset + 1);
  }

  /** A record is settled. */
  void settled(TopicPartition partition, long offset) {
    Partition state = partitions.get(partition);
    if (state != null) {
      state.settled(offset);
    }
  }

  /** Whether a record was read here and is not settled. */
  boolean isOpen(TopicPartition partition, long offset) {
    Partition state = partitions.get(partition);
    return state != null && state.isOpen(offset);
  }

  /** The offsets to commit now, per partition: those that moved since the last commit. */
  Map<TopicPartition, Long> toCommit() {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    partitions.forEach((partition, state) -> {
      long committable = state.firstOpenOrNext();
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
