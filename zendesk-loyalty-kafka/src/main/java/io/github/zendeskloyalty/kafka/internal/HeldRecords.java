package io.github.zendeskloyalty.kafka.internal;

import io.github.zendeskloyalty.core.LoyaltyEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Records read but not handed to the SDK yet, only each member's newest per partition: while a
 * partition catches up (to its end as it was when it was assigned, or when a poll left it far
 * behind: a member written now would be written again for the newer records already waiting),
 * and while the SDK has too many records. A partition that caught up, or whose hold ended,
 * releases its members as the SDK has room, and holds what it reads meanwhile with them. Used
 * by the consumer thread alone. Not part of the API.
 */
final class HeldRecords {

  /**
   * A record held, with its decoded event and its snapshot's version (kept beside them: with a
   * hundred thousand members held, reaching it through the event costs the intake more than
   * the rest of holding).
   */
  record Held(ConsumerRecord<byte[], byte[]> record, LoyaltyEvent event, long versionSeconds,
      int versionNanos) {

    Held(ConsumerRecord<byte[], byte[]> record, LoyaltyEvent event) {
      this(record, event, IntakeLoop.version(event).getEpochSecond(),
          IntakeLoop.version(event).getNano());
    }

    boolean isOlderThan(Held other) {
      return versionSeconds < other.versionSeconds
          || versionSeconds == other.versionSeconds && versionNanos < other.versionNanos;
    }
  }

  /** A stretch's {@code until} once it only waits for room in the SDK. */
  private static final long RELEASING = -1;

  /** A partition's held members, in the order first held, and the offset it catches up to. */
  private static final class Stretch {
    long until;
    final LinkedHashMap<String, Held> newest = new LinkedHashMap<>();

    Stretch(long until) {
      this.until = until;
    }
  }

  private final Map<TopicPartition, Stretch> stretches = new HashMap<>();
  private int members;

  /** Whether records of {@code partition} are held rather than submitted. */
  boolean holds(TopicPartition partition) {
    return stretches.containsKey(partition);
  }

  /** Holds what {@code partition} reads until its position reaches {@code until}. */
  void catchUp(TopicPartition partition, long until) {
    Stretch stretch = stretches.get(partition);
    if (stretch == null) {
      stretches.put(partition, new Stretch(until));
    } else {
      stretch.until = Math.max(stretch.until, until);
    }
  }

  /** Holds what {@code partition} reads until the SDK has room (see {@link #release}). */
  void hold(TopicPartition partition) {
    stretches.putIfAbsent(partition, new Stretch(RELEASING));
  }

  /**
   * Keeps a record of a partition that {@link #holds} it, if it is its member's newest. Returns
   * the record that is now settled without being submitted (the one it superseded, or itself
   * when an older snapshot than one held), or null.
   */
  ConsumerRecord<byte[], byte[]> take(TopicPartition partition,
      ConsumerRecord<byte[], byte[]> record, LoyaltyEvent event) {
    Map<String, Held> newest = stretches.get(partition).newest;
    String memberId = event.member().memberId();
    Held held = new Held(record, event);
    Held before = newest.put(memberId, held); // one lookup: an older record comes back rarely
    if (before != null && held.isOlderThan(before)) {
      newest.put(memberId, before);
      return record;
    }
    if (before == null) {
      members++;
      return null;
    }
    return before.record();
  }

  /** A partition that reached {@code position} stops catching up and releases its members. */
  void reached(TopicPartition partition, long position) {
    Stretch stretch = stretches.get(partition);
    if (stretch != null && stretch.until != RELEASING && position >= stretch.until) {
      stretch.until = RELEASING;
    }
  }

  /**
   * Takes up to {@code room} members out, to be submitted: those of partitions that caught up
   * or whose hold ended, and, when {@code catchingUpToo}, of partitions still catching up. A
   * releasing partition with nothing left held no longer holds.
   */
  List<Held> release(int room, boolean catchingUpToo) {
    List<Held> released = new ArrayList<>();
    for (Iterator<Stretch> iterator = stretches.values().iterator(); iterator.hasNext(); ) {
      Stretch stretch = iterator.next();
      if (stretch.until != RELEASING && !catchingUpToo) {
        continue;
      }
      for (Iterator<Held> members = stretch.newest.values().iterator();
          members.hasNext() && released.size() < room; ) {
        released.add(members.next());
        members.remove();
        this.members--;
      }
      if (stretch.until == RELEASING && stretch.newest.isEmpty()) {
        iterator.remove();
      }
    }
    return released;
  }

  /** Whether a partition that caught up still holds members waiting for room in the SDK. */
  boolean waitingForRoom() {
    for (Stretch stretch : stretches.values()) {
      if (stretch.until == RELEASING && !stretch.newest.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Members held, in every partition. */
  int members() {
    return members;
  }

  /** The partitions that hold. */
  Set<TopicPartition> partitions() {
    return stretches.keySet();
  }

  /** Partitions no longer this consumer's: what they held is their next owner's to read. */
  void forget(Collection<TopicPartition> partitions) {
    for (TopicPartition partition : partitions) {
      Stretch stretch = stretches.remove(partition);
      if (stretch != null) {
        members -= stretch.newest.size();
      }
    }
  }
}
