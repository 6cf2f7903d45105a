package io.github.zendeskloyalty.client;

import java.util.List;
import java.util.Map;

/**
 * The call never got a Zendesk answer: connection refused or reset, timeout, TLS failure. Check the network and the base URI; the SDK already retried.
 *
 * <pre>{@code
 * try {
 *   sync.fields().ensure();
 * } catch (ZendeskTransportException e) {
 *   System.err.println(e.getMessage() + " status=" + e.status());
 * }
 * }</pre>
 */
public class ZendeskTransportException extends ZendeskException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception; the SDK raises these, tests may build them.
   *
   * @param message what happened and what to do
   * @param answer what Zendesk answered, or {@link ZendeskException.Answer#NONE}
   * @param cause the underlying failure, or {@code null}
   */
  public ZendeskTransportException(String message, Answer answer, Throwable cause) {
    super(message, answer, cause);
  }

  /**
   * Creates the exception from the parts of Zendesk's answer; the same as the constructor
   * taking an {@link ZendeskException.Answer}.
   *
   * @param message what happened and what to do
   * @param status the HTTP status (none), or {@link #NO_STATUS}
   * @param errorCode Zendesk's error code, or {@code null}
   * @param details problems per field name
   * @param requestId Zendesk's request id, or {@code null}
   * @param cause the underlying failure, or {@code null}
   */
  public ZendeskTransportException(String message, int status, String errorCode,
      Map<String, List<String>> details, String requestId, Throwable cause) {
    super(message, status, errorCode, details, requestId, cause);
  }
}
