package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.client.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;

/**
 * Zendesk's own limits on the single-user write endpoints ({@code PUT /users/{id}} and
 * {@code POST /users/create_or_update}): one call per second per account, five per minute per
 * user. Zendesk measures the second between arrivals, the SDK between sends, so the SDK keeps a
 * margin; and as the limit is the account's, shared with every other instance and client, a 429
 * doubles the interval and each success narrows it back by a tenth, so several instances settle
 * on the shared second.
 * Thread-safe. Not part of the API.
 */
public final class SingleUserLimiter {

  /** The interval the SDK keeps between single-user writes: Zendesk's second and a margin. */
  public static final Duration ACCOUNT_INTERVAL = Duration.ofMillis(1_150);
  /** The widest interval after repeated 429s. */
  public static final Duration MAX_INTERVAL = Duration.ofSeconds(16);
  /** Five single-user writes per minute per user. */
  public static final int PER_USER_PER_MINUTE = 5;

  private static final Duration MINUTE = Duration.ofMinutes(1);

  private final Clock clock;
  private final Sleeper sleeper;
  private final Map<String, Deque<Instant>> recentByUser;
  private Instant lastCall = Instant.MIN;
  private Instant pausedUntil;
  private Duration interval = ACCOUNT_INTERVAL;

  /** Remembers the recent writes of up to {@code trackedUsers} users. */
  public SingleUserLimiter(Clock clock, Sleeper sleeper, int trackedUsers) {
    this.clock = clock;
    this.sleeper = sleeper;
    this.recentByUser = new BoundedMap<>(trackedUsers);
  }

  /** Whether a write for this user could go now without waiting. */
  public synchronized boolean isFree(String userKey) {
    return waitFor(normalize(userKey), clock.instant()).isZero();
  }

  /**
   * Waits, through the sleeper, until a write for this user is allowed, and records it.
   *
   * @param deadline the latest instant the wait may end
   * @return zero, or how long the caller would have to wait past the deadline (nothing recorded)
   */
  public Duration acquire(String userKey, Instant deadline) throws InterruptedException {
    String key = normalize(userKey);
    while (true) {
      Duration wait;
      synchronized (this) {
        Instant now = clock.instant();
        wait = waitFor(key, now);
        if (wait.isZero()) {
          lastCall = now;
          recentByUser.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(now);
          return Duration.ZERO;
        }
        if (now.plus(wait).isAfter(deadline)) {
          return wait;
        }
      }
      sleeper.sleep(wait);
    }
  }

  /**
   * Holds every single-user write until {@code wait} has passed, as Zendesk asked with a 429,
   * and doubles the interval: someone else shares the account's second.
   */
  public synchronized void pause(Duration wait) {
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

  private Duration waitFor(String key, Instant now) {
    Duration wait = pausedUntil != null && now.isBefore(pausedUntil)
        ? Duration.between(now, pausedUntil) : Duration.ZERO;
    if (lastCall != Instant.MIN) {
      Duration sinceLast = Duration.between(lastCall, now);
      if (sinceLast.compareTo(interval) < 0 && interval.minus(sinceLast).compareTo(wait) > 0) {
        wait = interval.minus(sinceLast);
      }
    }
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
