package io.github.zendeskloyalty.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Zendesk kept answering "too many requests" (429, or {@code TooManyJobs}) after every retry the
 * retry policy allowed, or asked to wait past the retry deadline. Send later or raise the
 * deadline; {@link #retryAfter()} says how long Zendesk asked to wait, when it said.
 *
 * <pre>{@code
 * sync.onPointsChanged(member, SyncTrigger.POINTS_AWARDED).exceptionally(failure -> {
 *   if (failure instanceof ZendeskRateLimitException limited) {
 *     requeue(member, limited.retryAfter().orElse(Duration.ofMinutes(1)));
 *   }
 *   return null;
 * });
 * }</pre>
 */
public class ZendeskRateLimitException extends ZendeskException {

  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  /**
   * Creates the exception; the SDK raises these, tests may build them.
   *
   * @param message what happened and what to do
   * @param answer what Zendesk answered, or {@link ZendeskException.Answer#NONE}
   * @param retryAfter how long Zendesk asked to wait ({@code Retry-After}), or {@code null}
   * @param cause the underlying failure, or {@code null}
   */
  public ZendeskRateLimitException(String message, Answer answer, Duration retryAfter,
      Throwable cause) {
    super(message, answer, cause);
    this.retryAfter = retryAfter;
  }

  /**
   * Creates the exception from the parts of Zendesk's answer, without a {@code Retry-After};
   * the same as the constructor taking an {@link ZendeskException.Answer}.
   *
   * @param message what happened and what to do
   * @param status the HTTP status (429), or {@link #NO_STATUS}
   * @param errorCode Zendesk's error code, or {@code null}
   * @param details problems per field name
   * @param requestId Zendesk's request id, or {@code null}
   * @param cause the underlying failure, or {@code null}
   */
  public ZendeskRateLimitException(String message, int status, String errorCode,
      Map<String, List<String>> details, String requestId, Throwable cause) {
    this(message, new Answer(status, errorCode, details, requestId), null, cause);
  }

  /**
   * How long Zendesk asked to wait before the next call ({@code Retry-After} of its last
   * answer), or, when the SDK's own rate budget had no room before the retry deadline, how long
   * that room was away; empty when nobody said.
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
