package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Every member's update by where it stands: pending (not sent, oldest first), behind a write in
 * flight (a newer snapshot of a member being written), or in flight; with each member's
 * watermark (the newest snapshot sent, which no older one passes) and its claim on a Zendesk
 * profile, and the count of events waiting for an outcome. A member is in flight at most once,
 * so its writes reach Zendesk in order. Not thread-safe: the engine's lock guards it. Not part
 * of the API.
 */
final class PendingBuffer {

  /** Events waiting for an outcome allowed per member of maxPendingMembers. */
  static final int EVENTS_PER_MEMBER = 10;

  /** What became of an offered event. */
  enum Offer {
    /** Older than the member's pending or sent snapshot: answered at once as stale. */
    STALE,
    /** Folded into the member's update that waits already. */
    COALESCED,
    /** A new pending update; {@link #pendingCount()} grew. */
    PENDING,
    /** A new update behind the member's write in flight. */
    BEHIND_IN_FLIGHT,
    /** No room: maxPendingMembers members wait. */
    NO_ROOM_FOR_MEMBERS,
    /** No room: ten times maxPendingMembers events wait. */
    NO_ROOM_FOR_EVENTS
  }

  private final int maxMembers;
  private final int repeatsStampedBelow;
  private final long maxEvents;
  private final Clock clock;
  private final Map<String, PendingUpdate> pending = new LinkedHashMap<>();
  private final Map<String, PendingUpdate> behindInFlight = new HashMap<>();
  private final Map<String, PendingUpdate> inFlight = new LinkedHashMap<>();
  private final Map<String, Instant> watermarks;
  private final Map<String, String> profileOwners;
  private long lastSequence;
  private long waitingEvents;
  private Instant lastRepeatAt;

  /**
   * @param maxMembers the most updates not yet sent
   * @param trackedMembers how many members' watermarks and profile claims are kept
   * @param repeatsStampedBelow below this many pending updates, an event for a member already
   *     waiting records its time ({@link #lastRepeatAt()}); at or above it, a backlog, it does
   *     not read the clock
   */
  PendingBuffer(int maxMembers, int trackedMembers, Clock clock, int repeatsStampedBelow) {
    this.maxMembers = maxMembers;
    this.repeatsStampedBelow = repeatsStampedBelow;
    this.maxEvents = (long) maxMembers * EVENTS_PER_MEMBER;
    this.clock = clock;
    this.watermarks = new BoundedMap<>(trackedMembers);
    this.profileOwners = new BoundedMap<>(trackedMembers);
  }

  /**
   * Takes an event whose caller waits on {@code future}, unless it is stale or there is no room.
   *
   * @param unbounded whether room is not checked (the dispatcher submitting from a listener must
   *     never wait for itself)
   * @throws IllegalArgumentException when another member id already writes to this profile
   */
  Offer offer(LoyaltyMember member, Instant version, SyncTrigger trigger, String profileKey,
      CompletableFuture<SyncResult> future, boolean unbounded) {
    String memberId = member.memberId();
    String owner = profileOwners.get(profileKey);
    if (owner != null && !owner.equals(memberId)) {
      throw new IllegalArgumentException("member " + memberId + " would write to the same"
          + " Zendesk user as member " + owner + ": Zendesk matches both to one profile ("
          + profileKey.length() + "-character key, compared ignoring case). Refused, so the"
          + " two never overwrite each other; give each member its own identity.");
    }
    PendingUpdate existing = pending.get(memberId);
    if (existing == null) {
      existing = behindInFlight.get(memberId);
    }
    Instant watermark = watermarks.get(memberId);
    if ((watermark != null && version.isBefore(watermark))
        || (existing != null && version.isBefore(existing.version()))) {
      return Offer.STALE;
    }
    if (waitingEvents >= maxEvents && !unbounded) {
      return Offer.NO_ROOM_FOR_EVENTS;
    }
    if (existing != null) {
      existing.replace(member, version, trigger);
      existing.await(future, trigger);
      waitingEvents++;
      if (pending.size() < repeatsStampedBelow) {
        lastRepeatAt = clock.instant();
      }
      return Offer.COALESCED;
    }
    if (waiting() >= maxMembers && !unbounded) {
      return Offer.NO_ROOM_FOR_MEMBERS;
    }
    PendingUpdate update = new PendingUpdate(member, version, trigger, profileKey,
        ++lastSequence, clock.instant());
    update.await(future, trigger);
    waitingEvents++;
    profileOwners.put(profileKey, memberId);
    if (inFlight.containsKey(memberId)) {
      lastRepeatAt = update.queuedAt();
      behindInFlight.put(memberId, update);
      return Offer.BEHIND_IN_FLIGHT;
    }
    pending.put(memberId, update);
    return Offer.PENDING;
  }

  /**
   * The last time an event came for a member already waiting or in flight while fewer than
   * {@code repeatsStampedBelow} updates waited (a burst repeating members, whose full batch is
   * worth holding a moment), or null.
   */
  Instant lastRepeatAt() {
    return lastRepeatAt;
  }

  /** Updates waiting to be sent and free to go now. */
  int pendingCount() {
    return pending.size();
  }

  /** Events waiting for an outcome. */
  long waitingEvents() {
    return waitingEvents;
  }

