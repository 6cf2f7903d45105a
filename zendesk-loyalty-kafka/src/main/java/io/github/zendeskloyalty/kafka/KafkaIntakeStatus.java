package io.github.zendeskloyalty.kafka;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a Kafka intake stands: published about once a second on its thread, and at once when
 * its state changes (it stops, restarts, or holds a partition for a reason). Read it from
 * {@link ZendeskLoyaltyKafkaConsumer#status()} or a {@link KafkaIntakeListener}.
 *
 * <pre>{@code
 * KafkaIntakeStatus status = intake.status();
 * if (status.state() == KafkaIntakeStatus.State.STOPPED) {
 *   alerts.raise("loyalty events are not read: " + status.problem().orElse(""));
 * } else if (status.lag() > 100_000) {
 *   alerts.raise("loyalty events are " + status.lag() + " records behind");
 * }
 * }</pre>
 *
 * @param state whether the intake reads, holds partitions for a reason, or has stopped
 * @param lag records in the assigned partitions not yet read (the consumer group's lag as far
 *     as this consumer knows it)
 * @param uncommitted records read and not yet committed: with the SDK, waiting for a retry, or
 *     settled and waiting for the next commit; what a crash now would make the next owner read
 *     again
 * @param assignedPartitions partitions this consumer owns
 * @param pausedPartitions partitions paused: waiting to retry a record Zendesk could not take
 *     yet, held for a reason, or every partition while too many records are with the SDK
 * @param holds the partitions held for a reason an operator may have to act on, each with it
 * @param problem when {@link State#STOPPED}, why and what to do; when {@link State#HOLDING}, the
 *     first hold's reason
 */
public record KafkaIntakeStatus(State state, long lag, long uncommitted, int assignedPartitions,
    int pausedPartitions, List<PartitionHold> holds, Optional<String> problem) {

  /** Before the first poll: nothing assigned. */
  public static final KafkaIntakeStatus STARTING = new KafkaIntakeStatus(State.STARTING, 0, 0, 0,
      0, List.of(), Optional.empty());

  /** Checks the state, copies the holds. */
  public KafkaIntakeStatus {
    Objects.requireNonNull(state, "state");
    holds = List.copyOf(holds);
    Objects.requireNonNull(problem, "problem");
  }

  /** Whether the intake's loop runs (reading, or holding some partitions). */
  public boolean isRunning() {
    return state == State.RUNNING || state == State.HOLDING;
  }

  /** What an intake is doing. */
  public enum State {
    /** Started; no poll has returned yet. */
    STARTING,
    /** Reading and settling records. */
    RUNNING,
    /**
     * Reading, with at least one partition held for a reason in {@link #holds()}: its records
     * wait (uncommitted, never skipped) until the cause is gone, retried with backoff.
     */
    HOLDING,
    /**
     * The loop stopped on a failure (in {@link #problem()}): nothing is read or committed. It
     * restarts with backoff; what was not committed is read again then.
     */
    STOPPED,
    /** Closed by {@link ZendeskLoyaltyKafkaConsumer#close()}. */
    CLOSED
  }

  /**
   * A partition the intake holds for a reason: its records after {@code offset} are not
   * committed until the cause is gone.
   *
   * @param topic the partition's topic
   * @param partition the partition
   * @param offset the record that holds it
   * @param reason why, in words, and what to do
   */
  public record PartitionHold(String topic, int partition, long offset, String reason) {
    /** Checks topic and reason. */
    public PartitionHold {
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
