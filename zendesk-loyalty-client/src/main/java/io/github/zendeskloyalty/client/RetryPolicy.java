package io.github.zendeskloyalty.client;

import io.github.zendeskloyalty.client.internal.ExponentialBackoff;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How retryable failures are retried: 429, 500, 502, 503, 504, {@code TooManyJobs}, connection
 * resets and timeouts. 400, 401, 403, 404 and 422 are never retried. A {@code Retry-After} from
 * Zendesk is always waited out; the policy decides the backoff otherwise, how many attempts a
 * call gets and the overall deadline.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.exponentialBackoff(
 *     Duration.ofMillis(200), Duration.ofSeconds(20), 8, Duration.ofMinutes(5));
 * ZendeskLoyaltySync.builder().retryPolicy(policy) ...
 * }</pre>
 */
public interface RetryPolicy {

  /** Default first backoff: 500 ms. */
  Duration DEFAULT_BASE_DELAY = Duration.ofMillis(500);
  /** Default longest backoff: 30 s. */
  Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(30);
  /** Default attempts per call, the first included: 6. */
  int DEFAULT_MAX_ATTEMPTS = 6;
  /** Default time a call may take over all its attempts: 2 minutes. */
  Duration DEFAULT_DEADLINE = Duration.ofMinutes(2);

  /** How many attempts a call gets in all, the first included; at least 1. */
  int maxAttempts();

  /** How long a call may take from its first attempt; no retry starts that would end later. */
  Duration deadline();

  /**
   * The wait before retry number {@code retry} (1 for the first retry).
   *
   * @param random the jitter source configured on the SDK
   */
  Duration backoff(int retry, RandomGenerator random);

  /** Exponential backoff with the defaults above. */
  static RetryPolicy defaults() {
    return exponentialBackoff(DEFAULT_BASE_DELAY, DEFAULT_MAX_DELAY, DEFAULT_MAX_ATTEMPTS,
        DEFAULT_DEADLINE);
  }

  /**
   * Exponential backoff with jitter: retry {@code n} waits a random time between half and all
   * of {@code min(maxDelay, baseDelay * 2^(n-1))}.
   *
   * @throws IllegalArgumentException when a duration is not positive, {@code maxDelay} is below
   *     {@code baseDelay}, or {@code maxAttempts} is below 1
   */
  static RetryPolicy exponentialBackoff(Duration baseDelay, Duration maxDelay, int maxAttempts,
      Duration deadline) {
    return new ExponentialBackoff(baseDelay, maxDelay, maxAttempts, deadline);
  }

  /** No retries: every call gets one attempt. Zendesk's {@code Retry-After} is still honoured by later calls. */
  static RetryPolicy none() {
    return new ExponentialBackoff(Duration.ofMillis(1), Duration.ofMillis(1), 1, DEFAULT_DEADLINE);
  }
}
