package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.client.SingleUserWriteSlots;
import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.Sleeper;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Zendesk's own limits on the single-user write endpoints ({@code PUT /users/{id}} and
 * {@code POST /users/create_or_update}): one call per second per account, five per minute per
 * user. Zendesk measures the second between arrivals, the SDK between sends, so the SDK keeps a
 * margin; and as the limit is the account's, shared with every other instance and client, a 429
 * doubles the interval and each success narrows it back by a tenth, so several instances settle
 * on the shared second. Each write's slot comes from the {@link SingleUserWriteSlots}, the
 * instance's own or one shared by instances that write to one account.
 * Thread-safe. Not part of the API.
 */
final class SingleUserLimiter {

  /** The interval the SDK keeps between single-user writes: Zendesk's second and a margin. */
  public static final Duration ACCOUNT_INTERVAL = Duration.ofMillis(1_150);
  /** The widest interval after repeated 429s. */
  public static final Duration MAX_INTERVAL = Duration.ofSeconds(16);
  /** Five single-user writes per minute per user. */
  public static final int PER_USER_PER_MINUTE = 5;

  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.client");

  private final Clock clock;
  private final Sleeper sleeper;
  private final SingleUserWriteSlots slots;
  private final boolean slotsShared;
  private final Map<String, Deque<Instant>> recentByUser;
  private Instant lastSlot = Instant.MIN;
  private Instant pausedUntil;
  private Duration interval = ACCOUNT_INTERVAL;
  private boolean storeDown;
  private final SyncListener listener;
  private boolean toldToShare;

  /**
   * Remembers the recent writes of up to {@code trackedUsers} users, and takes each write's
   * slot from {@code slots}: the instance's own, or ones the application shares
   * ({@code slotsShared}).
   */
  public SingleUserLimiter(Clock clock, Sleeper sleeper, int trackedUsers,
      SingleUserWriteSlots slots, boolean slotsShared, SyncListener listener) {
    this.listener = listener;
    this.clock = clock;
    this.sleeper = sleeper;
    this.slots = slots;
    this.slotsShared = slotsShared;
    this.recentByUser = new BoundedMap<>(trackedUsers);
  }

  /** Whether a write for this user could go now without waiting, as far as this instance knows. */
  public synchronized boolean isFree(String userKey) {
    Instant now = clock.instant();
    return heldFor(normalize(userKey), now).isZero() && !lastSlot.plus(interval).isAfter(now);
  }

  /**
   * Waits, through the sleeper, until a write for this user is allowed: past a pause, within
   * the user's five a minute, and until the slot reserved for it; and records it.
   *
   * @param deadline the latest instant the wait may end
   * @return zero, or how long the caller would have to wait past the deadline (no slot is
   *     reserved then)
   */
  public Duration acquire(String userKey, Instant deadline) throws InterruptedException {
    String key = normalize(userKey);
    while (true) {
      Instant now;
      Duration held;
      Duration spacing;
      synchronized (this) {
        now = clock.instant();
        held = heldFor(key, now);
        spacing = interval;
      }
      if (now.plus(held).isAfter(deadline)) {
        return held;
      }
      if (!held.isZero()) {
        sleeper.sleep(held);
        continue;
      }
      Optional<Instant> reserved = reserve(now, deadline, spacing);
      if (reserved.isEmpty()) {
        return Duration.between(now, deadline).plus(spacing);
      }
      Instant slot = reserved.get();
      Duration untilSlot = Duration.between(now, slot);
      if (slot.isAfter(deadline)) {
        return untilSlot; // the store gave a slot past the deadline it was told
      }
      synchronized (this) {
        if (slot.isAfter(lastSlot)) {
          lastSlot = slot;
        }
        recentByUser.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(slot);
      }
      if (!untilSlot.isZero()) {
        sleeper.sleep(untilSlot);
      }
      return Duration.ZERO;
    }
  }

