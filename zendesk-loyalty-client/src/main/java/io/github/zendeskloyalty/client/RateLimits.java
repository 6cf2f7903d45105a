package io.github.zendeskloyalty.client;

import java.time.Duration;
import java.util.Objects;

/**
 * The SDK's share of the Zendesk account's rate limits. Zendesk's own per-endpoint limits (one
 * single-user write per second per account, five per minute per user) always apply on top.
 *
 * <pre>{@code
 * RateLimits limits = RateLimits.defaults().toBuilder()
 *     .requestsPerMinute(600)     // an Enterprise account (700/min) shared with one small app
 *     .maxConcurrentJobs(20)
 *     .build();
 * }</pre>
 *
 * @param requestsPerMinute the client-side budget of calls per minute for this SDK; lowered
 *     automatically when Zendesk's {@code X-Rate-Limit} headers say the account has less
 * @param maxConcurrentJobs bulk jobs the SDK keeps queued or running at once, 1 to 30 (Zendesk
 *     allows 30 per account)
 * @param defaultRetryAfter the wait after a 429 that has no {@code Retry-After}; up to half of it
 *     again is added as jitter
 */
public record RateLimits(int requestsPerMinute, int maxConcurrentJobs, Duration defaultRetryAfter) {

  /** Default budget: 200 calls per minute, the limit of Zendesk's smallest plan. */
  public static final int DEFAULT_REQUESTS_PER_MINUTE = 200;
  /**
   * Default concurrent bulk jobs: 30, Zendesk's limit. Other integrations that start bulk jobs
   * on the account may then meet {@code TooManyJobs} (as the SDK does, which waits); lower it to
   * leave them room.
   */
  public static final int DEFAULT_MAX_CONCURRENT_JOBS = 30;
  /** Zendesk's limit on queued or running jobs per account. */
  public static final int ZENDESK_MAX_CONCURRENT_JOBS = 30;
  /** Default wait after a 429 without {@code Retry-After}: 10 s, plus jitter. */
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(10);

  /**
   * Validates the limits.
   *
   * @throws IllegalArgumentException naming the setting and its value when it is out of range
   */
  public RateLimits {
    if (requestsPerMinute < 1) {
      throw new IllegalArgumentException(
          "requestsPerMinute must be at least 1: " + requestsPerMinute);
    }
    if (maxConcurrentJobs < 1 || maxConcurrentJobs > ZENDESK_MAX_CONCURRENT_JOBS) {
      throw new IllegalArgumentException(
          "maxConcurrentJobs must be between 1 and 30: " + maxConcurrentJobs);
    }
    Objects.requireNonNull(defaultRetryAfter, "defaultRetryAfter");
    if (defaultRetryAfter.isNegative() || defaultRetryAfter.isZero()) {
      throw new IllegalArgumentException(
          "defaultRetryAfter must be positive: " + defaultRetryAfter);
    }
  }

  /** The defaults above. */
  public static RateLimits defaults() {
    return new RateLimits(DEFAULT_REQUESTS_PER_MINUTE, DEFAULT_MAX_CONCURRENT_JOBS,
        DEFAULT_RETRY_AFTER);
  }

  /** A builder holding these limits. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Changes some limits and keeps the others.
   *
   * <pre>{@code
   * RateLimits limits = RateLimits.defaults().toBuilder().requestsPerMinute(400).build();
   * }</pre>
   */
  public static final class Builder {
    private int requestsPerMinute;
    private int maxConcurrentJobs;
    private Duration defaultRetryAfter;

    private Builder(RateLimits from) {
      this.requestsPerMinute = from.requestsPerMinute;
      this.maxConcurrentJobs = from.maxConcurrentJobs;
      this.defaultRetryAfter = from.defaultRetryAfter;
    }

    /** Sets {@link RateLimits#requestsPerMinute()}. */
    public Builder requestsPerMinute(int requestsPerMinute) {
      this.requestsPerMinute = requestsPerMinute;
      return this;
    }

    /** Sets {@link RateLimits#maxConcurrentJobs()}. */
    public Builder maxConcurrentJobs(int maxConcurrentJobs) {
      this.maxConcurrentJobs = maxConcurrentJobs;
      return this;
    }

    /** Sets {@link RateLimits#defaultRetryAfter()}. */
    public Builder defaultRetryAfter(Duration defaultRetryAfter) {
      this.defaultRetryAfter = defaultRetryAfter;
      return this;
    }

    /** Builds and validates the limits. */
    public RateLimits build() {
      return new RateLimits(requestsPerMinute, maxConcurrentJobs, defaultRetryAfter);
    }
  }
}
