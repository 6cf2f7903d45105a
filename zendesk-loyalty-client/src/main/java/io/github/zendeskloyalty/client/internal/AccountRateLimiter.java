package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.client.Sleeper;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The client-side budget of calls per minute for the account: a token bucket refilled
 * continuously, narrowed by Zendesk's rate-limit headers and paused by {@code Retry-After}.
 *
 * <p>Zendesk's headers are account-wide, so they also tell how much of the account other
 * instances and clients use: within one of Zendesk's windows, this instance's share is its own
 * calls over all the calls the window saw ({@code limit - remaining}). The bucket then holds at
 * most that share of what remains, and refills at the pace that spends it by the window's end:
 * N instances settle on the shared limit without being told N. Thread-safe. Not part of the API.
 */
final class AccountRateLimiter {

  private static final long NANOS_PER_MINUTE = Duration.ofMinutes(1).toNanos();
  private static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);

  private final Clock clock;
  private final Sleeper sleeper;
  private final double burst;
  private int limitPerMinute;
  private double ratePerMinute;
  private double tokens;
  private Instant refilledAt;
  private Instant pausedUntil;
  private long lastRemaining = -1;
  private boolean reported;
  private long callsInWindow;
  private Instant windowEndsAt;

  /** A full bucket of {@code requestsPerMinute} tokens: a minute's calls may go at once. */
  public AccountRateLimiter(int requestsPerMinute, Clock clock, Sleeper sleeper) {
    this(requestsPerMinute, requestsPerMinute, clock, sleeper);
  }

  /**
   * A bucket holding at most {@code burst} tokens: with 1, calls are evenly spaced, and no
   * window of a minute, fixed or sliding, ever sees more than the limit.
   */
  public AccountRateLimiter(int requestsPerMinute, int burst, Clock clock, Sleeper sleeper) {
    this.clock = clock;
    this.sleeper = sleeper;
    this.burst = burst;
    this.limitPerMinute = requestsPerMinute;
    this.ratePerMinute = requestsPerMinute;
    this.tokens = burst;
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
    Duration wait = Duration.ofNanos(Math.max(1,
        (long) Math.ceil((1 - tokens) * NANOS_PER_MINUTE / ratePerMinute)));
    if (windowEndsAt != null && now.isBefore(windowEndsAt)
        && now.plus(wait).isAfter(windowEndsAt)) {
      return Duration.between(now, windowEndsAt);
    }
    return wait;
  }

  private void refill(Instant now) {
    long elapsed = Duration.between(refilledAt, now).toNanos();
    if (elapsed > 0) {
      tokens = Math.min(Math.min(burst, limitPerMinute),
          tokens + elapsed * ratePerMinute / NANOS_PER_MINUTE);
      refilledAt = now;
    }
    if (windowEndsAt != null && !now.isBefore(windowEndsAt)) {
      ratePerMinute = limitPerMinute;
      tokens = Math.max(tokens, 1);
      windowEndsAt = null;
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
   * Narrows the budget to what Zendesk reports for the account ({@code X-Rate-Limit},
   * {@code X-Rate-Limit-Remaining}, or {@code ratelimit-*}): a lower account limit lowers the
   * rate, a higher one never raises the configured budget; the bucket keeps at most this
   * instance's share of the calls remaining in Zendesk's window and refills at the pace that
   * spends that share by the window's end; none remaining pauses until the reset.
   */
  public void observe(HttpHeaders headers) {
    OptionalLong limit = first(headers, "X-Rate-Limit", "ratelimit-limit");
    OptionalLong remaining = first(headers, "X-Rate-Limit-Remaining", "ratelimit-remaining");
    OptionalLong reset = number(headers, "ratelimit-reset");
    observe(limit.isPresent() && limit.getAsLong() < limitPerMinute() ? limit
        : OptionalLong.empty(), remaining, reset);
  }

  /**
   * Follows an endpoint's own limit as Zendesk reports it in the first of {@code names} present
   * ({@code total=10; remaining=9; resets=41}): the budget becomes its total, up or down, and is
   * shared with other instances as in {@link #observe(HttpHeaders)}. Without the header (or
   * unreadable) nothing changes: the pace then finds the limit from 429s alone.
   */
  public void observeEndpoint(HttpHeaders headers, List<String> names) {
    names.stream().flatMap(name -> headers.firstValue(name).stream()).findFirst()
        .ifPresent(value -> {
      Map<String, Long> parts = new HashMap<>();
      for (String part : value.split(";")) {
        String[] pair = part.split("=", 2);
        if (pair.length == 2 && pair[1].strip().matches("\\d{1,12}")) {
          parts.put(pair[0].strip().toLowerCase(Locale.ROOT), Long.parseLong(pair[1].strip()));
        }
      }
      if (parts.containsKey("total") && parts.containsKey("remaining")) {
        observe(OptionalLong.of(parts.get("total")), OptionalLong.of(parts.get("remaining")),
            parts.containsKey("resets") ? OptionalLong.of(parts.get("resets"))
                : OptionalLong.empty());
      }
    });
  }

  private synchronized void observe(OptionalLong limit, OptionalLong remaining,
      OptionalLong reset) {
    Instant now = clock.instant();
    refill(now);
    if (limit.isPresent() && limit.getAsLong() > 0) {
      limitPerMinute = (int) Math.min(Integer.MAX_VALUE, limit.getAsLong());
      ratePerMinute = Math.min(ratePerMinute, limitPerMinute);
      tokens = Math.min(tokens, limitPerMinute);
    }
    if (remaining.isEmpty()) {
      return;
    }
    reported = true;
    long left = remaining.getAsLong();
    boolean newWindow = lastRemaining < 0 || left > lastRemaining || windowEndsAt == null
        || !now.isBefore(windowEndsAt);
    if (newWindow) {
      callsInWindow = 0;
      windowEndsAt = now.plus(reset.isPresent() ? Duration.ofSeconds(reset.getAsLong())
          : DEFAULT_WINDOW);
    }
    callsInWindow++;
    lastRemaining = left;
    long usedByAll = Math.max(callsInWindow, limitPerMinute - left);
    double share = Math.min(1.0, (double) callsInWindow / usedByAll);
    double mine = left * share;
    tokens = Math.min(tokens, mine);
    double secondsLeft = Math.max(1, Duration.between(now, windowEndsAt).toMillis() / 1000.0);
    ratePerMinute = Math.max(1, Math.min(limitPerMinute, mine / secondsLeft * 60));
    if (left <= 0) {
      pause(reset.isPresent() ? Duration.ofSeconds(reset.getAsLong())
          : Duration.between(now, windowEndsAt));
    }
  }

  /**
   * Zendesk refused a call for this limit although the bucket allowed it: someone else shares
   * it (another instance exporting). Halves the pace; successes win it back.
   */
  public synchronized void throttled() {
    refill(clock.instant());
    ratePerMinute = Math.max(1, ratePerMinute / 2);
    tokens = Math.min(tokens, 0);
  }

  /**
   * A call went through: a twentieth more pace, up to the limit, unless Zendesk reports the
   * limit's use in headers (which then set the pace).
   */
  public synchronized void succeeded() {
    if (!reported) {
      ratePerMinute = Math.min(limitPerMinute, ratePerMinute * 1.05);
    }
  }

  /** The pace the bucket refills at now, in calls per minute. */
  public synchronized double pace() {
    return ratePerMinute;
  }

  /** The current calls-per-minute budget. */
  public synchronized int limitPerMinute() {
    return limitPerMinute;
  }

  private static OptionalLong first(HttpHeaders headers, String name, String fallback) {
    OptionalLong value = number(headers, name);
    return value.isPresent() ? value : number(headers, fallback);
  }

  static OptionalLong number(HttpHeaders headers, String name) {
    return headers.firstValue(name).map(String::strip).filter(v -> v.matches("\\d{1,12}"))
        .map(v -> OptionalLong.of(Long.parseLong(v))).orElse(OptionalLong.empty());
  }
}
