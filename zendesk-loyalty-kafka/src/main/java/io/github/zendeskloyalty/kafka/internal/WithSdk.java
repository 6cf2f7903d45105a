package io.github.zendeskloyalty.kafka.internal;

import io.github.zendeskloyalty.core.LoyaltyEvent;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The records handed to the SDK whose outcome has not been drained yet, counted per partition,
 * and each member's newest of them. A record handed on after another of the same member, with a
 * snapshot at least as new, supersedes it: the older one's content can never matter again (the
 * newer one sits at a higher offset, so no commit passes it before it settles), so the older one
 * is settled at once and its payload let go, though the SDK still completes its future. Used by
 * the consumer thread alone. Not part of the API.
 */
final class WithSdk {

  /** A record handed to the SDK. Its record and event are dropped once it is superseded. */
  static final class Handed {
    private final TopicPartition partition;
    private final long offset;
    private final String memberId;
    private final Instant version;
    private final int attempt;
    private ConsumerRecord<byte[], byte[]> record;
    private LoyaltyEvent event;
    private boolean superseded;

    private Handed(ConsumerRecord<byte[], byte[]> record, LoyaltyEvent event, int attempt) {
      this.partition = new TopicPartition(record.topic(), record.partition());
      this.offset = record.offset();
      this.memberId = event.member().memberId();
      this.version = IntakeLoop.version(event);
      this.attempt = attempt;
      this.record = record;
      this.event = event;
    }

    TopicPartition partition() {
      return partition;
    }

    long offset() {
      return offset;
    }

    int attempt() {
      return attempt;
    }

    /** The record, or null once superseded. */
    ConsumerRecord<byte[], byte[]> record() {
      return record;
    }

    /** The event, or null once superseded. */
    LoyaltyEvent event() {
      return event;
    }

    boolean superseded() {
      return superseded;
    }
  }

  /** A member within a partition (two topics may carry one member). */
  private record MemberKey(TopicPartition partition, String memberId) {}

  /** Per partition: records with the SDK, and those of them not superseded. */
  private static final class Counts {
    int all;
    int unsettled;
  }

  private final Map<MemberKey, Handed> newest = new HashMap<>();
  private final Map<TopicPartition, Counts> counts = new HashMap<>();

  /** A record about to be handed to the SDK; nothing is counted until {@link #accepted}. */
  Handed handing(ConsumerRecord<byte[], byte[]> record, LoyaltyEvent event, int attempt) {
    return new Handed(record, event, attempt);
  }

  /**
   * The SDK took the record. Returns the record it supersedes (now settled, to be marked so in
   * the offsets), or null.
   */
  Handed accepted(Handed handed) {
    Counts partition = counts.computeIfAbsent(handed.partition, key -> new Counts());
    partition.all++;
    partition.unsettled++;
    MemberKey key = new MemberKey(handed.partition, handed.memberId);
    Handed before = newest.get(key);
    if (before != null && handed.version.isBefore(before.version)) {
      return null; // a late re-delivery: the SDK will ignore it as stale, the newer stays newest
    }
    newest.put(key, handed);
    if (before == null) {
      return null;
    }
    before.superseded = true;
    before.record = null;
    before.event = null;
    partition.unsettled--;
    return before;
  }

  /**
   * The SDK's outcome for a record arrived. Returns whether it still matters: false for a
   * superseded record (settled already) or one of a partition no longer this consumer's.
   */
  boolean drained(Handed handed) {
    Counts partition = counts.get(handed.partition);
    if (partition == null) {
      return false;
    }
    partition.all--;
    if (handed.superseded) {
      return false;
    }
    partition.unsettled--;
    newest.remove(new MemberKey(handed.partition, handed.memberId), handed);
    return true;
  }

  /** Records with the SDK in {@code partitions} (all when null), superseded ones included. */
  int all(Collection<TopicPartition> partitions) {
    return sum(partitions, true);
  }

  /** Records with the SDK in {@code partitions} (all when null) that are not superseded. */
  int unsettled(Collection<TopicPartition> partitions) {
    return sum(partitions, false);
  }

  private int sum(Collection<TopicPartition> partitions, boolean all) {
    int sum = 0;
    for (Map.Entry<TopicPartition, Counts> entry : counts.entrySet()) {
      if (partitions == null || partitions.contains(entry.getKey())) {
        sum += all ? entry.getValue().all : entry.getValue().unsettled;
      }
    }
    return sum;
  }

  /** Partitions no longer this consumer's: their records are another's to settle. */
  void forget(Collection<TopicPartition> partitions) {
    counts.keySet().removeAll(partitions);
    newest.keySet().removeIf(key -> partitions.contains(key.partition()));
  }
}