  /**
   * The slot from the write slots, or empty when they have none by the deadline; when they throw
   * or answer null, this instance's own next slot, so the write still goes.
   */
  private Optional<Instant> reserve(Instant now, Instant deadline, Duration spacing) {
    String problem;
    Throwable thrown = null;
    try {
      Optional<Instant> slot = slots.reserve(now, deadline, spacing);
      if (slot != null) {
        answered();
        return slot.map(at -> at.isBefore(now) ? now : at);
      }
      problem = "returned null";
    } catch (Throwable failure) {
      if (failure instanceof InterruptedException) {
        Thread.currentThread().interrupt(); // the close deadline: the sleep that follows ends
      }
      thrown = failure;
      problem = "threw " + failure.getClass().getName();
    }
    boolean first;
    Instant own;
    synchronized (this) {
      first = !storeDown;
      storeDown = true;
      own = lastSlot.plus(spacing).isAfter(now) ? lastSlot.plus(spacing) : now;
    }
    LOG.log(first ? Level.WARNING : Level.DEBUG, "SingleUserWriteSlots.reserve " + problem
        + "; single-user writes keep the instance's own pace until it answers"
        + (first ? " (failures until then are logged at DEBUG)" : ""), thrown);
    listener.onWriteSlotsUnavailable(thrown != null ? thrown
        : new IllegalStateException("SingleUserWriteSlots.reserve returned null"));
    return own.isAfter(deadline) ? Optional.empty() : Optional.of(own);
  }

  /** The store answered: if it had failed before, say that it is used again. */
  private void answered() {
    boolean wasDown;
    synchronized (this) {
      wasDown = storeDown;
      storeDown = false;
    }
    if (wasDown) {
      LOG.log(Level.INFO, "SingleUserWriteSlots.reserve answered again: single-user writes take"
          + " their turns from it again");
    }
  }

  /**
   * Holds every single-user write until {@code wait} has passed, as Zendesk asked with a 429,
   * and doubles the interval: someone else shares the account's second.
   */
  public synchronized void pause(Duration wait) {
    if (!slotsShared && !toldToShare) {
      toldToShare = true;
      LOG.log(Level.WARNING, "Zendesk answered 429 to a single-user write: something else writes"
          + " users in this account at the same time (another instance of this application?)."
          + " Instances that create users together should share one SingleUserWriteSlots"
          + " (ZendeskLoyaltySync.Builder.singleUserWriteSlots with PostgresWriteSlots or"
          + " RedisWriteSlots; in Spring Boot, zendesk.loyalty.shared-limits=jdbc or redis);"
          + " this one widens its own gap.");
    }
    Instant until = clock.instant().plus(wait);
    if (pausedUntil == null || until.isAfter(pausedUntil)) {
      pausedUntil = until;
    }
    interval = interval.multipliedBy(2).compareTo(MAX_INTERVAL) > 0
        ? MAX_INTERVAL : interval.multipliedBy(2);
  }

  /** A single-user write went through: narrow the interval back towards the base. */
  public synchronized void succeeded() {
    Duration narrower = interval.minus(interval.dividedBy(10));
    interval = narrower.compareTo(ACCOUNT_INTERVAL) < 0 ? ACCOUNT_INTERVAL : narrower;
  }

  /** The interval kept between single-user writes now. */
  public synchronized Duration interval() {
    return interval;
  }

  /** How long a pause, or the user's five a minute, hold a write now. */
  private Duration heldFor(String key, Instant now) {
    Duration wait = pausedUntil != null && now.isBefore(pausedUntil)
        ? Duration.between(now, pausedUntil) : Duration.ZERO;
    Deque<Instant> recent = recentByUser.get(key);
    if (recent != null) {
      while (!recent.isEmpty() && !recent.peekFirst().plus(MINUTE).isAfter(now)) {
        recent.removeFirst();
      }
      if (recent.size() >= PER_USER_PER_MINUTE) {
        Duration userWait = Duration.between(now, recent.peekFirst().plus(MINUTE));
        if (userWait.compareTo(wait) > 0) {
          wait = userWait;
        }
      }
    }
    return wait;
  }

  private static String normalize(String userKey) {
    return userKey.toLowerCase(Locale.ROOT);
  }
}
