package io.github.zendeskloyalty.core;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Attribute values from their text, for {@link LoyaltyMember.Builder#set}: each refuses text
 * that is not its kind with a message saying what it is not, without the text itself.
 */
final class AttributeText {

  private AttributeText() {}

  static BigDecimal decimal(String text) {
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("is not a number");
    }
  }

  static long whole(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("is not a whole number");
    }
  }

  static MemberStatus status(String text) {
    try {
      return MemberStatus.fromWireText(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not a member status (active, blocked, deleted,"
          + " opted_out)");
    }
  }

  static URI url(String text) {
    try {
      return URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not a URL");
    }
  }

  /** An ISO-8601 instant, an offset date-time, or a date (midnight UTC). */
  static Instant instant(String text) {
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
