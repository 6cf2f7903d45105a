package io.github.zendeskloyalty.core;

import java.util.Locale;
import java.util.Objects;

/**
 * The state of a loyalty member, written to Zendesk as its wire text.
 *
 * <pre>{@code
 * MemberStatus status = MemberStatus.fromWireText("opted_out"); // OPTED_OUT
 * status.wireText();                                            // "opted_out"
 * }</pre>
 */
public enum MemberStatus {
  /** The member takes part in the program. */
  ACTIVE("active"),
  /** The member was blocked by the program (the seed calls it "block"). */
  BLOCKED("blocked"),
  /** The member was deleted from the program. */
  DELETED("deleted"),
  /** The member chose to leave the program. */
  OPTED_OUT("opted_out");

  private final String wireText;

  MemberStatus(String wireText) {
    this.wireText = wireText;
  }

  /** The text written into the Zendesk field, for example {@code "opted_out"}. */
  public String wireText() {
    return wireText;
  }

  /**
   * Parses a status as loyalty platforms write it. Case, spaces, hyphens and underscores are
   * ignored, and the seed's short form {@code "block"} is accepted.
   *
   * @throws IllegalArgumentException naming the text when it is no known status
   */
  public static MemberStatus fromWireText(String text) {
    Objects.requireNonNull(text, "text");
    String normalized = text.trim().toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
    if (normalized.equals("block")) {
      return BLOCKED;
    }
    for (MemberStatus status : values()) {
      if (status.wireText.equals(normalized)) {
        return status;
      }
    }
    throw new IllegalArgumentException(
        "member status must be one of active, blocked, deleted, opted_out: '" + text + "'");
  }
}
