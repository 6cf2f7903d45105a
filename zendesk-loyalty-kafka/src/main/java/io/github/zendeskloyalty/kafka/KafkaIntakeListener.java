package io.github.zendeskloyalty.kafka;

/**
 * What a Kafka intake does, for metrics and alerts ({@code ZendeskLoyaltyKafkaMetrics} in the
 * Micrometer module is one). Called on the intake's thread: return quickly. A listener that
 * throws is logged and ignored; it never stops the intake or unsettles a record.
 *
 * <pre>{@code
 * ZendeskLoyaltyKafkaConsumer.builder()
 *     ...
 *     .listener(new KafkaIntakeListener() {
 *       public void onDeadLettered(DeadLetter dead) {
 *         deadLetters.increment(dead.reason());
 *       }
 *     })
 *     .start();
 * }</pre>
 */
public interface KafkaIntakeListener {

  /** A record went to the dead-letter topic (it is settled; its offset may be committed). */
  default void onDeadLettered(DeadLetter deadLetter) {}

  /** The intake's lag, uncommitted records and paused partitions, about once a second. */
  default void onStatus(KafkaIntakeStatus status) {}
}
