package io.github.zendeskloyalty.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.kafka.DeadLetter;
import io.github.zendeskloyalty.kafka.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
    DeadLetterWriter writer = new DeadLetterWriter(producer, "events.dead-letters");
    byte[] value = "{\"email\":\"jane@example.com\"}".getBytes(StandardCharsets.UTF_8);
    DeadLetter dead = writer.write(new ConsumerRecord<>("events", 2, 41L,
        "M-1".getBytes(StandardCharsets.UTF_8), value), DeadLetterReason.REFUSED,
        "refused: jane@example.com");

    assertThat(dead).isEqualTo(new DeadLetter(DeadLetterReason.REFUSED, "refused: j***@example.com",
        "events", 2, 41L));
    ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
    assertThat(sent.topic()).isEqualTo("events.dead-letters");
    assertThat(sent.value()).isEqualTo(value);
    assertThat(header(sent, DeadLetter.REASON_HEADER)).isEqualTo("refused: j***@example.com");
    assertThat(header(sent, DeadLetter.REASON_CODE_HEADER)).isEqualTo("REFUSED");
    assertThat(header(sent, DeadLetter.SOURCE_PARTITION_HEADER)).isEqualTo("2");
    assertThat(header(sent, DeadLetter.SOURCE_OFFSET_HEADER)).isEqualTo("41");
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
