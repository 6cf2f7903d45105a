package io.github.zendeskloyalty.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zendeskloyalty.core.LoyaltyAttribute;
import io.github.zendeskloyalty.core.LoyaltyEvent;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;

/**
 * The SDK's event format on Kafka, version {@value #VERSION}: one JSON object a record, keyed by
 * the member id.
 *
 * <pre>
 * {"version": 1, "trigger": "POINTS_AWARDED", "occurredAt": "2026-11-24T10:15:30Z",
 *  "member": {"zrl_member_member_id": "M-1001", "email": "jane@example.com",
 *             "zrl_member_available_points": 1250.50, "zrl_member_loyalty_tier_name": "Gold",
 *             "zrl_member_last_modified_date": "2026-11-24T10:15:30Z"}}
 * </pre>
 *
 * <p>{@code member} holds any of the seed's 21 attribute keys (the same as the CLI's export
 * columns), numbers as JSON numbers or text, dates as ISO-8601 text; a missing or null key
 * leaves the attribute unset. A producer writes records with {@link #encode}:
 *
 * <pre>{@code
 * producer.send(new ProducerRecord<>("loyalty-events", member.memberId().getBytes(UTF_8),
 *     LoyaltyEventJson.encode(new LoyaltyEvent(SyncTrigger.POINTS_AWARDED, member, now))));
 * }</pre>
 */
public final class LoyaltyEventJson {

  /** The format's version, in every record's {@code version}. */
  public static final int VERSION = 1;

  private static final ObjectMapper JSON = mapper();
  /** A value longer than this is refused before it is parsed. */
  private static final int MAX_BYTES = 64 * 1024;

  private LoyaltyEventJson() {}

  /**
   * Decimals exactly as written: 1250.50 stays 1250.50. Jackson 2.15 replaced this factory
   * setting with a node feature; the setting still works there and is the one 2.13 has.
   */
  @SuppressWarnings("deprecation")
  private static ObjectMapper mapper() {
    return JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .nodeFactory(JsonNodeFactory.withExactBigDecimals(true)).build();
  }

  /** The decoder of this format. */
  public static LoyaltyEventDecoder decoder() {
    return (topic, key, value) -> decode(value);
  }

  /** A record's value for {@code event}. */
  public static byte[] encode(LoyaltyEvent event) {
    Objects.requireNonNull(event, "event");
    ObjectNode root = JSON.createObjectNode();
    root.put("version", VERSION);
    root.put("trigger", event.trigger().name());
    root.put("occurredAt", event.occurredAt().toString());
    ObjectNode member = root.putObject("member");
    for (LoyaltyAttribute attribute : LoyaltyAttribute.values()) {
      Object value = attribute.value(event.member());
      if (value instanceof BigDecimal decimal) {
        member.put(attribute.defaultKey(), decimal);
      } else if (value instanceof Long number) {
        member.put(attribute.defaultKey(), number);
      } else if (value != null) {
        member.put(attribute.defaultKey(), value.toString());
      }
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an event of plain values could not be written", e);
    }
  }

  private static LoyaltyEvent decode(byte[] value) {
    if (value == null) {
      throw new IllegalArgumentException("no value (a tombstone)");
    }
    if (value.length > MAX_BYTES) {
      throw new IllegalArgumentException("value of " + value.length + " bytes, more than "
          + MAX_BYTES);
    }
    JsonNode root;
    try {
      root = JSON.readTree(value);
    } catch (IOException notJson) {
      throw new IllegalArgumentException("value is not JSON");
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("value is not a JSON object");
    }
    if (root.path("version").asInt(-1) != VERSION) {
      throw new IllegalArgumentException("version is " + root.path("version")
          + ", this consumer reads version " + VERSION);
    }
    SyncTrigger trigger;
    try {
      trigger = SyncTrigger.valueOf(root.path("trigger").asText("").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException unknown) {
      throw new IllegalArgumentException("trigger is not one of POINTS_AWARDED, POINTS_DEDUCTED,"
          + " POINTS_REDEEMED, POINTS_EXPIRED, TIER_UPGRADED, TIER_DOWNGRADED");
    }
    Instant occurredAt;
    try {
      occurredAt = Instant.parse(root.path("occurredAt").asText(""));
    } catch (DateTimeParseException notATime) {
      throw new IllegalArgumentException("occurredAt is not an ISO-8601 instant");
    }
    JsonNode member = root.path("member");
    if (!member.isObject()) {
      throw new IllegalArgumentException("member is not a JSON object");
    }
    LoyaltyMember.Builder builder = LoyaltyMember.builder();
    for (Iterator<String> names = member.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      LoyaltyAttribute attribute = attribute(name);
      JsonNode node = member.get(name);
      if (node.isNull()) {
        continue;
      }
      if (node.isContainerNode()) {
        throw new IllegalArgumentException("member." + name + " must be one value");
      }
      String text = node.isNumber() ? plain(node.decimalValue()) : node.asText();
      try {
        builder.set(attribute, text);
      } catch (IllegalArgumentException wrong) {
        throw new IllegalArgumentException("member." + name + " " + wrong.getMessage());
      }
    }
    return new LoyaltyEvent(trigger, builder.build(), occurredAt);
  }

  private static LoyaltyAttribute attribute(String key) {
    for (LoyaltyAttribute attribute : LoyaltyAttribute.values()) {
      if (attribute.defaultKey().equals(key)) {
        return attribute;
      }
    }
    throw new IllegalArgumentException("member." + key + " is not one of the seed's attribute"
        + " keys");
  }

  /** A number as written, never expanded digit by digit when it is huge (the member refuses it). */
  private static String plain(BigDecimal value) {
    return Math.max(value.precision() - value.scale(), value.scale()) <= 64
        ? value.toPlainString() : value.toString();
  }
}
