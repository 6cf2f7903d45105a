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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns Zendesk's error answers, in every body shape Zendesk uses, into typed exceptions. Not
 * part of the API.
 */
public final class Failures {

  /** Zendesk's error code when an account has 30 jobs queued or running. */
  public static final String TOO_MANY_JOBS = "TooManyJobs";

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
   * @param note appended to the message, for example how many attempts were made; may be empty
   */
  public static ZendeskException fromResponse(ZendeskOperation operation, int status, String body,
      String requestId, String note) {
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
    message.append(advice(status, parsed.code()));
    if (!note.isEmpty()) {
      message.append(' ').append(note);
    }
    String text = message.toString();
    if (status == 401 || status == 403) {
      return new ZendeskAuthenticationException(text, status, parsed.code(), parsed.details(),
          requestId, null);
    }
    if (status == 429 || TOO_MANY_JOBS.equals(parsed.code())) {
      return new ZendeskRateLimitException(text, status, parsed.code(), parsed.details(),
          requestId, null);
    }
    if (status == 400 || status == 422) {
      return new ZendeskValidationException(text, status, parsed.code(), parsed.details(),
          requestId, null);
    }
    if (status >= 500) {
      return new ZendeskServerException(text, status, parsed.code(), parsed.details(), requestId,
          null);
    }
    return new ZendeskException(text, status, parsed.code(), parsed.details(), requestId, null);
  }

  private static String advice(int status, String code) {
    if (status == 401) {
      return ". Check the credentials: the email and API token, and that token access is enabled"
          + " in Admin Center.";
    }
    if (status == 403) {
      return ". The credential lacks permission for this call (creating fields needs an admin).";
    }
    if (status == 429 || TOO_MANY_JOBS.equals(code)) {
      return ". Zendesk's rate limit was reached.";
    }
    if (status == 400 || status == 422) {
      return ". Zendesk rejected the data; check the user field definitions (fields().verify()).";
    }
    if (status == 404) {
      return ". Check the subdomain or base URI.";
    }
    return ".";
  }

  /** A call that got no HTTP answer. */
  public static ZendeskTransportException transport(ZendeskOperation operation, IOException cause,
      String note) {
    String what = cause instanceof HttpTimeoutException ? "timed out" : "got no answer ("
        + cause.getClass().getSimpleName() + ")";
    return new ZendeskTransportException(operation.method() + ' ' + operation.pathTemplate() + ' '
        + what + ". Check the network and the base URI." + (note.isEmpty() ? "" : " " + note),
        ZendeskException.NO_STATUS, null, Map.of(), null, cause);
  }

  /** Whether a failure is worth another attempt. */
  public static boolean isRetryable(ZendeskException failure) {
    if (failure instanceof ZendeskTransportException
        || failure instanceof ZendeskRateLimitException) {
      return true;
    }
    int status = failure.status();
    return status == 500 || status == 502 || status == 503 || status == 504;
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
    details.properties().forEach(entry -> {
      List<String> problems = new ArrayList<>();
      JsonNode value = entry.getValue();
      if (value.isArray()) {
        for (JsonNode problem : value) {
          problems.add(Redactor.clean(problem.isObject() ? text(problem, "description")
              : problem.asText()));
        }
      } else {
        problems.add(Redactor.clean(value.isObject() ? text(value, "description") : value.asText()));
      }
      result.put(entry.getKey(), List.copyOf(problems));
    });
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
