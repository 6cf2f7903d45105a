package io.github.zendeskloyalty.kafka;

/**
 * Where a Kafka intake stands, published about once a second on its thread: read it from
 * {@link ZendeskLoyaltyKafkaConsumer#status()} or a {@link KafkaIntakeListener}.
 *
 * <pre>{@code
 * KafkaIntakeStatus status = intake.status();
 * if (status.lag() > 100_000) {
 *   alerts.raise("loyalty events are " + status.lag() + " records behind");
 * }
 * }</pre>
 *
 * @param lag records in the assigned partitions not yet read (the consumer group's lag as far
 *     as this consumer knows it)
 * @param uncommitted records read and not yet committed: with the SDK, waiting for a retry, or
 *     settled and waiting for the next commit; what a crash now would make the next owner read
 *     again
 * @param assignedPartitions partitions this consumer owns
 * @param pausedPartitions partitions paused: waiting to retry a record Zendesk could not take
 *     yet, or every partition while too many records are with the SDK
 */
public record KafkaIntakeStatus(long lag, long uncommitted, int assignedPartitions,
    int pausedPartitions) {

  /** Before the first poll: nothing assigned. */
  public static final KafkaIntakeStatus STARTING = new KafkaIntakeStatus(0, 0, 0, 0);
}
