package io.github.zendeskloyalty.kafka.internal;

import io.github.zendeskloyalty.kafka.DeadLetter;
import io.github.zendeskloyalty.kafka.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes a record that will not sync to the dead-letter topic, without waiting: its key and value
 * as read, and headers saying why (e-mails masked, never a token) and where it came from. When
 * the topic refuses that copy for good (too large for it or for the producer, or refused as a
 * record), {@link #bounded} writes a short form instead: the first bytes of key and value, their
 * sizes and the value's SHA-256, so a person can find the original at its offset. The producer
 * is made on the first write. Not part of the API.
 */
final class DeadLetterWriter {

  private static final Pattern EMAIL = Pattern.compile("([^\\s@'\"<>(),;:]{1})[^\\s@'\"<>(),;:]*@");

  /** What a failed write means for the record. */
  enum Refusal {
    /** The topic will never take this copy of the record: write the bounded form. */
    THIS_RECORD,
    /** The topic cannot be written now (missing, not authorised, broker away): try again later. */
    FOR_NOW
  }

  private final Supplier<Producer<byte[], byte[]>> producers;
  private final String topic;
  private Producer<byte[], byte[]> producer;

  DeadLetterWriter(Supplier<Producer<byte[], byte[]>> producers, String topic) {
    this.producers = producers;
    this.topic = topic;
  }

  String topic() {
    return topic;
  }

  /**
   * Sends {@code record} as it was read (or its bounded form); the future completes, on the
   * producer's thread, when the broker has it or refused it. Never throws.
   */
  CompletableFuture<DeadLetter> write(ConsumerRecord<byte[], byte[]> record, DeadLetterReason code,
      String reason, String boundedBecause) {
    String masked = mask(reason);
    RecordHeaders headers = new RecordHeaders();
    header(headers, DeadLetter.REASON_CODE_HEADER, code.name());
    header(headers, DeadLetter.REASON_HEADER, masked);
    header(headers, DeadLetter.SOURCE_TOPIC_HEADER, record.topic());
    header(headers, DeadLetter.SOURCE_PARTITION_HEADER, Integer.toString(record.partition()));
    header(headers, DeadLetter.SOURCE_OFFSET_HEADER, Long.toString(record.offset()));
    byte[] key = record.key();
    byte[] value = record.value();
    if (boundedBecause != null) {
      header(headers, DeadLetter.BOUNDED_HEADER, mask(boundedBecause));
      if (key != null) {
        header(headers, DeadLetter.KEY_SIZE_HEADER, Integer.toString(key.length));
        key = first(key);
      }
      if (value != null) {
        header(headers, DeadLetter.VALUE_SIZE_HEADER, Integer.toString(value.length));
        header(headers, DeadLetter.VALUE_SHA256_HEADER, sha256(value));
        value = first(value);
      }
    }
    DeadLetter dead = new DeadLetter(code, masked, record.topic(), record.partition(),
        record.offset(), boundedBecause != null);
    CompletableFuture<DeadLetter> written = new CompletableFuture<>();
    try {
      if (producer == null) {
        producer = producers.get();
      }
      producer.send(new ProducerRecord<>(topic, null, key, value, headers), (metadata, failure) -> {
        if (failure == null) {
          written.complete(dead);
        } else {
          written.completeExceptionally(failure);
        }
      });
    } catch (RuntimeException notSent) { // metadata not there in max.block.ms, producer broken
      written.completeExceptionally(notSent);
    }
    return written;
  }

  /** Whether a failed write may succeed later as it is, or never will for this record. */
  static Refusal refusal(Throwable failure) {
    if (failure instanceof RecordTooLargeException || failure instanceof RecordBatchTooLargeException) {
      return Refusal.THIS_RECORD;
    }
    if (failure instanceof RetriableException || failure instanceof AuthorizationException
        || failure instanceof AuthenticationException || failure instanceof InvalidTopicException
        || failure instanceof UnknownTopicOrPartitionException) {
      return Refusal.FOR_NOW; // about the topic, the broker or the connection: not this record
    }
    if (failure instanceof org.apache.kafka.common.errors.ApiException) {
      return Refusal.THIS_RECORD; // the broker refused this record (InvalidRecordException, ...)
    }
    return Refusal.FOR_NOW; // a producer closed or broken, an interrupted send
  }

  /** Closes the producer, if one was made. */
  void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }

  /** Keeps the first character of an email's local part: {@code j***@example.com}. */
  static String mask(String text) {
    String cut = text.length() > 500 ? text.substring(0, 500) + "…" : text;
    return EMAIL.matcher(cut).replaceAll("$1***@");
  }

  private static byte[] first(byte[] bytes) {
    return bytes.length <= DeadLetter.BOUNDED_BYTES ? bytes
        : Arrays.copyOf(bytes, DeadLetter.BOUNDED_BYTES);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException notInThisJdk) { // every JDK has SHA-256
      throw new IllegalStateException(notInThisJdk);
    }
  }

  private static void header(RecordHeaders headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
