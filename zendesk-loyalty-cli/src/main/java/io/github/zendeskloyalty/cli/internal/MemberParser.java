package io.github.zendeskloyalty.cli.internal;

import io.github.zendeskloyalty.core.LoyaltyAttribute;
import io.github.zendeskloyalty.core.LoyaltyMember;
import java.util.Map;

/**
 * Turns a row's values into a {@link LoyaltyMember}, or says which attribute of which line is
 * wrong and why. Numbers as written (decimals exact), dates as ISO-8601 instants, offset
 * date-times or plain dates (midnight UTC), the status by its wire text. Not part of the API.
 */
public final class MemberParser {

  /** A row that cannot become a member. */
  public record Rejected(int line, String attribute, String problem) {

    /** One line of the rejects file and the report. */
    public String describe() {
      return "line " + line + (attribute == null ? "" : ", " + attribute) + ": " + problem;
    }
  }

  /** A member, or why the row is rejected. */
  public record Parsed(LoyaltyMember member, Rejected rejected) {}

  private MemberParser() {}

  /** The seed key of a column or JSON name, or null when it names no attribute. */
  static String key(String name) {
    try {
      return SchemaFile.attribute(name).defaultKey();
    } catch (IllegalArgumentException notAnAttribute) {
      return null;
    }
  }

  /** Parses a row read from the file. */
  public static Parsed parse(MemberFile.Row row) {
    if (row.problem() != null) {
      return rejected(row.line(), row.attribute(), row.problem());
    }
    if (!row.values().containsKey(LoyaltyAttribute.MEMBER_ID.defaultKey())) {
      return rejected(row.line(), LoyaltyAttribute.MEMBER_ID.defaultKey(), "is required");
    }
    LoyaltyMember.Builder builder = LoyaltyMember.builder();
    for (Map.Entry<String, String> value : row.values().entrySet()) {
      LoyaltyAttribute attribute = SchemaFile.attribute(value.getKey());
      try {
        builder.set(attribute, value.getValue());
      } catch (RuntimeException wrong) {
        return rejected(row.line(), value.getKey(), "'" + shorten(value.getValue()) + "' "
            + wrong.getMessage());
      }
    }
    try {
      return new Parsed(builder.build(), null);
    } catch (IllegalArgumentException invalid) {
      return rejected(row.line(), null, invalid.getMessage());
    }
  }

  private static Parsed rejected(int line, String attribute, String problem) {
    return new Parsed(null, new Rejected(line, attribute, problem));
  }

  private static String shorten(String value) {
    return value.length() > 40 ? value.substring(0, 40) + "…" : value;
  }
}
