package io.github.zendeskloyalty.client.internal;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads what a call needs from a 2xx answer, and refuses an answer without it: a 2xx is a
 * success only when its body holds what the call needs. Not part of the API.
 *
 * @param <T> what the call needs
 */
@FunctionalInterface
interface AnswerReader<T> {

  /**
   * Reads the answer.
   *
   * @param status the 2xx status
   * @param body the parsed JSON body
   * @throws Malformed naming what the body lacks
   */
  T read(int status, JsonNode body);

  /** Any JSON body will do; for calls whose answer is not used. */
  static AnswerReader<JsonNode> anyJson() {
    return (status, body) -> body;
  }

  /** The object at {@code field}, which must be a JSON object. */
  static JsonNode object(JsonNode body, String field) {
    JsonNode value = body.path(field);
    if (!value.isObject()) {
      throw new Malformed("no '" + field + "' object");
    }
    return value;
  }

  /** The array at {@code field}, which must be a JSON array. */
  static JsonNode array(JsonNode body, String field) {
    JsonNode value = body.path(field);
    if (!value.isArray()) {
      throw new Malformed("no '" + field + "' array");
    }
    return value;
  }

  /** The positive integral id at {@code field} of {@code node}. */
  static long id(JsonNode node, String what) {
    JsonNode id = node.path("id");
    if (!id.isIntegralNumber() || !id.canConvertToLong() || id.asLong() <= 0) {
      throw new Malformed("no numeric id in " + what);
    }
    return id.asLong();
  }

  /** The non-blank text at {@code field} of {@code node}. */
  static String text(JsonNode node, String field, String what) {
    JsonNode value = node.path(field);
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new Malformed("no '" + field + "' in " + what);
    }
    return value.asText();
  }

  /** A 2xx body that lacks what the call needs. */
  final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Names what is missing, for example {@code "no 'user' object"}. */
    public Malformed(String missing) {
      super(missing, null, false, false);
    }
  }
}
