package io.github.zendeskloyalty.kafka;

import java.util.Objects;

/**
 * A record the Kafka intake sent to the dead-letter topic, as a {@link KafkaIntakeListener}
 * sees it. The detail has e-mail addresses masked and never holds a credential.
 *
 * <pre>{@code
 * public void onDeadLettered(DeadLetter dead) {
 *   log.warn("{}-{}@{}: {}", dead.sourceTopic(), dead.sourcePartition(), dead.sourceOffset(),
 *       dead.detail());
 * }
 * }</pre>
 *
 * @param reason why, as a bounded code
 * @param detail why, in words (at most about 500 characters)
 * @param sourceTopic the topic the record was read from
 * @param sourcePartition its partition
 * @param sourceOffset its offset
 */
public record DeadLetter(DeadLetterReason reason, String detail, String sourceTopic,
    int sourcePartition, long sourceOffset) {

  /** Header of a dead-lettered record: why, in words (e-mails masked). */
  public static final String REASON_HEADER = "zendesk-loyalty.reason";
  /** Header of a dead-lettered record: why, as a {@link DeadLetterReason} name. */
  public static final String REASON_CODE_HEADER = "zendesk-loyalty.reason-code";
  /** Header of a dead-lettered record: the topic it was read from. */
  public static final String SOURCE_TOPIC_HEADER = "zendesk-loyalty.source-topic";
  /** Header of a dead-lettered record: the partition it was read from. */
  public static final String SOURCE_PARTITION_HEADER = "zendesk-loyalty.source-partition";
  /** Header of a dead-lettered record: its offset there. */
  public static final String SOURCE_OFFSET_HEADER = "zendesk-loyalty.source-offset";

  /** Checks that reason, detail and topic are present. */
  public DeadLetter {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(sourceTopic, "sourceTopic");
  }
}