  /** The sequence number of the newest update taken. */
  long lastSequence() {
    return lastSequence;
  }

  /** Whether either bound is reached: a batch should go now, to make room. */
  boolean isFull() {
    return waiting() >= maxMembers || waitingEvents >= maxEvents;
  }

  /** Whether no update waits to be sent. */
  boolean nothingWaiting() {
    return pending.isEmpty() && behindInFlight.isEmpty();
  }

  private int waiting() {
    return pending.size() + behindInFlight.size();
  }

  /** Members with an update pending or in flight. */
  int backlog() {
    return pending.size() + inFlight.size();
  }

  /** Whether the profile's member has an update pending or in flight. */
  boolean isPending(String profileKey) {
    String owner = profileOwners.get(profileKey);
    return owner != null && (pending.containsKey(owner) || inFlight.containsKey(owner));
  }

  /** The profile keys of members with an update pending or in flight. */
  List<String> profileKeys() {
    List<String> keys = new ArrayList<>(pending.size() + inFlight.size());
    pending.values().forEach(update -> keys.add(update.profileKey()));
    inFlight.values().forEach(update -> keys.add(update.profileKey()));
    return keys;
  }

  /** What {@code flush()} waits for: every update not yet settled. */
  List<CompletableFuture<Void>> unsettled() {
    List<CompletableFuture<Void>> settled = new ArrayList<>();
    pending.values().forEach(update -> settled.add(update.settled()));
    behindInFlight.values().forEach(update -> settled.add(update.settled()));
    inFlight.values().forEach(update -> settled.add(update.settled()));
    return settled;
  }

  /** Every open update, by member: in flight, then behind it, then pending. */
  Map<String, List<PendingUpdate>> open() {
    Map<String, List<PendingUpdate>> open = new LinkedHashMap<>();
    inFlight.values().forEach(update ->
        open.computeIfAbsent(update.memberId(), id -> new ArrayList<>()).add(update));
    behindInFlight.values().forEach(update ->
        open.computeIfAbsent(update.memberId(), id -> new ArrayList<>()).add(update));
    pending.values().forEach(update ->
        open.computeIfAbsent(update.memberId(), id -> new ArrayList<>()).add(update));
    return open;
  }

  /** The update that has waited longest among those free to go, or null. */
  PendingUpdate oldest() {
    return pending.isEmpty() ? null : pending.values().iterator().next();
  }

  /**
   * Up to {@code most} pending updates, those {@code atOnce} accepts first, then others, oldest
   * first within each; nothing is taken.
   */
  List<PendingUpdate> candidates(int most, Predicate<PendingUpdate> atOnce) {
    List<PendingUpdate> batch = new ArrayList<>();
    List<PendingUpdate> later = new ArrayList<>();
    for (PendingUpdate update : pending.values()) {
      if (atOnce.test(update)) {
        batch.add(update);
        if (batch.size() == most) {
          return batch;
        }
      } else if (later.size() < most) {
        later.add(update);
      }
    }
    for (int i = 0; batch.size() < most && i < later.size(); i++) {
      batch.add(later.get(i));
    }
    return batch;
  }

  /** Puts a batch in flight; each member's watermark rises to the snapshot sent. */
  void dispatch(List<PendingUpdate> batch) {
    for (PendingUpdate update : batch) {
      pending.remove(update.memberId());
      inFlight.put(update.memberId(), update);
      Instant watermark = watermarks.get(update.memberId());
      if (watermark == null || update.version().isAfter(watermark)) {
        watermarks.put(update.memberId(), update.version());
      }
    }
  }

  /**
   * Takes finished updates out; a newer update of a member whose write ended becomes pending.
   *
   * @return whether any update became pending
   */
  boolean release(Collection<PendingUpdate> updates) {
    boolean newerPending = false;
    for (PendingUpdate update : updates) {
      waitingEvents -= update.waiters();
      pending.remove(update.memberId(), update);
      behindInFlight.remove(update.memberId(), update);
      if (inFlight.remove(update.memberId(), update)) {
        PendingUpdate newer = behindInFlight.remove(update.memberId());
        if (newer != null) {
          pending.put(update.memberId(), newer);
          newerPending = true;
        }
      }
    }
    return newerPending;
  }

  /**
   * Puts updates that were taken but not sent back at the head of the pending ones, oldest
   * first. A member with a newer update behind the deferred one keeps the newer, which now also
   * answers the deferred update's callers.
   */
  void requeue(List<PendingUpdate> deferred) {
    Map<String, PendingUpdate> rest = new LinkedHashMap<>(pending);
    pending.clear();
    List<PendingUpdate> oldestFirst = new ArrayList<>(deferred);
    oldestFirst.sort(Comparator.comparingLong(PendingUpdate::sequence));
    for (PendingUpdate update : oldestFirst) {
      inFlight.remove(update.memberId(), update);
      PendingUpdate newer = behindInFlight.remove(update.memberId());
      if (newer == null) {
        pending.put(update.memberId(), update);
      } else {
        pending.put(update.memberId(), newer);
        if (update.finish()) {
          update.forEachWaiter(newer::await);
          newer.settled().whenComplete((done, failure) -> update.settled().complete(null));
        }
      }
    }
    pending.putAll(rest);
  }
}
