package io.github.zendeskloyalty.core;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which member attributes are synced, under which Zendesk user-field keys and with which field
 * types. Immutable.
 *
 * <pre>{@code
 * FieldSchema schema = FieldSchema.standard().toBuilder()
 *     .exclude(LoyaltyAttribute.PHONE)
 *     .key(LoyaltyAttribute.EMAIL, "zrl_member_email")
 *     .type(LoyaltyAttribute.ENROLLMENT_DATE, ZendeskFieldType.DATE)
 *     .build();
 * Map<String, Object> userFields = schema.userFields(member);
 * }</pre>
 */
public final class FieldSchema {

  /** The earliest year a Zendesk {@code date} field holds. */
  public static final int MIN_DATE_YEAR = 1;
  /** The latest year a Zendesk {@code date} field holds ({@code YYYY-MM-DD}). */
  public static final int MAX_DATE_YEAR = 9999;

  private static final Pattern KEY_SHAPE = Pattern.compile("[A-Za-z0-9_]+");
  private static final Pattern ALL_DIGITS = Pattern.compile("[0-9]+");
  private static final FieldSchema STANDARD = builder().build();

  private final List<Field> fields;
  private final Map<LoyaltyAttribute, Field> byAttribute;

  private FieldSchema(List<Field> fields) {
    this.fields = List.copyOf(fields);
    Map<LoyaltyAttribute, Field> map = new EnumMap<>(LoyaltyAttribute.class);
    fields.forEach(field -> map.put(field.attribute(), field));
    this.byAttribute = Collections.unmodifiableMap(map);
  }

  /** All 21 attributes, under the seed's keys and with the seed's types. */
  public static FieldSchema standard() {
    return STANDARD;
  }

  /** A builder starting from the standard schema. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this schema's choices. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.included.clear();
    for (Field field : fields) {
      builder.included.add(field.attribute());
      builder.keys.put(field.attribute(), field.key());
      builder.types.put(field.attribute(), field.type());
    }
    return builder;
  }

  /** The synced fields, in the seed's order. */
  public List<Field> fields() {
    return fields;
  }

  /** The field an attribute is synced to, or empty when the schema excludes it. */
  public Optional<Field> field(LoyaltyAttribute attribute) {
    Objects.requireNonNull(attribute, "attribute");
    return Optional.ofNullable(byAttribute.get(attribute));
  }

  /**
   * The JSON-ready {@code user_fields} object for a member, keyed by field key, in the schema's
   * order. Numbers are {@link Long} or {@link BigDecimal}; dates are ISO-8601 text such as
   * {@code "2026-11-24T10:15:30Z"}, or {@code "2026-11-24"} (UTC) for a Zendesk {@code date}
   * field; a value the member does not know is {@code null}, so Zendesk clears stale data.
   * The map is unmodifiable and may hold {@code null} values.
   */
  public Map<String, Object> userFields(LoyaltyMember member) {
    Objects.requireNonNull(member, "member");
    Map<String, Object> values = new LinkedHashMap<>();
    for (Field field : fields) {
      values.put(field.key(), format(member, field));
    }
    return Collections.unmodifiableMap(values);
  }

  /**
   * Checks that every value of the member fits the field it is written to, so a member that
   * Zendesk could not store fails where it entered, not later in a batch with others. Today the
   * one such limit is a Zendesk {@code date} field, which holds {@code YYYY-MM-DD} with years
   * {@value #MIN_DATE_YEAR} to {@value #MAX_DATE_YEAR}.
   *
   * <pre>{@code
   * schema.check(member);   // throws before the member is queued
   * }</pre>
   *
   * @throws IllegalArgumentException naming the member, the attribute, the field and the value
   */
  public void check(LoyaltyMember member) {
    Objects.requireNonNull(member, "member");
    for (Field field : fields) {
      if (field.type() == ZendeskFieldType.DATE) {
        format(member, field);
      }
    }
  }

  private static Object format(LoyaltyMember member, Field field) {
    Object value = field.attribute().value(member);
    if (value == null) {
      return null;
    }
    switch (field.type()) {
      case INTEGER:
        return value;
      case DECIMAL:
        return value instanceof Long number ? BigDecimal.valueOf(number) : value;
      case DATE:
        return zendeskDate(member, field, (Instant) value);
      default:
        return value instanceof BigDecimal decimal ? decimal.toPlainString() : value.toString();
    }
  }

