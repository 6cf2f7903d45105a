package io.github.zendeskloyalty.core;

import java.util.Objects;

/**
 * The types of Zendesk custom user fields, with the names the Zendesk API uses.
 *
 * <pre>{@code
 * ZendeskFieldType.fromApiName("decimal"); // DECIMAL
 * ZendeskFieldType.INTEGER.apiName();      // "integer"
 * }</pre>
 */
public enum ZendeskFieldType {
  /** A single line of text; Zendesk's default. */
  TEXT("text"),
  /** Several lines of text. */
  TEXTAREA("textarea"),
  /** A boolean. */
  CHECKBOX("checkbox"),
  /** A calendar date, written as {@code YYYY-MM-DD}. */
  DATE("date"),
  /** A whole number. */
  INTEGER("integer"),
  /** A number with a fractional part. */
  DECIMAL("decimal"),
  /** Text that must match a regular expression. */
  REGEXP("regexp"),
  /** One value out of a list of options. */
  DROPDOWN("dropdown"),
  /** A reference to another Zendesk record. */
  LOOKUP("lookup"),
  /** Several values out of a list of options. */
  MULTISELECT("multiselect");

  private final String apiName;

  ZendeskFieldType(String apiName) {
    this.apiName = apiName;
  }

  /** The type's name in the Zendesk API, for example {@code "integer"}. */
  public String apiName() {
    return apiName;
  }

  /**
   * The type with the given API name.
   *
   * @throws IllegalArgumentException naming the text when Zendesk has no such type
   */
  public static ZendeskFieldType fromApiName(String apiName) {
    Objects.requireNonNull(apiName, "apiName");
    for (ZendeskFieldType type : values()) {
      if (type.apiName.equals(apiName)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown Zendesk user field type: '" + apiName + "'");
  }
}
