package io.github.zendeskloyalty.core;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * One change in the loyalty platform: what happened, the member's state after it, and when.
 *
 * <pre>{@code
 * LoyaltyEvent event = new LoyaltyEvent(SyncTrigger.POINTS_AWARDED, member, Instant.now());
 * }</pre>
 *
 * @param trigger why the member changed
 * @param member the member's full state after the change
 * @param occurredAt when the change happened; orders snapshots of a member that carry no
 *     {@link LoyaltyMember#lastModifiedDate()}
 */
public record LoyaltyEvent(SyncTrigger trigger, LoyaltyMember member, Instant occurredAt) {

  /** Checks that no component is null. */
  public LoyaltyEvent {
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(member, "member");
    Objects.requireNonNull(occurredAt, "occurredAt");
  }

  /**
   * Reads an event's time as {@link Instant#parse} does, for decoders of events: the common
   * shape ({@code 2026-11-24T10:15:30Z}, with or without a fraction) is read without a
   * formatter, which would cost more than all of an event's other fields together.
   *
   * <pre>{@code
   * Instant at = LoyaltyEvent.parseInstant(json.get("occurredAt").asText());
   * }</pre>
   *
   * @throws IllegalArgumentException when the text is not an ISO-8601 instant; the message says
   *     so without repeating the text
   */
  public static Instant parseInstant(String text) {
    Objects.requireNonNull(text, "text");
    Instant plain = text.length() == 10 ? null : AttributeText.plainUtc(text); // 10: a date
    if (plain != null) {
      return plain;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notAnInstant) {
      throw new IllegalArgumentException("is not an ISO-8601 instant (2026-11-24T10:15:30Z)");
    }
  }
}
