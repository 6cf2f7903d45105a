package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.core.internal.Redaction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masks emails inside free text from Zendesk before it reaches a message or a log. */
final class Redactor {

  private static final Pattern EMAIL = Pattern.compile("[^\\s@\"'<>(),;:]+@[^\\s@\"'<>(),;:]+");
  private static final int MAX_TEXT = 200;

  private Redactor() {}

  /** The text on one line, emails masked, cut to 200 characters. */
  static String clean(String text) {
    if (text == null) {
      return "";
    }
    String oneLine = text.replaceAll("\\s+", " ").strip();
    Matcher matcher = EMAIL.matcher(oneLine);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(out, Matcher.quoteReplacement(Redaction.maskEmail(matcher.group())));
    }
    matcher.appendTail(out);
    return out.length() > MAX_TEXT ? out.substring(0, MAX_TEXT) + "…" : out.toString();
  }
}
