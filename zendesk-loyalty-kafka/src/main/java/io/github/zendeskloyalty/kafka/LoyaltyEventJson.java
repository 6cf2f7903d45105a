package io.github.zendeskloyalty.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.zendeskloyalty.core.LoyaltyAttribute;
import io.github.zendeskloyalty.core.LoyaltyEvent;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

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

  private static final JsonFactory JSON = new JsonFactory();
  private static final LoyaltyAttribute[] ATTRIBUTES = LoyaltyAttribute.values();
  private static final Map<String, LoyaltyAttribute> BY_KEY = Arrays.stream(ATTRIBUTES)
      .collect(Collectors.toUnmodifiableMap(LoyaltyAttribute::defaultKey, attribute -> attribute));
  /** A value longer than this is refused before it is parsed. */
  private static final int MAX_BYTES = 64 * 1024;

  private LoyaltyEventJson() {}

  /** The decoder of this format. */
  public static LoyaltyEventDecoder decoder() {
    return (topic, key, value) -> decode(value);
  }

  /** A record's value for {@code event}. */
  public static byte[] encode(LoyaltyEvent event) {
    Objects.requireNonNull(event, "event");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    try (JsonGenerator json = JSON.createGenerator(bytes)) {
      json.writeStartObject();
      json.writeNumberField("version", VERSION);
      json.writeStringField("trigger", event.trigger().name());
      json.writeStringField("occurredAt", event.occurredAt().toString());
      json.writeObjectFieldStart("member");
      for (LoyaltyAttribute attribute : ATTRIBUTES) {
        Object value = attribute.value(event.member());
        if (value instanceof BigDecimal decimal) {
          json.writeNumberField(attribute.defaultKey(), decimal); // exactly: 1250.50 stays
        } else if (value instanceof Long number) {
          json.writeNumberField(attribute.defaultKey(), number);
        } else if (value != null) {
          json.writeStringField(attribute.defaultKey(), value.toString());
        }
      }
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException inMemory) {
      throw new IllegalStateException("an event of plain values could not be written", inMemory);
    }
    return bytes.toByteArray();
  }

  private static LoyaltyEvent decode(byte[] value) {
    if (value == null) {
      throw new IllegalArgumentException("no value (a tombstone)");
    }
    if (value.length > MAX_BYTES) {
      throw new IllegalArgumentException("value of " + value.length + " bytes, more than "
          + MAX_BYTES);
    }
    Read read = new Read();
    try (JsonParser parser = JSON.createParser(value)) {
      read.event(parser);
    } catch (IOException notJson) {
      throw new IllegalArgumentException("value is not JSON");
    }
    return read.event();
  }

  /**
   * One record's values, read token by token (a tree of nodes costs more than the rest of the
   * intake); checked once the whole value has been read, so a value that is not JSON says so first.
   */
  private static final class Read {
    private boolean object;
    private String version = "missing";
    private String trigger = "";
    private String occurredAt = "";
    private boolean memberObject;
    private final String[] attributes = new String[ATTRIBUTES.length];
    private String unknownKey;
    private String notOneValue;

    void event(JsonParser parser) throws IOException {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return;
      }
      object = true;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken token = parser.nextToken();
        switch (name) {
          case "version" -> version = version(parser, token);
          case "trigger" -> trigger = scalar(parser, token);
          case "occurredAt" -> occurredAt = scalar(parser, token);
          case "member" -> member(parser, token);
          default -> parser.skipChildren();
        }
      }
    }

    private void member(JsonParser parser, JsonToken token) throws IOException {
      memberObject = token == JsonToken.START_OBJECT;
      if (!memberObject) {
        parser.skipChildren();
        return;
      }
      Arrays.fill(attributes, null);
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken valueToken = parser.nextToken();
        LoyaltyAttribute attribute = BY_KEY.get(name);
        if (attribute == null && unknownKey == null) {
          unknownKey = name;
        }
        if (valueToken.isStructStart()) {
          parser.skipChildren();
          notOneValue = notOneValue == null ? name : notOneValue;
        } else if (attribute != null) {
          attributes[attribute.ordinal()] = valueToken == JsonToken.VALUE_NULL ? null
              : valueToken.isNumeric() ? plain(parser.getDecimalValue()) : parser.getText();
        }
      }
    }

    /** "1" for 1, 1.0 or "1"; else the value as written, for the message. */
    private static String version(JsonParser parser, JsonToken token) throws IOException {
      if (token.isNumeric()) {
        return parser.getDecimalValue().compareTo(BigDecimal.ONE) == 0 ? "1" : parser.getText();
      }
      if (token == JsonToken.VALUE_STRING) {
        return parser.getText().equals("1") ? "1" : '"' + parser.getText() + '"';
      }
      return scalar(parser, token);
    }

    /** A scalar's text ("" for an object or array, as a tree's {@code asText} gives). */
    private static String scalar(JsonParser parser, JsonToken token) throws IOException {
      if (token.isStructStart()) {
        parser.skipChildren();
        return "";
      }
      return token == JsonToken.VALUE_NULL ? "" : parser.getText();
    }

    LoyaltyEvent event() {
      if (!object) {
        throw new IllegalArgumentException("value is not a JSON object");
      }
      if (!version.equals("1")) {
        throw new IllegalArgumentException("version is " + version
            + ", this consumer reads version " + VERSION);
      }
      SyncTrigger syncTrigger;
      try {
        syncTrigger = SyncTrigger.valueOf(trigger.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException unknown) {
        throw new IllegalArgumentException("trigger is not one of POINTS_AWARDED,"
            + " POINTS_DEDUCTED, POINTS_REDEEMED, POINTS_EXPIRED, TIER_UPGRADED, TIER_DOWNGRADED");
      }
      Instant at;
      try {
        at = LoyaltyEvent.parseInstant(occurredAt);
      } catch (IllegalArgumentException notATime) {
        throw new IllegalArgumentException("occurredAt is not an ISO-8601 instant");
      }
      if (!memberObject) {
        throw new IllegalArgumentException("member is not a JSON object");
      }
      if (unknownKey != null) {
        throw new IllegalArgumentException("member." + unknownKey + " is not one of the seed's"
            + " attribute keys");
      }
      if (notOneValue != null) {
        throw new IllegalArgumentException("member." + notOneValue + " must be one value");
      }
      LoyaltyMember.Builder builder = LoyaltyMember.builder();
      for (LoyaltyAttribute attribute : ATTRIBUTES) {
        String text = attributes[attribute.ordinal()];
        if (text != null) {
          try {
            builder.set(attribute, text);
          } catch (IllegalArgumentException wrong) {
            throw new IllegalArgumentException("member." + attribute.defaultKey() + " "
                + wrong.getMessage());
          }
        }
      }
      return new LoyaltyEvent(syncTrigger, builder.build(), at);
    }
  }

  private static String plain(BigDecimal value) {
    return Math.max(value.precision() - value.scale(), value.scale()) <= 64
        ? value.toPlainString() : value.toString();
  }
}
