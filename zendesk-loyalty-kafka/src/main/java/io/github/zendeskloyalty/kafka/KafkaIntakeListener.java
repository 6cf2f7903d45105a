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
 *
 *       public void onStopped(KafkaIntakeStatus status, Throwable cause) {
 *         pager.alert("loyalty intake stopped: " + status.problem().orElse(""));
 *       }
 *     })
 *     .start();
 * }</pre>
 */
public interface KafkaIntakeListener {

  /** A record went to the dead-letter topic (it is settled; its offset may be committed). */
  default void onDeadLettered(DeadLetter deadLetter) {}

  /**
   * The intake's state, lag, uncommitted records and paused partitions: about once a second,
   * and at once when its state changes.
   */
  default void onStatus(KafkaIntakeStatus status) {}

  /**
   * A partition is held for a reason an operator may have to act on (the dead-letter topic
   * cannot be written, say): its records wait, uncommitted, and the cause is retried with backoff.
   */
  default void onPartitionHeld(KafkaIntakeStatus.PartitionHold hold) {}

  /** The cause of a hold is gone: the partition reads and commits again. */
  default void onPartitionReleased(KafkaIntakeStatus.PartitionHold hold) {}

  /**
   * The intake's loop stopped on a failure: nothing is read or committed until it restarts,
   * which it does with backoff ({@code status.problem()} says when, and what to do).
   */
  default void onStopped(KafkaIntakeStatus status, Throwable cause) {}
}
