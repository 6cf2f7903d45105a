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
 * @param bounded whether the dead-letter topic holds only the record's bounded form (the first
 *     {@value #BOUNDED_BYTES} bytes of key and value, their sizes and the value's SHA-256), because
 *     it refused the record as it was (too large for the topic or the producer, say): the original
 *     is still at its offset in the source topic until the topic's retention removes it
 */
public record DeadLetter(DeadLetterReason reason, String detail, String sourceTopic,
    int sourcePartition, long sourceOffset, boolean bounded) {

  /** How much of a value (and of a key) a bounded dead letter keeps: 1,024 bytes. */
  public static final int BOUNDED_BYTES = 1024;

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
  /**
   * Header of a bounded dead letter only: why the record as it was could not be written (the
   * dead-letter topic's refusal, in words). Its key and value are then their first
   * {@value #BOUNDED_BYTES} bytes.
   */
  public static final String BOUNDED_HEADER = "zendesk-loyalty.bounded";
  /** Header of a bounded dead letter: the original key's size in bytes. */
  public static final String KEY_SIZE_HEADER = "zendesk-loyalty.key-size";
  /** Header of a bounded dead letter: the original value's size in bytes. */
  public static final String VALUE_SIZE_HEADER = "zendesk-loyalty.value-size";
  /** Header of a bounded dead letter: the original value's SHA-256, in lower-case hex. */
  public static final String VALUE_SHA256_HEADER = "zendesk-loyalty.value-sha256";

  /** Checks that reason, detail and topic are present. */
  public DeadLetter {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(sourceTopic, "sourceTopic");
  }
}
