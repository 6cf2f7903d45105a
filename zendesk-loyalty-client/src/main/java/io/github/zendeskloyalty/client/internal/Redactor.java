package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.core.internal.Redaction;

/**
 * Masks emails inside free text from Zendesk before it reaches a message or a log. The text is
 * cut before it is scanned, and the scan is one pass, so a huge body (an HTML error page with an
 * inline image) costs no more than a short one. Not part of the API.
 */
final class Redactor {

  /** The longest text kept, after masking. */
  static final int MAX_TEXT = 200;
  /** The most characters of the input ever looked at. */
  static final int MAX_SCAN = 4 * MAX_TEXT;

  private Redactor() {}

  /** The text on one line, emails masked, cut to {@value #MAX_TEXT} characters. */
  static String clean(CharSequence text) {
    if (text == null) {
      return "";
    }
    boolean cut = text.length() > MAX_SCAN;
    String head = cut ? dropPartialToken(text.subSequence(0, MAX_SCAN).toString())
        : text.toString();
    String masked = maskEmails(oneLine(head));
    if (masked.length() > MAX_TEXT) {
      return masked.substring(0, MAX_TEXT) + "…";
    }
    return cut ? masked + "…" : masked;
  }

  /** Drops a token cut in the middle, which could be half an email. */
  private static String dropPartialToken(String head) {
    int end = head.length();
    while (end > 0 && !Character.isWhitespace(head.charAt(end - 1))) {
      end--;
    }
    return head.substring(0, end);
  }

  private static String oneLine(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean space = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        space = out.length() > 0;
      } else {
        if (space) {
          out.append(' ');
          space = false;
        }
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Masks every {@code local@domain}: a local part of RFC 5322 atom characters (apostrophes
   * included) or a quoted string, and a domain of letters, digits, dots and hyphens. Each
   * character is looked at a bounded number of times: the walk left from an {@code @} stops at
   * the previous {@code @} or masked email, the walk right at the first non-domain character.
   */
  static String maskEmails(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int emitted = 0;
    int i = 0;
    while (i < text.length()) {
      if (text.charAt(i) != '@') {
        i++;
        continue;
      }
      int start = localPartStart(text, i, emitted);
      int end = domainEnd(text, i + 1);
      if (start < i && end > i + 1) {
        out.append(text, emitted, start).append(Redaction.maskEmail(text.substring(start, end)));
        emitted = end;
        i = end;
      } else {
        i++;
      }
    }
    return out.append(text, emitted, text.length()).toString();
  }

  private static int localPartStart(String text, int at, int floor) {
    int j = at - 1;
    if (j > floor && text.charAt(j) == '"') {
      for (int k = j - 1; k >= floor && text.charAt(k) != '@'; k--) {
        if (text.charAt(k) == '"') {
          return k;
        }
      }
      return at;
    }
    while (j >= floor && isLocalChar(text.charAt(j))) {
      j--;
    }
    return j + 1;
  }

  private static int domainEnd(String text, int from) {
    int j = from;
    while (j < text.length() && isDomainChar(text.charAt(j))) {
      j++;
    }
    while (j > from && text.charAt(j - 1) == '.') {
      j--;
    }
    return j;
  }

  private static boolean isLocalChar(char c) {
    return Character.isLetterOrDigit(c) || "!#$%&'*+/=?^_`{|}~.-".indexOf(c) >= 0;
  }

  private static boolean isDomainChar(char c) {
    return Character.isLetterOrDigit(c) || c == '.' || c == '-';
  }
}
