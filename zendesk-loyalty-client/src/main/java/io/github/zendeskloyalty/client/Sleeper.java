package io.github.zendeskloyalty.client;

import java.time.Duration;

/**
 * Waits for a while: between retries, for {@code Retry-After}, for rate-limit budget. Tests
 * inject one that advances a fake clock instead of sleeping.
 *
 * <pre>{@code
 * Sleeper real = Sleeper.system();
 * Sleeper instant = duration -> fakeClock.advance(duration);
 * }</pre>
 */
@FunctionalInterface
public interface Sleeper {

  /** Waits for the given duration. */
  void sleep(Duration duration) throws InterruptedException;

  /** The sleeper that really waits, with {@link Thread#sleep(long, int)}. */
  static Sleeper system() {
    return duration -> {
      if (!duration.isNegative() && !duration.isZero()) {
        Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
      }
    };
  }
}