  private static String zendeskDate(LoyaltyMember member, Field field, Instant value) {
    int year;
    try {
      year = value.atOffset(ZoneOffset.UTC).getYear();
    } catch (DateTimeException outOfRange) {
      year = value.isBefore(Instant.EPOCH) ? Integer.MIN_VALUE : Integer.MAX_VALUE;
    }
    if (year < MIN_DATE_YEAR || year > MAX_DATE_YEAR) {
      throw new IllegalArgumentException(field.attribute() + " of member " + member.memberId()
          + " cannot be written to the Zendesk date field '" + field.key() + "': " + value
          + " is outside the years " + MIN_DATE_YEAR + " to " + MAX_DATE_YEAR
          + " that a date field holds (YYYY-MM-DD)");
    }
    return value.atOffset(ZoneOffset.UTC).toLocalDate().toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FieldSchema schema && schema.fields.equals(fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  @Override
  public String toString() {
    return "FieldSchema" + fields;
  }

  /**
   * One synced attribute: its Zendesk key and field type.
   *
   * <pre>{@code
   * Field field = FieldSchema.standard().field(LoyaltyAttribute.AVAILABLE_POINTS).orElseThrow();
   * field.key(); // "zrl_member_available_points"
   * }</pre>
   *
   * @param attribute the member attribute
   * @param key the Zendesk user-field key
   * @param type the Zendesk user-field type
   */
  public record Field(LoyaltyAttribute attribute, String key, ZendeskFieldType type) {

    /** Checks that no component is null. */
    public Field {
      Objects.requireNonNull(attribute, "attribute");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(type, "type");
    }

    /** The field title shown in Zendesk. */
    public String title() {
      return attribute.title();
    }

    /** The field description shown in Zendesk. */
    public String description() {
      return attribute.description();
    }
  }

  /**
   * Customises a schema: exclude attributes, rename keys, change field types.
   *
   * <pre>{@code
   * FieldSchema schema = FieldSchema.builder()
   *     .exclude(LoyaltyAttribute.PHONE, LoyaltyAttribute.EMAIL)
   *     .key(LoyaltyAttribute.FIRST_NAME, "zrl_member_first_name")
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private final List<LoyaltyAttribute> included = new ArrayList<>(List.of(LoyaltyAttribute.values()));
    private final Map<LoyaltyAttribute, String> keys = new EnumMap<>(LoyaltyAttribute.class);
    private final Map<LoyaltyAttribute, ZendeskFieldType> types =
        new EnumMap<>(LoyaltyAttribute.class);

    private Builder() {}

    /** Leaves the given attributes out of the schema. */
    public Builder exclude(LoyaltyAttribute... attributes) {
      for (LoyaltyAttribute attribute : attributes) {
        included.remove(Objects.requireNonNull(attribute, "attribute"));
      }
      return this;
    }

    /** Puts previously excluded attributes back into the schema, in the seed's order. */
    public Builder include(LoyaltyAttribute... attributes) {
      for (LoyaltyAttribute attribute : attributes) {
        Objects.requireNonNull(attribute, "attribute");
        if (!included.contains(attribute)) {
          included.add(attribute);
        }
      }
      included.sort(null);
      return this;
    }

    /**
     * Syncs an attribute under another Zendesk key.
     *
     * @throws IllegalArgumentException when the key breaks Zendesk's key rules: letters, digits
     *     and underscores only, not all digits
     */
    public Builder key(LoyaltyAttribute attribute, String key) {
      Objects.requireNonNull(attribute, "attribute");
      Objects.requireNonNull(key, "key");
      if (!KEY_SHAPE.matcher(key).matches()) {
        throw new IllegalArgumentException("key for " + attribute
            + " must contain only letters, digits and underscores: '" + key + "'");
      }
      if (ALL_DIGITS.matcher(key).matches()) {
        throw new IllegalArgumentException(
            "key for " + attribute + " must not be all digits: '" + key + "'");
      }
      keys.put(attribute, key);
      return this;
    }

    /**
     * Writes an attribute to a field of another type, for example a date to a Zendesk
     * {@code date} field.
     *
     * @throws IllegalArgumentException when the attribute's value cannot be written to that type
     *     (see {@link LoyaltyAttribute#supportedTypes()})
     */
    public Builder type(LoyaltyAttribute attribute, ZendeskFieldType type) {
      Objects.requireNonNull(attribute, "attribute");
      Objects.requireNonNull(type, "type");
      if (!attribute.supportedTypes().contains(type)) {
        throw new IllegalArgumentException("field type for " + attribute + " must be one of "
            + apiNames(attribute) + ": '" + type.apiName() + "'");
      }
      types.put(attribute, type);
      return this;
    }

    private static List<String> apiNames(LoyaltyAttribute attribute) {
      List<String> names = new ArrayList<>();
      for (ZendeskFieldType type : ZendeskFieldType.values()) {
        if (attribute.supportedTypes().contains(type)) {
          names.add(type.apiName());
        }
      }
      return names;
    }

    /**
     * Builds the schema.
     *
     * @throws IllegalArgumentException when no attribute is left or two attributes share a key
     *     (keys are compared ignoring case)
     */
    public FieldSchema build() {
      if (included.isEmpty()) {
        throw new IllegalArgumentException("schema must sync at least one attribute");
      }
      List<Field> fields = new ArrayList<>();
      Map<String, LoyaltyAttribute> owners = new HashMap<>();
      for (LoyaltyAttribute attribute : included) {
        String key = keys.getOrDefault(attribute, attribute.defaultKey());
        LoyaltyAttribute owner = owners.putIfAbsent(key.toLowerCase(Locale.ROOT), attribute);
        if (owner != null) {
          throw new IllegalArgumentException(
              "key must be unique, but " + owner + " and " + attribute + " both use '" + key + "'");
        }
        fields.add(new Field(attribute, key, types.getOrDefault(attribute, attribute.defaultType())));
      }
      return new FieldSchema(fields);
    }
  }
}
