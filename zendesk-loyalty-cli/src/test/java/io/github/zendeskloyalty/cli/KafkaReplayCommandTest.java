package io.github.zendeskloyalty.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kafka replay-dead-letters} against a real broker (KRaft, in-process). */
class KafkaReplayCommandTest {

  private static KafkaClusterTestKit cluster;

  @BeforeAll
  static void broker() throws Exception {
    cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setNumBrokerNodes(1)
        .setNumControllerNodes(1).setCombined(true).build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("offsets.topic.num.partitions", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    try (Admin admin = Admin.create(cluster.clientProperties())) {
      admin.createTopics(List.of(new NewTopic("events", 1, (short) 1),
          new NewTopic("events.dead-letters", 2, (short) 1))).all().get();
    }
  }

  @AfterAll
  static void stopBroker() throws Exception {
    cluster.close();
  }

  private static void deadLetter(String key, String reasonCode, boolean withSource)
      throws Exception {
    RecordHeaders headers = new RecordHeaders();
    headers.add("trace-id", "t-1".getBytes(StandardCharsets.UTF_8));
    if (withSource) {
      headers.add("zendesk-loyalty.source-topic", "events".getBytes(StandardCharsets.UTF_8));
    }
    headers.add("zendesk-loyalty.reason-code", reasonCode.getBytes(StandardCharsets.UTF_8));
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(cluster.clientProperties(),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>("events.dead-letters", null,
          key.getBytes(StandardCharsets.UTF_8), ("{\"member\":\"" + key + "\"}")
              .getBytes(StandardCharsets.UTF_8), headers)).get();
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> events() {
    Properties config = cluster.clientProperties();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config,
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of("events"));
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (System.nanoTime() < until) {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
    }
    return records;
  }

  @Test
  void sendsDeadLettersBackToTheirTopicOnceAndCountsThoseItCannot(@TempDir Path dir)
      throws Exception {
    deadLetter("M-1", "UNDECODABLE", true);
    deadLetter("M-2", "REJECTED_BY_ZENDESK", true);
    deadLetter("M-3", "UNDECODABLE", true);
    deadLetter("M-4", "UNDECODABLE", false);
    Path clientConfig = dir.resolve("client.properties");
    Files.writeString(clientConfig, "client.id=replay-test\n");
    String[] command = {"kafka", "replay-dead-letters", "events.dead-letters",
        "--bootstrap-servers", cluster.bootstrapServers(), "--client-config",
        clientConfig.toString()};

    Cli.Result dry = Cli.bare().run(concat(command, "--dry-run"));
    assertThat(dry.out()).contains("Would send 3 records of events.dead-letters back to their"
        + " topics (1 rejected_by_zendesk, 2 undecodable).")
        .contains("1 record has no source-topic header");
    assertThat(dry.exit()).as("a record it cannot send back").isEqualTo(1);
    assertThat(events()).as("a dry run sends nothing").isEmpty();

    Cli.Result sent = Cli.bare().run(command);
    assertThat(sent.out()).contains("Sent 3 records");
    List<ConsumerRecord<byte[], byte[]>> events = events();
    assertThat(events).extracting(record -> new String(record.key(), StandardCharsets.UTF_8))
        .containsExactlyInAnyOrder("M-1", "M-2", "M-3");
    assertThat(events).allSatisfy(record -> {
      assertThat(record.headers().lastHeader("zendesk-loyalty.replayed-from")).isNotNull();
      assertThat(record.headers().lastHeader("zendesk-loyalty.reason-code")).isNull();
      assertThat(record.headers().lastHeader("trace-id")).as("the record's own headers kept")
          .isNotNull();
    });

    Cli.Result again = Cli.bare().run(concat(command, "--json"));
    assertThat(again.out()).contains("\"replayed\" : 0");
    assertThat(again.exit()).isZero();
  }

  @Test
  void aTopicThatDoesNotExistIsAUsageError() {
    Cli.Result result = Cli.bare().run("kafka", "replay-dead-letters", "no-such.dead-letters",
        "--bootstrap-servers", cluster.bootstrapServers());
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("no topic named no-such.dead-letters");
  }

  private static String[] concat(String[] command, String flag) {
    String[] all = java.util.Arrays.copyOf(command, command.length + 1);
    all[command.length] = flag;
    return all;
  }
}
