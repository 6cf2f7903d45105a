package io.github.zendeskloyalty.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.zendeskloyalty.client.ZendeskAuthenticationException;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskOperation;
import io.github.zendeskloyalty.client.ZendeskRateLimitException;
import io.github.zendeskloyalty.client.ZendeskServerException;
import io.github.zendeskloyalty.client.ZendeskTransportException;
import io.github.zendeskloyalty.client.ZendeskValidationException;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns Zendesk's error answers, in every body shape Zendesk uses, into typed exceptions. Not
 * part of the API.
 */
final class Failures {

  /** Zendesk's error code when an account has 30 jobs queued or running. */
  public static final String TOO_MANY_JOBS = "TooManyJobs";
  /** The SDK's error code for a 2xx answer without what the call needs. */
  public static final String MALFORMED_ANSWER = "MalformedAnswer";

  private Failures() {}

  /** What an error answer said. */
  record Parsed(String code, String description, Map<String, List<String>> details) {}

  /**
   * The exception for an error answer.
   *
   * @param operation the call that failed
   * @param status the HTTP status
   * @param body the response body, JSON or not
   * @param requestId Zendesk's request id, or null
   * @param retryAfter how long Zendesk asked to wait, or null
   * @param note appended to the message, for example how many attempts were made; may be empty
   */
  public static ZendeskException fromResponse(ZendeskOperation operation, int status, String body,
      String requestId, Duration retryAfter, String note) {
    Parsed parsed = parse(body);
    StringBuilder message = new StringBuilder()
        .append(operation.method()).append(' ').append(operation.pathTemplate())
        .append(" failed: HTTP ").append(status);
    if (parsed.code() != null) {
      message.append(' ').append(parsed.code());
    }
    if (!parsed.description().isEmpty()) {
      message.append(": ").append(parsed.description());
    }
    parsed.details().forEach((field, problems) ->
        message.append("; ").append(field).append(' ').append(String.join(", ", problems)));
    if (requestId != null) {
      message.append(" (request id ").append(requestId).append(')');
    }
    message.append(advice(operation, status, parsed.code()));
    if (!note.isEmpty()) {
      message.append(' ').append(note);
    }
    String text = message.toString();
    ZendeskException.Answer answer = new ZendeskException.Answer(status, parsed.code(),
        parsed.details(), requestId);
    if (status == 401 || status == 403) {
      return new ZendeskAuthenticationException(text, answer, null);
    }
    if (status == 429 || TOO_MANY_JOBS.equals(parsed.code())) {
      return new ZendeskRateLimitException(text, answer, retryAfter, null);
    }
    if (status == 400 || status == 422) {
      return new ZendeskValidationException(text, answer, null);
    }
    if (status >= 500) {
      return new ZendeskServerException(text, answer, null);
    }
    return new ZendeskException(text, answer, null);
  }

  /**
   * What to do about it, chosen by the call as well as the status: a 422 on a user write is
   * about field values, on a search it is about the query.
   */
  private static String advice(ZendeskOperation operation, int status, String code) {
    if (status == 401) {
      return ". Check the credentials: for an API token, the email and token and that token access"
          + " is enabled in Admin Center; for OAuth, that the token was not revoked.";
    }
    if (status == 403) {
      return operation == ZendeskOperation.CREATE_USER_FIELD
          ? ". Creating user fields needs an admin's credentials."
          : ". The credentials lack permission for this call; check the user's role.";
    }
    if (status == 429 || TOO_MANY_JOBS.equals(code)) {
      return ". Zendesk's rate limit was reached.";
    }
    if (status == 400 || status == 422) {
      return switch (operation) {
        case CREATE_OR_UPDATE_USER, CREATE_OR_UPDATE_MANY_USERS, UPDATE_USER, UPDATE_MANY_USERS ->
            ". Zendesk rejected the data; check the user field definitions (fields().verify()).";
        case CREATE_USER_FIELD -> ". Zendesk rejected the field definition.";
        default -> ". Zendesk rejected the request.";
      };
    }
    if (status == 404) {
      return operation == ZendeskOperation.UPDATE_USER
          ? ". The user no longer exists in Zendesk."
          : ". Check the subdomain or base URI.";
    }
    if (status == 414) {
      return ". The request was too long for Zendesk.";
    }
    return ".";
  }

