package io.github.zendeskloyalty.client;

import java.util.List;
import java.util.Map;

/**
 * Zendesk rejected the data (400, 422, or a failed item of a bulk job). Retrying the same data will not help; {@link #details()} names the fields.
 *
 * <pre>{@code
 * try {
 *   sync.fields().ensure();
 * } catch (ZendeskValidationException e) {
 *   System.err.println(e.getMessage() + " status=" + e.status());
 * }
 * }</pre>
 */
public class ZendeskValidationException extends ZendeskException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception; the SDK raises these, tests may build them.
   *
   * @param message what happened and what to do
   * @param answer what Zendesk answered, or {@link ZendeskException.Answer#NONE}
   * @param cause the underlying failure, or {@code null}
   */
  public ZendeskValidationException(String message, Answer answer, Throwable cause) {
    super(message, answer, cause);
  }

  /**
   * Creates the exception from the parts of Zendesk's answer; the same as the constructor
   * taking an {@link ZendeskException.Answer}.
   *
   * @param message what happened and what to do
   * @param status the HTTP status (400 or 422), or {@link #NO_STATUS}
   * @param errorCode Zendesk's error code, or {@code null}
   * @param details problems per field name
   * @param requestId Zendesk's request id, or {@code null}
   * @param cause the underlying failure, or {@code null}
   */
  public ZendeskValidationException(String message, int status, String errorCode,
      Map<String, List<String>> details, String requestId, Throwable cause) {
    super(message, status, errorCode, details, requestId, cause);
  }
}
