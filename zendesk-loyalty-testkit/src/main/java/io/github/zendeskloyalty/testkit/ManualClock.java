package io.github.zendeskloyalty.testkit;

import io.github.zendeskloyalty.client.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock that moves only when told, and a {@link Sleeper} that moves it instead of sleeping.
 * Give the same instance to {@link FakeZendesk} and the SDK, and rate-limit waits take no real
 * time. Thread-safe.
 *
 * <pre>{@code
 * ManualClock time = new ManualClock();
 * FakeZendesk fake = FakeZendesk.builder().clock(time).start();
 * ZendeskLoyaltySync sync = ZendeskLoyaltySync.builder()
 *     .baseUri(fake.baseUri()).credentials(fake.credentials())
 *     .clock(time).sleeper(time).build();
 * }</pre>
 */
public final class ManualClock extends Clock implements Sleeper {

  /** Where a new clock starts: 2026-01-01T00:00:00Z. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private Instant now;
  private Duration slept = Duration.ZERO;

  /** A clock at {@link #DEFAULT_START}. */
  public ManualClock() {
    this(DEFAULT_START);
  }

  /** A clock at the given instant. */
  public ManualClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  /** Moves the clock forward. */
  public synchronized void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative: " + duration);
    }
    now = now.plus(duration);
  }

  /** Moves the clock forward instead of sleeping, and counts the time "slept". */
  @Override
  public synchronized void sleep(Duration duration) {
    if (!duration.isNegative()) {
      now = now.plus(duration);
      slept = slept.plus(duration);
    }
  }

  /** The total time callers "slept" on this clock. */
  public synchronized Duration slept() {
    return slept;
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
