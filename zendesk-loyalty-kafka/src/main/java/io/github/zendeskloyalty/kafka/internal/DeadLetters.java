package io.github.zendeskloyalty.kafka.internal;

import io.github.zendeskloyalty.kafka.DeadLetter;
import io.github.zendeskloyalty.kafka.DeadLetterReason;
import io.github.zendeskloyalty.kafka.KafkaIntakeStatus.PartitionHold;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The dead letters on their way: written without blocking the poll, each settled only once the
 * broker has it. A record the topic refuses for good as it is (too large, say) goes again in its
 * bounded form; one the topic cannot take now (missing, not authorised, the broker away) holds
 * its partition with the reason and is written again with backoff until it goes, so the intake
 * never stops and never skips a record. Used by the consumer thread alone, but for the
 * producer's callbacks, which only queue. Not part of the API.
 */
final class DeadLetters {

  /** What the loop does with the outcomes, on its thread. */
  interface Outcomes {
    /** Whether {@code record} is still this consumer's to settle (not revoked meanwhile). */
    boolean isOpen(ConsumerRecord<byte[], byte[]> record);

    /** The broker has the dead letter of {@code record}: it is settled. */
    void written(ConsumerRecord<byte[], byte[]> record, DeadLetter deadLetter);

    /** A partition waits for a dead letter that cannot be written now. */
    void held(PartitionHold hold);

    /** A held partition's dead letter was written at last. */
    void released(PartitionHold hold);
  }

  private record Letter(ConsumerRecord<byte[], byte[]> record, DeadLetterReason code,
      String reason, String boundedBecause, int attempt) {
    TopicPartition partition() {
      return new TopicPartition(record.topic(), record.partition());
    }
  }

  private record Finished(Letter letter, DeadLetter written, Throwable failure) {}

  private record Retry(Letter letter, long dueMillis) {}

  private final DeadLetterWriter writer;
  private final Duration firstRetry;
  private final Duration lastRetry;
  private final Queue<Finished> finished = new ConcurrentLinkedQueue<>();
  private final Map<TopicPartition, Integer> inFlight = new HashMap<>();
  private final List<Retry> retries = new ArrayList<>();
  private final Map<TopicPartition, PartitionHold> holds = new LinkedHashMap<>();

  DeadLetters(DeadLetterWriter writer, Duration firstRetry, Duration lastRetry) {
    this.writer = writer;
    this.firstRetry = firstRetry;
    this.lastRetry = lastRetry;
  }

  /** Writes {@code record}'s dead letter; it settles when {@link #drain} hears it went. */
  void write(ConsumerRecord<byte[], byte[]> record, DeadLetterReason code, String reason) {
    send(new Letter(record, code, reason, null, 1));
  }

  private void send(Letter letter) {
    inFlight.merge(letter.partition(), 1, Integer::sum);
    writer.write(letter.record(), letter.code(), letter.reason(), letter.boundedBecause())
        .whenComplete((written, failure) -> finished.add(new Finished(letter, written, failure)));
  }

  /** Handles the writes that finished and sends those whose retry is due. */
  void drain(long nowMillis, Outcomes outcomes) {
    for (Finished next = finished.poll(); next != null; next = finished.poll()) {
      Letter letter = next.letter();
      TopicPartition partition = letter.partition();
      inFlight.computeIfPresent(partition, (p, n) -> n == 1 ? null : n - 1);
      if (!outcomes.isOpen(letter.record())) {
        continue; // its partition was revoked meanwhile: the next owner reads it again
      }
      if (next.failure() == null) {
        outcomes.written(letter.record(), next.written());
        releaseIfClear(partition, outcomes);
      } else if (DeadLetterWriter.refusal(next.failure()) == DeadLetterWriter.Refusal.THIS_RECORD
          && letter.boundedBecause() == null) {
        send(new Letter(letter.record(), letter.code(), letter.reason(),
            "the dead-letter topic refused the record as it was: " + describe(next.failure()),
            letter.attempt()));
      } else {
        long delay = Math.min(lastRetry.toMillis(),
            firstRetry.toMillis() << Math.min(20, letter.attempt() - 1));
        retries.add(new Retry(new Letter(letter.record(), letter.code(), letter.reason(),
            letter.boundedBecause(), letter.attempt() + 1), nowMillis + delay));
        if (!holds.containsKey(partition)) {
          PartitionHold hold = new PartitionHold(partition.topic(), partition.partition(),
              letter.record().offset(), holdReason(letter, next.failure()));
          holds.put(partition, hold);
          outcomes.held(hold);
        }
      }
    }
    List<Retry> due = retries.stream().filter(retry -> retry.dueMillis() <= nowMillis).toList();
    retries.removeAll(due);
    due.forEach(retry -> send(retry.letter()));
  }

  private void releaseIfClear(TopicPartition partition, Outcomes outcomes) {
    if (holds.containsKey(partition)
        && retries.stream().noneMatch(retry -> retry.letter().partition().equals(partition))) {
      outcomes.released(holds.remove(partition));
    }
  }

  /** The partitions held for a dead letter that cannot be written now. */
  Collection<TopicPartition> heldPartitions() {
    return holds.keySet();
  }

  /** The holds, oldest first. */
  List<PartitionHold> holds() {
    return List.copyOf(holds.values());
  }

  /** Dead letters of {@code partitions} (all when null) not yet written: on their way or due again. */
  int open(Collection<TopicPartition> partitions) {
    int open = 0;
    for (Map.Entry<TopicPartition, Integer> entry : inFlight.entrySet()) {
      if (partitions == null || partitions.contains(entry.getKey())) {
        open += entry.getValue();
      }
    }
    for (Retry retry : retries) {
      if (partitions == null || partitions.contains(retry.letter().partition())) {
        open++;
      }
    }
    return open;
  }

  /** The partitions are no longer this consumer's: their dead letters are not tried again. */
  void forget(Collection<TopicPartition> partitions) {
    retries.removeIf(retry -> partitions == null
        || partitions.contains(retry.letter().partition()));
    holds.keySet().removeIf(partition -> partitions == null || partitions.contains(partition));
  }

  void close() {
    writer.close();
  }

  /** Why a dead letter waits, and what an operator can do about it. */
  private String holdReason(Letter letter, Throwable failure) {
    String where = letter.record().topic() + "-" + letter.record().partition() + "@"
        + letter.record().offset();
    String what;
    if (failure instanceof AuthorizationException) {
      what = "grant this client WRITE and DESCRIBE on topic " + writer.topic();
    } else if (failure instanceof UnknownTopicOrPartitionException
        || (failure instanceof TimeoutException && String.valueOf(failure.getMessage())
            .contains("not present in metadata"))) {
      what = "create topic " + writer.topic() + " (the broker does not create it)";
    } else if (letter.boundedBecause() != null) {
      what = "the topic refuses even the bounded form (" + DeadLetter.BOUNDED_BYTES
          + " bytes of key and value): check its max.message.bytes and cleanup.policy";
    } else {
      what = "the broker is unavailable or slow; nothing to do if it comes back";
    }
    return "the dead-letter topic " + writer.topic() + " cannot be written ("
        + describe(failure) + "): " + where + " and the records after it on its partition wait,"
        + " retried with backoff; " + what;
  }

  private static String describe(Throwable failure) {
    return failure.getClass().getSimpleName()
        + (failure.getMessage() == null ? "" : ": " + DeadLetterWriter.mask(failure.getMessage()));
  }
}
