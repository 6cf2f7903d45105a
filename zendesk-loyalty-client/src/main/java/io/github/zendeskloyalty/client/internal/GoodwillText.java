package io.github.zendeskloyalty.client.internal;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.util.Locale;

/**
 * What a goodwill note may show of what people typed: points read strictly, and agent or handler
 * text as one bounded line. Not part of the API.
 */
public final class GoodwillText {

  /** The decimals points are kept with; finer grants are refused. */
  public static final int POINTS_SCALE = 2;
  /** The longest agent or handler text a note shows, in characters. */
  public static final int MAX_REASON = 500;

  private GoodwillText() {}

  /** Points as the agent typed them: plain decimal, at most 12 digits and 2 decimals. */
  public static BigDecimal points(String typed) throws PointsRefused {
    String text = typed == null ? "" : typed.strip().replace(",", "");
    if (!text.matches("[+-]?[0-9]{1,12}(\\.[0-9]{1,12})?")) {
      throw new PointsRefused(quoted(typed == null ? "" : typed) + " is not a number of points"
          + " (digits, at most 12 before the point)");
    }
    BigDecimal points = new BigDecimal(text);
    if (points.stripTrailingZeros().scale() > POINTS_SCALE) {
      throw new PointsRefused(number(points) + " has more than " + POINTS_SCALE
          + " decimals, finer than points are kept");
    }
    return points;
  }

  /** Points that cannot be granted as written; the message is the agent's reason. */
  public static final class PointsRefused extends Exception {
    private static final long serialVersionUID = 1L;

    PointsRefused(String why) {
      super(why, null, false, false);
    }
  }

  /**
   * Agent or handler text as one line of a note: line breaks and control characters folded to
   * spaces, at most {@link #MAX_REASON} characters (cut with "…"). The note is sent as escaped
   * HTML, so markup shows as typed.
   */
  public static String text(String raw) {
    String folded = (raw == null ? "" : raw).codePoints()
        .map(c -> Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
            || Character.getType(c) == Character.PARAGRAPH_SEPARATOR ? ' ' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString().replaceAll(" {2,}", " ").strip();
    if (folded.codePointCount(0, folded.length()) <= MAX_REASON) {
      return folded;
    }
    return folded.substring(0, folded.offsetByCodePoints(0, MAX_REASON - 1)) + "…";
  }

  /** {@link #text} between typographic quotes. */
  public static String quoted(String raw) {
    return "\u201c" + text(raw) + "\u201d";
  }
  /** A number of points as a note shows it: grouped, at most the kept decimals. */
  public static String number(BigDecimal value) {
    NumberFormat format = NumberFormat.getNumberInstance(Locale.US);
    format.setMaximumFractionDigits(POINTS_SCALE);
    return format.format(value);
  }
}
