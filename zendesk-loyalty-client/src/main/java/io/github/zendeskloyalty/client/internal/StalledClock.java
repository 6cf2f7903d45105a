package io.github.zendeskloyalty.client.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Notices members waiting for the max delay on a clock that does not move: with a test's manual
 * clock nothing sends them until {@code flush()}, {@code close()} or the clock is advanced, and a
 * test that waits on their future hangs in silence. Real time is read here only to say so once;
 * no decision of the SDK reads it. Used by the dispatcher alone. Not part of the API.
 */
final class StalledClock {

  /** How much real time members may wait on a clock that stands still before it is said. */
  static final Duration PATIENCE = Duration.ofSeconds(5);

  private final LongSupplier realNanos;
  private Instant standing;
  private long standingSince;
  private boolean said;

  /** Reads real time from {@code realNanos} ({@code System::nanoTime}). */
  StalledClock(LongSupplier realNanos) {
    this.realNanos = realNanos;
  }

  /**
   * Members wait for the max delay and the clock reads {@code now}: the warning to log, the first
   * time they have waited {@link #PATIENCE} of real time without the clock moving.
   */
  Optional<String> waiting(Instant now, int members, Duration maxDelay) {
    long real = realNanos.getAsLong();
    if (!now.equals(standing)) {
      standing = now;
      standingSince = real;
      return Optional.empty();
    }
    if (said || real - standingSince < PATIENCE.toNanos()) {
      return Optional.empty();
    }
    said = true;
    return Optional.of(members + " members have waited " + PATIENCE.toSeconds() + " s of real"
        + " time for the max delay (" + maxDelay.toMillis() + " ms) on the SDK's clock, which"
        + " has not moved: with a ManualClock, call sync.flush() or clock.advance(maxDelay) to"
        + " send them (a test waiting on their futures waits until close() otherwise)");
  }

  /** Nothing waits for the max delay: the next wait starts afresh. */
  void notWaiting() {
    standing = null;
  }
}
