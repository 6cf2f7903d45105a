package io.github.zendeskloyalty.client;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** Exponential backoff with "equal" jitter: what {@link RetryPolicy#builder()} builds. */
final class ExponentialBackoff implements RetryPolicy {

  private final Duration baseDelay;
  private final Duration maxDelay;
  private final int maxAttempts;
  private final Duration deadline;

  /** See {@link RetryPolicy#builder()}. */
  ExponentialBackoff(Duration baseDelay, Duration maxDelay, int maxAttempts,
      Duration deadline) {
    this.baseDelay = positive("baseDelay", baseDelay);
    this.maxDelay = positive("maxDelay", maxDelay);
    this.deadline = positive("deadline", deadline);
    if (maxDelay.compareTo(baseDelay) < 0) {
      throw new IllegalArgumentException(
          "maxDelay must not be below baseDelay (" + baseDelay + "): " + maxDelay);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
  }

  private static Duration positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
    return value;
  }

  @Override
  public int maxAttempts() {
    return maxAttempts;
  }

  @Override
  public Duration deadline() {
    return deadline;
  }

  @Override
  public Duration backoff(int retry, RandomGenerator random) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry must be at least 1: " + retry);
    }
    long base = baseDelay.toNanos();
    long cap = maxDelay.toNanos();
    int shift = Math.min(retry - 1, 40);
    long ceiling = base > (cap >> shift) ? cap : Math.min(cap, base << shift);
    long half = ceiling / 2;
    return Duration.ofNanos(half + (long) (random.nextDouble() * (ceiling - half)));
  }

  @Override
  public String toString() {
    return "RetryPolicy[base=" + baseDelay + ", max=" + maxDelay
        + ", maxAttempts=" + maxAttempts + ", deadline=" + deadline + "]";
  }
}
