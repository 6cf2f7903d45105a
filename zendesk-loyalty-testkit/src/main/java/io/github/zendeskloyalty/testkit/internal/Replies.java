package io.github.zendeskloyalty.testkit.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON of the fake: one mapper that keeps decimals exact, and Zendesk's error shapes. Not
 * part of the API.
 */
final class Replies {

  /** Reads and writes JSON, decimals as exact {@code BigDecimal}s written without exponents. */
  static final ObjectMapper JSON = JsonMapper.builder()
      .nodeFactory(new JsonNodeFactory(true))
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
      .build();
  static final JsonNodeFactory NODES = new JsonNodeFactory(true);

  private Replies() {}

  static Reply ok(int status, JsonNode body) {
    try {
      return Reply.json(status, JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code {"error": code, "description": ...}}, as 401, 403, 404 and TooManyJobs come. */
  static Reply error(int status, String code, String description) {
    ObjectNode node = NODES.objectNode();
    node.put("error", code);
    node.put("description", description);
    return ok(status, node);
  }

  /** 422 RecordInvalid with Zendesk's per-field details. */
  static Reply invalid(Map<String, List<String>> problems) {
    ObjectNode node = NODES.objectNode();
    node.put("error", "RecordInvalid");
    node.put("description", "Record validation errors");
    ObjectNode details = node.putObject("details");
    problems.forEach((key, messages) -> {
      ArrayNode list = details.putArray(key);
      messages.forEach(message -> list.addObject().put("description", message));
    });
    return ok(422, node);
  }

  /** 400 in the newer input validation's shape. */
  static Reply invalidAttribute(String message) {
    ObjectNode node = NODES.objectNode();
    ObjectNode error = node.putObject("error");
    error.put("title", "Invalid attribute");
    error.put("message", message);
    return ok(400, node);
  }

  /** 400 in the shape of the cursor-paginated endpoints. */
  static Reply invalidPagination(String detail) {
    ObjectNode node = NODES.objectNode();
    ObjectNode error = node.putArray("errors").addObject();
    error.put("code", "InvalidPaginationParameter");
    error.put("title", "Invalid pagination parameter");
    error.put("detail", detail);
    return ok(400, node);
  }

  static Reply notFound() {
    return error(404, "RecordNotFound", "Not found");
  }

  static Reply tooMany(String what, int size, int limit) {
    return invalidAttribute("Too many " + what + ": " + size + " (at most " + limit + ")");
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** The comma-separated values of a query parameter, blanks dropped. */
  static List<String> split(String csv) {
    List<String> parts = new ArrayList<>();
    for (String part : csv.split(",")) {
      if (!part.isBlank()) {
        parts.add(part.strip());
      }
    }
    return parts;
  }

  /** A time as Zendesk writes it: whole seconds, {@code 2011-05-05T10:38:52Z}. */
  static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
