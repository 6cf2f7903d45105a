package io.github.zendeskloyalty.cli.internal;

import io.github.zendeskloyalty.core.LoyaltyAttribute;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.MemberStatus;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
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
        set(builder, attribute, value.getValue().strip());
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

  private static void set(LoyaltyMember.Builder builder, LoyaltyAttribute attribute,
      String text) {
    switch (attribute) {
      case MEMBER_ID -> builder.memberId(text);
      case AVAILABLE_POINTS -> builder.availablePoints(decimal(text));
      case MEMBER_STATUS -> builder.status(status(text));
      case NUMBER_OF_PURCHASES -> builder.numberOfPurchases(whole(text));
      case NUMBER_OF_REDEMPTIONS -> builder.numberOfRedemptions(whole(text));
      case ENROLLMENT_DATE -> builder.enrollmentDate(instant(text));
      case LAST_MODIFIED_DATE -> builder.lastModifiedDate(instant(text));
      case LIFETIME_POINTS_EARNED -> builder.lifetimePointsEarned(decimal(text));
      case LIFETIME_POINTS_EXPIRED -> builder.lifetimePointsExpired(decimal(text));
      case LIFETIME_POINTS_REDEEMED -> builder.lifetimePointsRedeemed(decimal(text));
      case LIFETIME_POINTS_DEDUCTED -> builder.lifetimePointsDeducted(decimal(text));
      case REFERRAL_URL -> builder.referralUrl(url(text));
      case FIRST_NAME -> builder.firstName(text);
      case EMAIL -> builder.email(text);
      case PHONE -> builder.phone(text);
      case LAST_NAME -> builder.lastName(text);
      case FIRST_PURCHASE_DATE -> builder.firstPurchaseDate(instant(text));
      case LAST_PURCHASE_DATE -> builder.lastPurchaseDate(instant(text));
      case LOYALTY_TIER_NAME -> builder.loyaltyTierName(text);
      case LOYALTY_TIER_ID -> builder.loyaltyTierId(text);
      case QUALIFIED_POINTS -> builder.qualifiedPoints(decimal(text));
    }
  }

  private static BigDecimal decimal(String text) {
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("is not a number");
    }
  }

  private static long whole(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("is not a whole number");
    }
  }

  private static MemberStatus status(String text) {
    try {
      return MemberStatus.fromWireText(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not a member status (active, blocked, deleted,"
          + " opted_out)");
    }
  }

  private static URI url(String text) {
    try {
      return URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not a URL");
    }
  }

  /** An ISO-8601 instant, an offset date-time, or a date (midnight UTC). */
  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notAnInstant) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException notOffset) {
        try {
          return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notADate) {
          throw new IllegalArgumentException("is not a date (2026-11-24 or"
              + " 2026-11-24T10:15:30Z)");
        }
      }
    }
  }
}
