package io.github.zendeskloyalty.kafka;

/**
 * Why the Kafka intake dead-lettered a record. Bounded, so it can be a metric tag; the record's
 * {@code zendesk-loyalty.reason-code} header carries it, {@code zendesk-loyalty.reason} the
 * detail.
 *
 * <pre>{@code
 * if (deadLetter.reason() == DeadLetterReason.REJECTED_BY_ZENDESK) {
 *   alerts.raise("Zendesk refused member data: " + deadLetter.detail());
 * }
 * }</pre>
 */
public enum DeadLetterReason {
  /** The decoder could not turn the record into an event (not JSON, a bad value, no member). */
  UNDECODABLE,
  /** The record's key is not its member id, so its partition may not hold the member's order. */
  KEY_NOT_MEMBER_ID,
  /** The SDK refused the event at the call ({@code IllegalArgumentException}). */
  REFUSED,
  /** Zendesk refused the member for good (422, or an e-mail matching two users). */
  REJECTED_BY_ZENDESK
}
