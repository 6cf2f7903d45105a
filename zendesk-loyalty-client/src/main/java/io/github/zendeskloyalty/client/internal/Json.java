package io.github.zendeskloyalty.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;

/** The SDK's one JSON mapper. Not part of the API. */
final class Json {

  /** Writes BigDecimal as plain numbers and java.time values as ISO-8601 text. */
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private Json() {}

  /** Serialises a request body. */
  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("could not write a request body as JSON", e);
    }
  }

  /**
   * Parses a success body strictly: the whole text must be one JSON value.
   *
   * @return the value, or null when the body is empty, truncated or not JSON
   */
  public static JsonNode parseStrict(String body) {
    JsonNode node = parse(body);
    return node.isMissingNode() ? null : node;
  }

  /** Parses an error body; text that is not JSON gives a missing node. */
  public static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return MAPPER.readTree(body);
    } catch (JsonProcessingException notJson) {
      return MissingNode.getInstance();
    }
  }
}
