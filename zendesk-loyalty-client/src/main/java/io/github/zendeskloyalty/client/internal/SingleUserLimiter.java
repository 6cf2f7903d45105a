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
 * user. Thread-safe. Not part of the API.
 */
public final class SingleUserLimiter {

  /** One single-user write per second per account. */
  public static final Duration ACCOUNT_INTERVAL = Duration.ofSeconds(1);
  /** Five single-user writes per minute per user. */
  public static final int PER_USER_PER_MINUTE = 5;

  private static final Duration MINUTE = Duration.ofMinutes(1);

  private final Clock clock;
  private final Sleeper sleeper;
  private final Map<String, Deque<Instant>> recentByUser;
  private Instant lastCall = Instant.MIN;
  private Instant pausedUntil;

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

  /** Holds every single-user write until {@code wait} has passed, as Zendesk asked with a 429. */
  public synchronized void pause(Duration wait) {
    Instant until = clock.instant().plus(wait);
    if (pausedUntil == null || until.isAfter(pausedUntil)) {
      pausedUntil = until;
    }
  }

  private Duration waitFor(String key, Instant now) {
    Duration wait = pausedUntil != null && now.isBefore(pausedUntil)
        ? Duration.between(now, pausedUntil) : Duration.ZERO;
    if (lastCall != Instant.MIN) {
      Duration sinceLast = Duration.between(lastCall, now);
      if (sinceLast.compareTo(ACCOUNT_INTERVAL) < 0
          && ACCOUNT_INTERVAL.minus(sinceLast).compareTo(wait) > 0) {
        wait = ACCOUNT_INTERVAL.minus(sinceLast);
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
