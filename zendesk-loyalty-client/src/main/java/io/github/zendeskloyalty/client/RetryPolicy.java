package io.github.zendeskloyalty.client;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How retryable failures are retried: 429, 500, 502, 503, 504, {@code TooManyJobs}, a 2xx answer
 * without what the call needs, connection resets and timeouts. 400, 401, 403, 404 and 422 are
 * never retried. Waiting for a rate limit (a 429 or a 503 with {@code Retry-After}, or
 * {@code TooManyJobs}) does not use up attempts: it is waited out until the deadline. Other
 * failures count against {@link #maxAttempts()} and wait the policy's backoff.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *     .baseDelay(Duration.ofMillis(200))
 *     .maxDelay(Duration.ofSeconds(20))
 *     .maxAttempts(8)
 *     .deadline(Duration.ofMinutes(5))
 *     .build();
 * ZendeskLoyaltySync.builder().retryPolicy(policy) ...
 * }</pre>
 */
public interface RetryPolicy {

  /** Default first backoff: 500 ms. */
  Duration DEFAULT_BASE_DELAY = Duration.ofMillis(500);
  /** Default longest backoff: 30 s. */
  Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(30);
  /** Default attempts per call, the first included, not counting rate-limit waits: 6. */
  int DEFAULT_MAX_ATTEMPTS = 6;
  /** Default time a call may take over all its attempts and waits: 2 minutes. */
  Duration DEFAULT_DEADLINE = Duration.ofMinutes(2);

  /** How many failed attempts a call may make in all, the first included; at least 1. */
  int maxAttempts();

  /** How long a call may take from its first attempt; no wait starts that would end later. */
  Duration deadline();

  /**
   * The wait before retry number {@code retry} (1 for the first retry).
   *
   * @param random the jitter source configured on the SDK
   */
  Duration backoff(int retry, RandomGenerator random);

  /** Exponential backoff with the defaults above. */
  static RetryPolicy defaults() {
    return builder().build();
  }

  /** A builder of exponential backoff with jitter, starting from the defaults above. */
  static Builder builder() {
    return new Builder();
  }

  /** No retries: every call gets one attempt. Zendesk's {@code Retry-After} is still honoured by later calls. */
  static RetryPolicy none() {
    return builder().baseDelay(Duration.ofMillis(1)).maxDelay(Duration.ofMillis(1)).maxAttempts(1)
        .build();
  }

  /**
   * Exponential backoff with jitter: retry {@code n} waits a random time between half and all
   * of {@code min(maxDelay, baseDelay * 2^(n-1))}. Every setting has a default (the constants of
   * {@link RetryPolicy}).
   *
   * <pre>{@code
   * RetryPolicy patient = RetryPolicy.builder().deadline(Duration.ofMinutes(10)).build();
   * }</pre>
   */
  final class Builder {
    private Duration baseDelay = DEFAULT_BASE_DELAY;
    private Duration maxDelay = DEFAULT_MAX_DELAY;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration deadline = DEFAULT_DEADLINE;

    private Builder() {}

    /** The first backoff; default {@link RetryPolicy#DEFAULT_BASE_DELAY}. */
    public Builder baseDelay(Duration baseDelay) {
      this.baseDelay = Objects.requireNonNull(baseDelay, "baseDelay");
      return this;
    }

    /** The longest backoff; default {@link RetryPolicy#DEFAULT_MAX_DELAY}. */
    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
      return this;
    }

    /** Failed attempts per call, the first included; default {@value RetryPolicy#DEFAULT_MAX_ATTEMPTS}. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** The time a call may take over all attempts and waits; default {@link RetryPolicy#DEFAULT_DEADLINE}. */
    public Builder deadline(Duration deadline) {
      this.deadline = Objects.requireNonNull(deadline, "deadline");
      return this;
    }

    /**
     * Builds the policy.
     *
     * @throws IllegalArgumentException naming the setting when a duration is not positive,
     *     {@code maxDelay} is below {@code baseDelay}, or {@code maxAttempts} is below 1
     */
    public RetryPolicy build() {
      return new ExponentialBackoff(baseDelay, maxDelay, maxAttempts, deadline);
    }
  }
}
