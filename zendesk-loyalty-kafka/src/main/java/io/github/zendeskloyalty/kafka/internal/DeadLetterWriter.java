package io.github.zendeskloyalty.kafka.internal;

import io.github.zendeskloyalty.kafka.DeadLetter;
import io.github.zendeskloyalty.kafka.DeadLetterReason;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes a record that will not sync to the dead-letter topic: its key and value as read, and
 * headers saying why (e-mails masked, never a token) and where it came from. Not part of the API.
 */
final class DeadLetterWriter {

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.kafka");
  private static final Pattern EMAIL = Pattern.compile("([^\\s@'\"<>(),;:]{1})[^\\s@'\"<>(),;:]*@");

  private final Producer<byte[], byte[]> producer;
  private final String topic;

  DeadLetterWriter(Producer<byte[], byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  /**
   * Writes {@code record} and waits until the broker has it.
   *
   * @throws IllegalStateException when it could not be written: the record stays unsettled
   */
  DeadLetter write(ConsumerRecord<byte[], byte[]> record, DeadLetterReason code, String reason) {
    String masked = mask(reason);
    RecordHeaders headers = new RecordHeaders();
    headers.add(DeadLetter.REASON_CODE_HEADER, code.name().getBytes(StandardCharsets.UTF_8));
    headers.add(DeadLetter.REASON_HEADER, masked.getBytes(StandardCharsets.UTF_8));
    headers.add(DeadLetter.SOURCE_TOPIC_HEADER, record.topic().getBytes(StandardCharsets.UTF_8));
    headers.add(DeadLetter.SOURCE_PARTITION_HEADER,
        Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
    headers.add(DeadLetter.SOURCE_OFFSET_HEADER,
        Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
    try {
      producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(), headers))
          .get(30, TimeUnit.SECONDS);
    } catch (Exception notWritten) {
      throw new IllegalStateException("could not write to the dead-letter topic " + topic + "; "
          + record.topic() + "-" + record.partition() + "@" + record.offset()
          + " stays unsettled", notWritten);
    }
    LOG.log(Level.WARNING, () -> "dead-lettered " + record.topic() + "-" + record.partition()
        + "@" + record.offset() + ": " + masked);
    return new DeadLetter(code, masked, record.topic(), record.partition(), record.offset());
  }

  void close() {
    producer.close(Duration.ofSeconds(5));
  }

  /** Keeps the first character of an email's local part: {@code j***@example.com}. */
  static String mask(String text) {
    String cut = text.length() > 500 ? text.substring(0, 500) + "…" : text;
    return EMAIL.matcher(cut).replaceAll("$1***@");
  }
}
