package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.client.Sleeper;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * The client-side budget of calls per minute for the account: a token bucket refilled
 * continuously, narrowed by Zendesk's rate-limit headers and paused by {@code Retry-After}.
 * Thread-safe. Not part of the API.
 */
public final class AccountRateLimiter {

  private static final long NANOS_PER_MINUTE = Duration.ofMinutes(1).toNanos();

  private final Clock clock;
  private final Sleeper sleeper;
  private int limitPerMinute;
  private double tokens;
  private Instant refilledAt;
  private Instant pausedUntil;

  /** A full bucket of {@code requestsPerMinute} tokens. */
  public AccountRateLimiter(int requestsPerMinute, Clock clock, Sleeper sleeper) {
    this.clock = clock;
    this.sleeper = sleeper;
    this.limitPerMinute = requestsPerMinute;
    this.tokens = requestsPerMinute;
    this.refilledAt = clock.instant();
    this.pausedUntil = refilledAt;
  }

  /**
   * Waits, through the sleeper, until a call may be made, and takes one token.
   *
   * @param deadline the latest instant the wait may end
   * @return zero, or how long the caller would have to wait past the deadline (nothing taken)
   */
  public Duration acquire(Instant deadline) throws InterruptedException {
    while (true) {
      Duration wait = tryAcquire();
      if (wait.isZero()) {
        return Duration.ZERO;
      }
      if (clock.instant().plus(wait).isAfter(deadline)) {
        return wait;
      }
      sleeper.sleep(wait);
    }
  }

  private synchronized Duration tryAcquire() {
    Instant now = clock.instant();
    refill(now);
    if (now.isBefore(pausedUntil)) {
      return Duration.between(now, pausedUntil);
    }
    if (tokens >= 1) {
      tokens -= 1;
      return Duration.ZERO;
    }
    long nanos = (long) Math.ceil((1 - tokens) * NANOS_PER_MINUTE / limitPerMinute);
    return Duration.ofNanos(Math.max(nanos, 1));
  }

  private void refill(Instant now) {
    long elapsed = Duration.between(refilledAt, now).toNanos();
    if (elapsed > 0) {
      tokens = Math.min(limitPerMinute, tokens + (double) elapsed * limitPerMinute / NANOS_PER_MINUTE);
      refilledAt = now;
    }
  }

  /** Stops all calls until {@code wait} has passed, as Zendesk asked with Retry-After. */
  public synchronized void pause(Duration wait) {
    Instant until = clock.instant().plus(wait);
    if (until.isAfter(pausedUntil)) {
      pausedUntil = until;
    }
  }

  /**
   * Narrows the budget to what Zendesk reports: a lower account limit lowers the rate; fewer
   * remaining calls than tokens drops the tokens; none remaining pauses until the reset.
   */
  public synchronized void observe(HttpHeaders headers) {
    refill(clock.instant());
    OptionalLong limit = number(headers, "X-Rate-Limit");
    if (limit.isEmpty()) {
      limit = number(headers, "ratelimit-limit");
    }
    if (limit.isPresent() && limit.getAsLong() > 0 && limit.getAsLong() < limitPerMinute) {
      limitPerMinute = (int) limit.getAsLong();
      tokens = Math.min(tokens, limitPerMinute);
    }
    OptionalLong remaining = number(headers, "X-Rate-Limit-Remaining");
    if (remaining.isEmpty()) {
      remaining = number(headers, "ratelimit-remaining");
    }
    if (remaining.isPresent()) {
      tokens = Math.min(tokens, remaining.getAsLong());
      if (remaining.getAsLong() <= 0) {
        number(headers, "ratelimit-reset").ifPresent(seconds -> pause(Duration.ofSeconds(seconds)));
      }
    }
  }

  /** The current calls-per-minute budget. */
  public synchronized int limitPerMinute() {
    return limitPerMinute;
  }

  static OptionalLong number(HttpHeaders headers, String name) {
    return headers.firstValue(name).map(String::strip).filter(v -> v.matches("\\d{1,12}"))
        .map(v -> OptionalLong.of(Long.parseLong(v))).orElse(OptionalLong.empty());
  }
}
