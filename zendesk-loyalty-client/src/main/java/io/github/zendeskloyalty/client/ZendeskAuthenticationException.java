package io.github.zendeskloyalty.client;

import java.util.List;
import java.util.Map;

/**
 * Zendesk refused the credentials (401) or the permission (403). Retrying will not help: check the API token, that token access is enabled, and that the user is an admin where fields are created.
 *
 * <pre>{@code
 * try {
 *   sync.fields().ensure();
 * } catch (ZendeskAuthenticationException e) {
 *   System.err.println(e.getMessage() + " status=" + e.status());
 * }
 * }</pre>
 */
public class ZendeskAuthenticationException extends ZendeskException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception; the SDK raises these, tests may build them.
   *
   * @param message what happened and what to do
   * @param answer what Zendesk answered, or {@link ZendeskException.Answer#NONE}
   * @param cause the underlying failure, or {@code null}
   */
  public ZendeskAuthenticationException(String message, Answer answer, Throwable cause) {
    super(message, answer, cause);
  }

  /**
   * Creates the exception from the parts of Zendesk's answer; the same as the constructor
   * taking an {@link ZendeskException.Answer}.
   *
   * @param message what happened and what to do
   * @param status the HTTP status (401 or 403), or {@link #NO_STATUS}
   * @param errorCode Zendesk's error code, or {@code null}
   * @param details problems per field name
   * @param requestId Zendesk's request id, or {@code null}
   * @param cause the underlying failure, or {@code null}
   */
  public ZendeskAuthenticationException(String message, int status, String errorCode,
      Map<String, List<String>> details, String requestId, Throwable cause) {
    super(message, status, errorCode, details, requestId, cause);
  }
}
