package io.github.zendeskloyalty.core.internal;

/**
 * Masks customer data before it reaches a log line or an exception message. Not part of the API.
 */
public final class Redaction {

  private Redaction() {}

  /**
   * Keeps the first character of the local part and the whole domain:
   * {@code "jane.doe@example.com"} becomes {@code "j***@example.com"}. Text that is not shaped
   * like an email keeps only its first character.
   */
  public static String maskEmail(String email) {
    if (email == null) {
      return "null";
    }
    if (email.isEmpty()) {
      return "";
    }
    int at = email.lastIndexOf('@');
    String first = email.substring(0, 1);
    if (at <= 0) {
      return first + "***";
    }
    return first + "***" + email.substring(at);
  }
}
