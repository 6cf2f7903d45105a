package io.github.zendeskloyalty.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.kafka.DeadLetter;
import io.github.zendeskloyalty.kafka.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

class DeadLetterWriterTest {

  @Test
  void anEmailInAReasonIsMasked() {
    assertThat(DeadLetterWriter.mask("refused: member M-1 would write to jane.doe@example.com's user"))
        .isEqualTo("refused: member M-1 would write to j***@example.com's user");
  }

  @Test
  void theRecordGoesAsItWasWithWhyAndWhereInItsHeaders() {
    MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null,
        new ByteArraySerializer(), new ByteArraySerializer());
    DeadLetterWriter writer = new DeadLetterWriter(() -> producer, "events.dead-letters");
    byte[] value = "{\"email\":\"jane@example.com\"}".getBytes(StandardCharsets.UTF_8);
    DeadLetter dead = writer.write(new ConsumerRecord<>("events", 2, 41L,
        "M-1".getBytes(StandardCharsets.UTF_8), value), DeadLetterReason.REFUSED,
        "refused: jane@example.com", null).join();

    assertThat(dead).isEqualTo(new DeadLetter(DeadLetterReason.REFUSED, "refused: j***@example.com",
        "events", 2, 41L, false));
    ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
    assertThat(sent.topic()).isEqualTo("events.dead-letters");
    assertThat(sent.value()).isEqualTo(value);
    assertThat(header(sent, DeadLetter.REASON_HEADER)).isEqualTo("refused: j***@example.com");
    assertThat(header(sent, DeadLetter.REASON_CODE_HEADER)).isEqualTo("REFUSED");
    assertThat(header(sent, DeadLetter.SOURCE_PARTITION_HEADER)).isEqualTo("2");
    assertThat(header(sent, DeadLetter.SOURCE_OFFSET_HEADER)).isEqualTo("41");
  }

  @Test
  void aRefusalOfTheRecordItselfGoesBoundedAndOneOfTheTopicWaits() {
    assertThat(DeadLetterWriter.refusal(new RecordTooLargeException("too large")))
        .isEqualTo(DeadLetterWriter.Refusal.THIS_RECORD);
    assertThat(DeadLetterWriter.refusal(new RecordBatchTooLargeException("too large")))
        .isEqualTo(DeadLetterWriter.Refusal.THIS_RECORD);
    assertThat(DeadLetterWriter.refusal(new InvalidRecordException("compacted: needs a key")))
        .isEqualTo(DeadLetterWriter.Refusal.THIS_RECORD);
    assertThat(DeadLetterWriter.refusal(new TopicAuthorizationException(Set.of("dead"))))
        .isEqualTo(DeadLetterWriter.Refusal.FOR_NOW);
    assertThat(DeadLetterWriter.refusal(new TimeoutException("Topic dead not present in"
        + " metadata after 2000 ms."))).isEqualTo(DeadLetterWriter.Refusal.FOR_NOW);
    assertThat(DeadLetterWriter.refusal(new UnknownTopicOrPartitionException("gone")))
        .isEqualTo(DeadLetterWriter.Refusal.FOR_NOW);
    assertThat(DeadLetterWriter.refusal(new IllegalStateException("producer closed")))
        .isEqualTo(DeadLetterWriter.Refusal.FOR_NOW);
  }

  @Test
  void theBoundedFormKeepsTheFirstBytesTheSizesAndTheDigest() {
    MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null,
        new ByteArraySerializer(), new ByteArraySerializer());
    DeadLetterWriter writer = new DeadLetterWriter(() -> producer, "events.dead-letters");
    byte[] key = new byte[3_000];
    byte[] value = new byte[5_000];
    DeadLetter dead = writer.write(new ConsumerRecord<>("events", 1, 7L, key, value),
        DeadLetterReason.UNDECODABLE, "undecodable: too large", "RecordTooLargeException").join();

    assertThat(dead.bounded()).isTrue();
    ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
    assertThat(sent.key()).hasSize(DeadLetter.BOUNDED_BYTES);
    assertThat(sent.value()).hasSize(DeadLetter.BOUNDED_BYTES);
    assertThat(header(sent, DeadLetter.KEY_SIZE_HEADER)).isEqualTo("3000");
    assertThat(header(sent, DeadLetter.VALUE_SIZE_HEADER)).isEqualTo("5000");
    assertThat(header(sent, DeadLetter.VALUE_SHA256_HEADER)).hasSize(64);
    assertThat(header(sent, DeadLetter.BOUNDED_HEADER)).isEqualTo("RecordTooLargeException");
    assertThat(header(sent, DeadLetter.SOURCE_OFFSET_HEADER)).isEqualTo("7");
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