  /**
   * A 2xx answer without what the call needs: an HTML page, an empty or truncated body, JSON of
   * another shape. Retryable, like a 5xx; never a success.
   *
   * @param missing what the body lacks, for example {@code "no 'user' object"}
   */
  public static ZendeskServerException malformed(ZendeskOperation operation, int status,
      String missing, String body, String requestId, String note) {
    String excerpt = Redactor.clean(body);
    return new ZendeskServerException(operation.method() + ' ' + operation.pathTemplate()
        + " answered HTTP " + status + " without what the call needs (" + missing + "): "
        + (excerpt.isEmpty() ? "an empty body" : "'" + excerpt + "'")
        + (requestId == null ? "" : " (request id " + requestId + ")")
        + ". Nothing was taken from it; a proxy or Zendesk may have answered in error."
        + (note.isEmpty() ? "" : " " + note),
        status, MALFORMED_ANSWER, Map.of(), requestId, null);
  }

  /** A 4xx that says the request itself was wrong (not auth, not a limit): worth splitting. */
  static boolean isRequestProblem(ZendeskException failure) {
    int status = failure.status();
    return status == 400 || status == 413 || status == 414 || status == 422;
  }

  /**
   * A call not made because the wait for rate budget would end after the call's deadline.
   *
   * @param limit which limit holds the call, for example "the account's rate budget"
   */
  public static ZendeskRateLimitException noBudgetBeforeDeadline(ZendeskOperation operation,
      String limit, Duration wait, String note) {
    return new ZendeskRateLimitException(operation.method() + ' ' + operation.pathTemplate()
        + " was not sent: " + limit + " has no room for " + wait.toSeconds() + " s, past the"
        + " retry deadline. Zendesk's rate limit was reached." + (note.isEmpty() ? "" : " " + note),
        ZendeskException.Answer.NONE, wait, null);
  }

  /** A call that got no HTTP answer. */
  public static ZendeskTransportException transport(ZendeskOperation operation, IOException cause,
      String note) {
    String what = cause instanceof HttpTimeoutException ? "timed out" : "got no answer ("
        + cause.getClass().getSimpleName() + ")";
    return new ZendeskTransportException(operation.method() + ' ' + operation.pathTemplate() + ' '
        + what + ". Check the network and the base URI." + (note.isEmpty() ? "" : " " + note),
        ZendeskException.Answer.NONE, cause);
  }

  /** Whether a failure is worth another attempt. */
  public static boolean isRetryable(ZendeskException failure) {
    if (failure instanceof ZendeskTransportException
        || failure instanceof ZendeskRateLimitException) {
      return true;
    }
    int status = failure.status();
    return status == 500 || status == 502 || status == 503 || status == 504
        || (failure instanceof ZendeskServerException
            && MALFORMED_ANSWER.equals(failure.errorCode().orElse(null)));
  }

  static Parsed parse(String body) {
    JsonNode json = Json.parse(body);
    if (json.isObject()) {
      JsonNode error = json.get("error");
      if (error != null && error.isTextual()) {
        return new Parsed(error.asText(), Redactor.clean(text(json, "description")),
            details(json.get("details")));
      }
      if (error != null && error.isObject()) {
        return new Parsed(blankToNull(text(error, "title")), Redactor.clean(text(error, "message")),
            Map.of());
      }
      JsonNode errors = json.get("errors");
      if (errors != null && errors.isArray() && !errors.isEmpty()) {
        List<String> texts = new ArrayList<>();
        for (JsonNode item : errors) {
          String title = text(item, "title");
          String detail = text(item, "detail");
          texts.add(detail.isEmpty() ? title : title.isEmpty() ? detail : title + " - " + detail);
        }
        String code = blankToNull(text(errors.get(0), "code"));
        return new Parsed(code, Redactor.clean(String.join("; ", texts)), Map.of());
      }
      if (json.has("description")) {
        return new Parsed(null, Redactor.clean(text(json, "description")), Map.of());
      }
    }
    return new Parsed(null, Redactor.clean(json.isMissingNode() ? body : ""), Map.of());
  }

  private static Map<String, List<String>> details(JsonNode details) {
    if (details == null || !details.isObject()) {
      return Map.of();
    }
    Map<String, List<String>> result = new LinkedHashMap<>();
    for (Iterator<String> names = details.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      List<String> problems = new ArrayList<>();
      JsonNode value = details.get(field);
      if (value.isArray()) {
        for (JsonNode problem : value) {
          problems.add(Redactor.clean(problem.isObject() ? text(problem, "description")
              : problem.asText()));
        }
      } else {
        problems.add(Redactor.clean(value.isObject() ? text(value, "description") : value.asText()));
      }
      result.put(field, List.copyOf(problems));
    }
    return result;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || value.isNull() ? "" : value.asText();
  }

  private static String blankToNull(String text) {
    return text.isEmpty() ? null : text;
  }
}
