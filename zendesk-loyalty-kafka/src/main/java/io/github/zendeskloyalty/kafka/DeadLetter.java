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

  /** Checks that reason, detail and topic are present. */
  public DeadLetter {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(sourceTopic, "sourceTopic");
  }
}
