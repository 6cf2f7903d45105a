package io.github.zendeskloyalty.core;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
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
    Instant plain = plainUtc(text);
    if (plain != null) {
      return plain;
    }
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

  /**
   * The two shapes nearly every date comes in, {@code 2026-11-24T10:15:30[.fraction]Z} and
   * {@code 2026-11-24}, read without a formatter (which costs several times the rest of a
   * snapshot); null for anything else, which the formatters then read or refuse.
   */
  static Instant plainUtc(String text) {
    int length = text.length();
    boolean dateOnly = length == 10;
    if (!dateOnly && (length < 20 || length > 30 || text.charAt(length - 1) != 'Z'
        || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':'
        || length > 20 && (length == 21 || text.charAt(19) != '.'))) {
      return null;
    }
    if (text.charAt(4) != '-' || text.charAt(7) != '-') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31
        || day > YearMonth.of(year, month).lengthOfMonth()) {
      return null;
    }
    long seconds = LocalDate.of(year, month, day).toEpochDay() * 86_400L;
    if (dateOnly) {
      return Instant.ofEpochSecond(seconds);
    }
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    int fraction = length > 20 ? digits(text, 20, length - 1) : 0;
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
        || fraction < 0) {
      return null;
    }
    int nanos = fraction;
    for (int scale = length - 1 - 20; length > 20 && scale < 9; scale++) {
      nanos *= 10;
    }
    return Instant.ofEpochSecond(seconds + hour * 3600L + minute * 60L + second, nanos);
  }

  /** The decimal digits from {@code from} to {@code to} as a number; -1 if one is not a digit. */
  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
