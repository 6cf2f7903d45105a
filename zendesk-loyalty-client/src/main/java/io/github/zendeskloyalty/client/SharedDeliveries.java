package io.github.zendeskloyalty.client;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the agent actions of every instance must agree on, kept where each instance receiving
 * Zendesk's webhooks reaches it: which deliveries were handled (Zendesk delivers at least once,
 * and with several pods behind a load balancer a second delivery of one invocation may land on
 * another pod than the first, which must not grant again), and each agent's goodwill granted
 * today (else every pod would allow an agent its own daily limit), and the grants waiting for
 * approval (else a restart would lose them, and only the pod holding one could approve it), and
 * the notes decided but not yet on their tickets (else a note Zendesk refused for a while would
 * be lost, its goodwill field left set, and the next update of the ticket would grant again).
 * {@link AgentActions} {@link #claim}s a delivery's keys before it acts on a delivery and {@link #addWithin}
 * before it grants, and keeps a grant above the approval threshold with {@link #putAwaiting}
 * until {@link #takeAwaiting}.
 *
 * <p>Ready implementations: {@code PostgresWriteSlots} and {@code RedisWriteSlots} (the same
 * store objects as for the account's limits); by default each instance remembers its own
 * ({@link #inMemory()}).
 *
 * <pre>{@code
 * AgentActions actions = AgentActions.builder()...deliveries(redisWriteSlots).build();
 * }</pre>
 */
public interface SharedDeliveries {

  /**
   * Claims every key of one delivery (its invocation, its ticket and request) until
   * {@code keepUntil}, all or none, in one atomic operation: true when no instance held any of
   * them (or its record expired by {@code now}) and this call now holds them all; false, with
   * nothing recorded, when any is held. Of two instances claiming overlapping keys at once,
   * exactly one gets true.
   */
  boolean claim(List<String> keys, Instant now, Instant keepUntil);

  /**
   * Adds {@code amount} to the total kept under {@code key} unless that would take it past
   * {@code limit}, atomically across instances; the total is kept until {@code keepUntil}, and
   * one whose time passed by {@code now} starts again from zero. A negative amount (giving back
   * what a failed grant took) is always added.
   *
   * @return whether the amount was added
   */
  boolean addWithin(String key, BigDecimal amount, BigDecimal limit, Instant now,
      Instant keepUntil);

  /**
   * Keeps a grant waiting for approval (its id and its JSON) from {@code now} until
   * {@code keepUntil}, where every instance finds it; an id put again replaces the grant.
   */
  void putAwaiting(String id, String grant, Instant now, Instant keepUntil);

  /**
   * Takes the grant waiting under {@code id} out, atomically: of several instances asking at
   * once, one gets it. Empty when none waits under that id (or its time passed by {@code now}).
   */
  Optional<String> takeAwaiting(String id, Instant now);

  /** The grants waiting for approval (their JSON), the first 1,000 in the order put. */
  List<String> awaiting(Instant now);

  /**
   * Forgets the claims of {@code keys} (a delivery that could not be decided, so that Zendesk's
   * retry of it is handled anew; a ticket whose note is written). A key not held is ignored.
   */
  void release(List<String> keys);

  /**
   * Keeps a note still to be written on a ticket (its JSON) under {@code id} from {@code now}
   * until {@code keepUntil}, where every instance finds it; an id put again replaces the note
   * and keeps its place in the order.
   */
  void putPendingNote(String id, String note, Instant now, Instant keepUntil);

  /**
   * Removes the note pending under {@code id} if it is still exactly {@code note}, atomically:
   * one another instance replaced meanwhile stays.
   *
   * @return whether it was removed
   */
  boolean removePendingNote(String id, String note);

  /** The notes pending (their JSON), the first 1,000 in the order first put. */
  List<String> pendingNotes(Instant now);

  /**
   * Deliveries (the last 10,000), totals, grants waiting and notes pending (the last 10,000 of
   * each) remembered in this JVM: one instance, or a test.
   */
  static SharedDeliveries inMemory() {
    return new SharedDeliveries() {
      private final Map<String, Instant> seen = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
          return size() > 10_000;
        }
      };
      private final Map<String, Total> totals = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Total> eldest) {
          return size() > 10_000;
        }
      };

      private final Map<String, Waiting> waiting = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Waiting> eldest) {
          return size() > 10_000;
        }
      };

      private final Map<String, Waiting> notes = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Waiting> eldest) {
          return size() > 10_000;
        }
      };

      record Total(BigDecimal amount, Instant keepUntil) {}

      /** A grant waiting, or a note pending, and until when it is kept. */
      record Waiting(String grant, Instant keepUntil) {}

      @Override
      public synchronized void putAwaiting(String id, String grant, Instant now,
          Instant keepUntil) {
        waiting.put(id, new Waiting(grant, keepUntil));
      }

      @Override
      public synchronized Optional<String> takeAwaiting(String id, Instant now) {
        Waiting grant = waiting.remove(id);
        return grant == null || !grant.keepUntil().isAfter(now) ? Optional.empty()
            : Optional.of(grant.grant());
      }

      @Override
      public synchronized List<String> awaiting(Instant now) {
        return waiting.values().stream().filter(grant -> grant.keepUntil().isAfter(now))
            .limit(1_000).map(Waiting::grant).toList();
      }

      @Override
      public synchronized void release(List<String> keys) {
        keys.forEach(seen::remove);
      }

      @Override
      public synchronized void putPendingNote(String id, String note, Instant now,
          Instant keepUntil) {
        notes.put(id, new Waiting(note, keepUntil));
      }

      @Override
      public synchronized boolean removePendingNote(String id, String note) {
        Waiting kept = notes.get(id);
        return kept != null && kept.grant().equals(note) && notes.remove(id) != null;
      }

      @Override
      public synchronized List<String> pendingNotes(Instant now) {
        notes.values().removeIf(note -> !note.keepUntil().isAfter(now));
        return notes.values().stream().limit(1_000).map(Waiting::grant).toList();
      }

      @Override
      public synchronized boolean addWithin(String key, BigDecimal amount, BigDecimal limit,
          Instant now, Instant keepUntil) {
        Total before = totals.get(key);
        BigDecimal total = (before == null || !before.keepUntil().isAfter(now)
            ? BigDecimal.ZERO : before.amount()).add(amount);
        if (amount.signum() > 0 && total.compareTo(limit) > 0) {
          return false;
        }
        totals.put(key, new Total(total, keepUntil));
        return true;
      }

      @Override
      public synchronized boolean claim(List<String> keys, Instant now, Instant keepUntil) {
        for (String key : keys) {
          Instant until = seen.get(key);
          if (until != null && until.isAfter(now)) {
            return false;
          }
        }
        keys.forEach(key -> seen.put(key, keepUntil));
        return true;
      }
    };
  }
}
