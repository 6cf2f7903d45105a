package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * The newest snapshot of one member waiting to be written, with every caller's future that it
 * answers. Mutable only under the engine's lock until it is dispatched. Not part of the API.
 */
final class PendingUpdate {


  private final String memberId;
  private final String profileKey;
  private final long sequence;
  private final Instant queuedAt;
  /** The callers' futures and their events' triggers, side by side (a caller costs 8 bytes). */
  private CompletableFuture<SyncResult>[] futures = newFutures(2);
  private SyncTrigger[] triggers = new SyncTrigger[2];
  private int waiting;
  private final CompletableFuture<Void> settled = new CompletableFuture<>();
  private final AtomicBoolean finished = new AtomicBoolean();
  private LoyaltyMember member;
  private Instant version;
  private SyncTrigger trigger;

  PendingUpdate(LoyaltyMember member, Instant version, SyncTrigger trigger, String profileKey,
      long sequence, Instant queuedAt) {
    this.memberId = member.memberId();
    this.profileKey = profileKey;
    this.member = member;
    this.version = version;
    this.trigger = trigger;
    this.sequence = sequence;
    this.queuedAt = queuedAt;
  }

  /** The member's loyalty id. */
  public String memberId() {
    return memberId;
  }

  /**
   * How the member is found in Zendesk, lower case: its email under email identity, its member
   * id under external-id identity. Keys the id cache and Zendesk's per-user limit.
   */
  public String profileKey() {
    return profileKey;
  }

  /** The snapshot to write. */
  public LoyaltyMember member() {
    return member;
  }

  /** The trigger of the event whose snapshot is held, or null for a backfill. */
  SyncTrigger trigger() {
    return trigger;
  }

  Instant version() {
    return version;
  }

  long sequence() {
    return sequence;
  }

  Instant queuedAt() {
    return queuedAt;
  }

  /** Hands each caller's future, with its event's trigger, to {@code action}. */
  void forEachWaiter(BiConsumer<CompletableFuture<SyncResult>, SyncTrigger> action) {
    for (int i = 0; i < waiting; i++) {
      action.accept(futures[i], triggers[i]);
    }
  }

  /** How many callers this update answers. */
  int waiters() {
    return waiting;
  }

  /** Adds a caller that this update answers (caller holds the engine's lock). */
  void await(CompletableFuture<SyncResult> future, SyncTrigger eventTrigger) {
    if (waiting == futures.length) {
      futures = Arrays.copyOf(futures, waiting * 2);
      triggers = Arrays.copyOf(triggers, waiting * 2);
    }
    futures[waiting] = future;
    triggers[waiting] = eventTrigger;
    waiting++;
  }

  @SuppressWarnings("unchecked")
  private static CompletableFuture<SyncResult>[] newFutures(int size) {
    return (CompletableFuture<SyncResult>[]) new CompletableFuture<?>[size];
  }

  CompletableFuture<Void> settled() {
    return settled;
  }

  /** Replaces the snapshot with a newer one (caller holds the engine's lock). */
  void replace(LoyaltyMember newer, Instant newerVersion, SyncTrigger newerTrigger) {
    this.member = newer;
    this.version = newerVersion;
    this.trigger = newerTrigger;
  }

  /** True the first time only: an update is completed exactly once. */
  boolean finish() {
    return finished.compareAndSet(false, true);
  }

  @Override
  public String toString() {
    return "PendingUpdate[" + memberId + " @ " + version + "]";
  }
}
