package io.github.zendeskloyalty.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hand-written readers of emails and dates agree with the definitions they replace, on
 * random and mutated text (60,000 dates each: java.time's refusals cost most of the time).
 */
class FastPathsTest {

  private static final Pattern EMAIL_SHAPE = Pattern.compile("[^\\s@]+@[^\\s@.]+(\\.[^\\s@.]+)+");
  private static final String EMAIL_ALPHABET = "ab.@ \t\n\u000B\f\r+-é";
  private static final String DATE_ALPHABET = "0123456789-T:.Z+ ";

  @Test
  void theEmailCheckAgreesWithTheExpressionOnRandomText() {
    Random random = new Random(7);
    List<String> disagreeing = new ArrayList<>();
    for (int i = 0; i < 200_000; i++) {
      String text = random(random, EMAIL_ALPHABET, 1 + random.nextInt(12));
      if (LoyaltyMember.emailShaped(text) != EMAIL_SHAPE.matcher(text).matches()) {
        disagreeing.add(text);
      }
    }
    assertThat(disagreeing).isEmpty();
    for (String text : new String[] {"a@b.c", "a@b", "@b.c", "a@.b.c", "a@b..c", "a@b.c.",
        "a b@c.d", "a@b@c.d", "first.last+tag@mail.example.co.uk", "a.@b.c"}) {
      assertThat(LoyaltyMember.emailShaped(text)).as(text)
          .isEqualTo(EMAIL_SHAPE.matcher(text).matches());
    }
  }

  @Test
  void theDateReaderAgreesWithJavaTimeOnRandomAndMutatedDates() {
    Random random = new Random(11);
    List<String> disagreeing = new ArrayList<>();
    for (int i = 0; i < 60_000; i++) {
      String text = switch (i % 3) {
        case 0 -> mutate(random, Instant.ofEpochSecond(random.nextLong(-62_000_000_000L,
            253_000_000_000L), random.nextInt(3) == 0 ? random.nextInt(1_000_000_000) : 0)
            .toString());
        case 1 -> mutate(random, LocalDate.ofEpochDay(random.nextInt(2_900_000)).toString());
        default -> random(random, DATE_ALPHABET, 8 + random.nextInt(24));
      };
      if (!read(() -> AttributeText.instant(text)).equals(read(() -> javaTime(text)))) {
        disagreeing.add(text);
      }
    }
    assertThat(disagreeing).isEmpty();
  }

  @Test
  void anEventsTimeIsReadAsInstantParseReadsIt() {
    Random random = new Random(13);
    List<String> disagreeing = new ArrayList<>();
    for (int i = 0; i < 60_000; i++) {
      String text = i % 2 == 0
          ? mutate(random, Instant.ofEpochSecond(random.nextLong(-62_000_000_000L,
              253_000_000_000L), random.nextInt(3) == 0 ? random.nextInt(1_000_000_000) : 0)
              .toString())
          : random(random, DATE_ALPHABET, 8 + random.nextInt(24));
      Object expected = read(() -> {
        try {
          return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
          throw new IllegalArgumentException(notAnInstant);
        }
      });
      if (!read(() -> LoyaltyEvent.parseInstant(text)).equals(expected)) {
        disagreeing.add(text);
      }
    }
    assertThat(disagreeing).isEmpty();
    assertThat(LoyaltyEvent.parseInstant("2026-11-24T10:15:30.5Z"))
        .isEqualTo(Instant.parse("2026-11-24T10:15:30.500Z"));
    assertThatThrownBy(() -> LoyaltyEvent.parseInstant("2026-11-24"))
        .hasMessage("is not an ISO-8601 instant (2026-11-24T10:15:30Z)");
  }

  @Test
  void theDateReaderReadsTheCommonShapesAndRefusesTheImpossibleOnes() {
    assertThat(AttributeText.plainUtc("2026-11-24T10:15:30.5Z"))
        .isEqualTo(Instant.parse("2026-11-24T10:15:30.500Z"));
    assertThat(AttributeText.plainUtc("2024-02-29")).isEqualTo(Instant.parse("2024-02-29T00:00:00Z"));
    assertThat(AttributeText.plainUtc("2026-02-29")).isNull();
    assertThat(AttributeText.plainUtc("2026-11-24T24:00:00Z")).isNull();
    assertThat(AttributeText.plainUtc("2026-11-24T10:15:30+01:00")).isNull();
    assertThatThrownBy(() -> AttributeText.instant("2026-02-29"))
        .hasMessageStartingWith("is not a date");
  }

  /** What {@link AttributeText#instant} read before it had a fast path. */
  private static Instant javaTime(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notAnInstant) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException notOffset) {
        try {
          return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notADate) {
          throw new IllegalArgumentException("is not a date");
        }
      }
    }
  }

  private static Object read(java.util.function.Supplier<Instant> reader) {
    try {
      return reader.get();
    } catch (IllegalArgumentException refused) {
      return "refused";
    }
  }

  private static String mutate(Random random, String text) {
    if (random.nextBoolean()) {
      return text;
    }
    char[] chars = text.toCharArray();
    chars[random.nextInt(chars.length)] = DATE_ALPHABET.charAt(
        random.nextInt(DATE_ALPHABET.length()));
    return new String(chars);
  }

  private static String random(Random random, String alphabet, int length) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }
}
