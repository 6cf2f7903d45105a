package io.github.zendeskloyalty.client;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Zendesk did not accept a call, or the SDK could not deliver it. The root of the SDK's
 * exceptions; subclasses say what the caller can do differently.
 *
 * <pre>{@code
 * sync.onPointsChanged(member, SyncTrigger.POINTS_AWARDED).exceptionally(failure -> {
 *   // the future fails with the exception itself; a dependent stage may see it wrapped
 *   Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
 *   if (cause instanceof ZendeskValidationException invalid) {
 *     log.warn("fix the field definitions: " + invalid.details());
 *   }
 *   return null;
 * });
 * }</pre>
 *
 * <p>Messages carry the HTTP status, Zendesk's error code and request id, never a credential and
 * never a whole response body.
 */
public class ZendeskException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The status used when no HTTP response was involved. */
  public static final int NO_STATUS = 0;

  /**
   * What Zendesk answered to the failed call, as far as there was an answer.
   *
   * <pre>{@code
   * new ZendeskValidationException("bad value", new ZendeskException.Answer(422, "RecordInvalid",
   *     Map.of("email", List.of("is invalid")), "req-1"), null);
   * }</pre>
   *
   * @param status the HTTP status, or {@link #NO_STATUS}
   * @param errorCode Zendesk's error code such as {@code "RecordInvalid"}, or {@code null}
   * @param details problems per field name, empty when Zendesk gave none
   * @param requestId Zendesk's request id ({@code X-Request-Id}), or {@code null}
   */
  public record Answer(int status, String errorCode, Map<String, List<String>> details,
      String requestId) {

    /** No answer from Zendesk: a failure of the SDK's own, or of the network. */
    public static final Answer NONE = new Answer(NO_STATUS, null, Map.of(), null);

    /** Copies the details. */
    public Answer {
      details = Map.copyOf(Objects.requireNonNull(details, "details"));
    }

    /** An answer that said only its error code, such as a bulk job's {@code "failed"}. */
    public static Answer code(String errorCode) {
      return new Answer(NO_STATUS, errorCode, Map.of(), null);
    }
  }

  private final int status;
  private final String errorCode;
  private final transient Map<String, List<String>> details;
  private final String requestId;

  /**
   * Creates an exception; the SDK raises these, tests may build them.
   *
   * @param message what happened and what to do
   * @param answer what Zendesk answered, or {@link Answer#NONE}
   * @param cause the underlying failure, or {@code null}
   */
  public ZendeskException(String message, Answer answer, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    Objects.requireNonNull(answer, "answer");
    this.status = answer.status();
    this.errorCode = answer.errorCode();
    this.details = answer.details();
    this.requestId = answer.requestId();
  }

  /**
   * Creates an exception from the parts of Zendesk's answer; the same as
   * {@link #ZendeskException(String, Answer, Throwable)} with {@code new Answer(status,
   * errorCode, details, requestId)}.
   */
  public ZendeskException(String message, int status, String errorCode,
      Map<String, List<String>> details, String requestId, Throwable cause) {
    this(message, new Answer(status, errorCode, details, requestId), cause);
  }

  /** An exception with a message only, for failures that involve no Zendesk answer. */
  public ZendeskException(String message) {
    this(message, Answer.NONE, null);
  }

  /** The HTTP status of Zendesk's answer, or {@link #NO_STATUS} when there was none. */
  public int status() {
    return status;
  }

  /** Zendesk's error code, for example {@code "RecordInvalid"} or {@code "TooManyJobs"}. */
  public Optional<String> errorCode() {
    return Optional.ofNullable(errorCode);
  }

  /** Zendesk's problems per field, for example {@code {"email": ["is invalid"]}}. */
  public Map<String, List<String>> details() {
    return details == null ? Map.of() : details;
  }

  /** Zendesk's request id, to quote to Zendesk support. */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }
}
