package io.github.zendeskloyalty.client;

import java.util.List;
import java.util.Map;

/**
 * Zendesk kept answering "too many requests" (429, or {@code TooManyJobs}) after every retry the retry policy allowed. Send later or raise the deadline.
 *
 * <pre>{@code
 * try {
 *   sync.fields().ensure();
 * } catch (ZendeskRateLimitException e) {
 *   System.err.println(e.getMessage() + " status=" + e.status());
 * }
 * }</pre>
 */
public class ZendeskRateLimitException extends ZendeskException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception; the SDK raises these, tests may build them.
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
    super(message, status, errorCode, details, requestId, cause);
  }
}
