package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.client.IdentityPolicy;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.core.LoyaltyMember;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The newest snapshot of one member waiting to be written, with every caller's future that it
 * answers. Not part of the API.
 */
public final class PendingUpdate {

  private final String memberId;
  private final long sequence;
  private final long queuedAtNanos;
  private final List<CompletableFuture<SyncResult>> futures = new ArrayList<>();
  private final CompletableFuture<Void> settled = new CompletableFuture<>();
  private final AtomicBoolean finished = new AtomicBoolean();
  private LoyaltyMember member;
  private Instant version;

  PendingUpdate(LoyaltyMember member, Instant version, long sequence, long queuedAtNanos) {
    this.memberId = member.memberId();
    this.member = member;
    this.version = version;
    this.sequence = sequence;
    this.queuedAtNanos = queuedAtNanos;
  }

  /** The member's loyalty id. */
  public String memberId() {
    return memberId;
  }

  /** The snapshot to write. */
  public LoyaltyMember member() {
    return member;
  }

  Instant version() {
    return version;
  }

  long sequence() {
    return sequence;
  }

  long queuedAtNanos() {
    return queuedAtNanos;
  }

  List<CompletableFuture<SyncResult>> futures() {
    return futures;
  }

  CompletableFuture<Void> settled() {
    return settled;
  }

  /** Replaces the snapshot with a newer one (caller holds the engine's lock). */
  void replace(LoyaltyMember newer, Instant newerVersion) {
    this.member = newer;
    this.version = newerVersion;
  }

  /** True the first time only: an update is completed exactly once. */
  boolean finish() {
    return finished.compareAndSet(false, true);
  }

  /**
   * How the member is found in Zendesk: its email (lower case) or its member id, by policy.
   * Used for the id cache and Zendesk's per-user limit.
   */
  public String userKey(IdentityPolicy identity) {
    return identity == IdentityPolicy.EMAIL
        ? member.email().toLowerCase(Locale.ROOT) : member.memberId();
  }
}
