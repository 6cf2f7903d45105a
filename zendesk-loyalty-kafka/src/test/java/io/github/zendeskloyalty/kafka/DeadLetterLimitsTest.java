package io.github.zendeskloyalty.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyEvent;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import io.github.zendeskloyalty.testkit.FakeUser;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the intake does when the dead-letter topic cannot take a record, against a real broker
 * that creates no topic by itself and checks ACLs: records of 1 and 2 MB, a dead-letter topic
 * deleted or not authorised mid-stream, and a consumer group not authorised. The intake never
 * stops for good, never skips a record, and says why it waits.
 */
class DeadLetterLimitsTest {

  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  private static final String ANONYMOUS = "User:ANONYMOUS";
  private static final int MB = 1024 * 1024;
  private static KafkaClusterTestKit cluster;

  @BeforeAll
  static void broker() throws Exception {
    cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setNumBrokerNodes(1)
        .setNumControllerNodes(1).setCombined(true).build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("offsets.topic.num.partitions", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .setConfigProp("auto.create.topics.enable", "false")
        .setConfigProp("authorizer.class.name",
            "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
        .setConfigProp("allow.everyone.if.no.acl.found", "true")
        .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    cluster.close();
  }

  private static void createTopic(String topic, int partitions, Integer maxMessageBytes)
      throws Exception {
    NewTopic created = new NewTopic(topic, partitions, (short) 1);
    if (maxMessageBytes != null) {
      created.configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxMessageBytes.toString()));
    }
    try (Admin admin = Admin.create(cluster.clientProperties())) {
      admin.createTopics(List.of(created)).all().get();
    }
  }

  private static void deleteTopic(String topic) throws Exception {
    try (Admin admin = Admin.create(cluster.clientProperties())) {
      admin.deleteTopics(List.of(topic)).all().get();
      await("the topic gone", () -> {
        try {
          return !admin.listTopics().names().get().contains(topic);
        } catch (Exception notListed) {
          return false;
        }
      });
    }
  }

  private static AclBinding deny(ResourceType type, String name, AclOperation operation) {
    return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
        new AccessControlEntry(ANONYMOUS, "*", operation, AclPermissionType.DENY));
  }

  private static void createAcl(AclBinding acl) throws Exception {
    try (Admin admin = Admin.create(cluster.clientProperties())) {
      admin.createAcls(List.of(acl)).all().get();
    }
  }

  private static void deleteAcl(AclBinding acl) throws Exception {
    try (Admin admin = Admin.create(cluster.clientProperties())) {
      admin.deleteAcls(List.of(acl.toFilter())).all().get();
    }
  }

  private static LoyaltyMember member(int n, int version) {
    return LoyaltyMember.builder().memberId("M-" + n).email("member" + n + "@example.com")
        .availablePoints(BigDecimal.valueOf(version))
        .lastModifiedDate(T0.plusSeconds(version)).build();
  }

  private static ProducerRecord<byte[], byte[]> event(String topic, int member, int version) {
    LoyaltyMember snapshot = member(member, version);
    return new ProducerRecord<>(topic, snapshot.memberId().getBytes(StandardCharsets.UTF_8),
        LoyaltyEventJson.encode(new LoyaltyEvent(SyncTrigger.POINTS_AWARDED, snapshot,
            snapshot.lastModifiedDate())));
  }

  /** A record of {@code size} bytes that is not an event, on member {@code member}'s key. */
  private static ProducerRecord<byte[], byte[]> oversized(String topic, int member, int size) {
    byte[] value = new byte[size];
    java.util.Arrays.fill(value, (byte) '{');
    return new ProducerRecord<>(topic, ("M-" + member).getBytes(StandardCharsets.UTF_8), value);
  }

  private static List<RecordMetadata> send(List<ProducerRecord<byte[], byte[]>> records)
      throws Exception {
    Properties config = cluster.clientProperties();
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * MB);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config,
        new ByteArraySerializer(), new ByteArraySerializer())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (ProducerRecord<byte[], byte[]> record : records) {
        sent.add(producer.send(record));
      }
      producer.flush();
      List<RecordMetadata> landed = new ArrayList<>();
      for (Future<RecordMetadata> metadata : sent) {
        landed.add(metadata.get());
      }
      return landed;
    }
  }

  private static Map<String, Object> clientConfig() {
    Map<String, Object> config = new HashMap<>();
    cluster.clientProperties().forEach((key, value) -> config.put(key.toString(), value));
    return config;
  }

  private static ZendeskLoyaltyKafkaConsumer.Builder intake(String topic, String group,
      ZendeskLoyaltySync sync, KafkaIntakeListener listener) {
    Map<String, Object> config = clientConfig();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * MB);
    return ZendeskLoyaltyKafkaConsumer.builder().consumerConfig(config).topics(topic).sync(sync)
        .deadLetterTopic(topic + ".dead").listener(listener)
        .commitInterval(Duration.ofMillis(200))
        .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(400));
  }

  /** Producer settings that give up on an unwritable topic within seconds. */
  private static Map<String, Object> impatientProducer() {
    Map<String, Object> config = clientConfig();
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
    return config;
  }

  private static List<ConsumerRecord<byte[], byte[]>> read(String topic) {
    Properties config = cluster.clientProperties();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic + System.nanoTime());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * MB);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config,
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (System.nanoTime() < until) {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
    }
    return records;
  }

  private static boolean committedToTheEnd(String group, String topic, int partitions) {
    try (Admin admin = Admin.create(cluster.clientProperties())) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin.listOffsets(latest).all().get().forEach((partition, info) ->
          ends.put(partition, info.offset()));
      Map<TopicPartition, Long> committed = new HashMap<>();
      Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get();
      offsets.forEach((partition, offset) -> {
        if (offset != null) {
          committed.put(partition, offset.offset());
        }
      });
      return committed.equals(ends);
    } catch (Exception unreadable) {
      return false;
    }
  }

  private static boolean holdsNewest(FakeZendesk fake, Map<Integer, Integer> newest) {
    Map<String, Object> points = new HashMap<>();
    for (FakeUser user : fake.users()) {
      points.put(user.email(), user.userFields().get("zrl_member_available_points"));
    }
    return newest.entrySet().stream().allMatch(entry -> {
      Object held = points.get("member" + entry.getKey() + "@example.com");
      return held != null && new BigDecimal(held.toString())
          .compareTo(BigDecimal.valueOf(entry.getValue())) == 0;
    });
  }

  private static void await(String what, BooleanSupplier condition) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("still waiting for " + what).isLessThan(until);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    return record.headers().lastHeader(name) == null ? null
        : new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static FakeZendesk fake() {
    return FakeZendesk.builder().provisioned(FieldSchema.standard()).requestsPerMinute(100_000)
        .start();
  }

  private static ZendeskLoyaltySync sync(FakeZendesk fake) {
    return fake.syncBuilder().maxDelay(Duration.ofMillis(20))
        .jobPollInterval(Duration.ofMillis(50)).build();
  }

  /**
   * Good records on three partitions with oversized ones between them; returns the newest
   * version of each member and adds the oversized records' coordinates to {@code oversized}.
   */
  private static Map<Integer, Integer> streamWithOversized(String topic, int[] sizes,
      Set<String> oversized) throws Exception {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    Map<Integer, Integer> newest = new HashMap<>();
    for (int version = 1; version <= 4; version++) {
      for (int member = 0; member < 30; member++) {
        records.add(event(topic, member, version));
        newest.put(member, version);
      }
      if (version <= sizes.length) {
        records.add(oversized(topic, 100 + version, sizes[version - 1]));
      }
    }
    List<RecordMetadata> landed = send(records);
    for (int i = 0; i < records.size(); i++) {
      if (records.get(i).value().length > 64 * 1024) {
        oversized.add(landed.get(i).partition() + "@" + landed.get(i).offset());
      }
    }
    return newest;
  }

  private void oversizedRecordsAreDeadLetteredOnce(String topic, Integer sourceLimit,
      Integer deadLetterLimit, int[] sizes, boolean bounded) throws Exception {
    createTopic(topic, 3, sourceLimit);
    createTopic(topic + ".dead", 1, deadLetterLimit);
    Set<String> oversized = new HashSet<>();
    Map<Integer, Integer> newest = streamWithOversized(topic, sizes, oversized);
    assertThat(oversized).as("on several partitions")
        .extracting(coordinates -> coordinates.split("@")[0]).hasSizeGreaterThan(1);
    List<DeadLetter> heard = new CopyOnWriteArrayList<>();
    KafkaIntakeListener listener = new KafkaIntakeListener() {
      @Override
      public void onDeadLettered(DeadLetter deadLetter) {
        heard.add(deadLetter);
      }
    };
    try (FakeZendesk fake = fake(); ZendeskLoyaltySync sync = sync(fake)) {
      try (ZendeskLoyaltyKafkaConsumer intake = intake(topic, topic, sync, listener).start()) {
        await("every good record in Zendesk and every offset committed",
            () -> holdsNewest(fake, newest) && committedToTheEnd(topic, topic, 3));
        assertThat(intake.status().isRunning()).isTrue();
      }
      List<ConsumerRecord<byte[], byte[]>> dead = read(topic + ".dead");
      assertThat(dead).extracting(record -> header(record, DeadLetter.SOURCE_PARTITION_HEADER)
          + "@" + header(record, DeadLetter.SOURCE_OFFSET_HEADER))
          .as("each oversized record dead-lettered once").containsExactlyInAnyOrderElementsOf(
              oversized);
      assertThat(heard).hasSameSizeAs(oversized)
          .allSatisfy(deadLetter -> assertThat(deadLetter.bounded()).isEqualTo(bounded));
      for (ConsumerRecord<byte[], byte[]> record : dead) {
        assertThat(header(record, DeadLetter.REASON_CODE_HEADER)).isEqualTo("UNDECODABLE");
        if (bounded) {
          assertThat(record.value()).hasSize(DeadLetter.BOUNDED_BYTES);
          assertThat(Integer.parseInt(header(record, DeadLetter.VALUE_SIZE_HEADER)))
              .isGreaterThan(1_000_000);
          assertThat(header(record, DeadLetter.BOUNDED_HEADER)).contains("RecordTooLarge");
        } else {
          assertThat(record.value().length).isGreaterThanOrEqualTo(MB);
          assertThat(header(record, DeadLetter.BOUNDED_HEADER)).isNull();
        }
      }

      try (ZendeskLoyaltyKafkaConsumer again = intake(topic, topic, sync, listener).start()) {
        await("the restarted intake assigned, with nothing left to read", () -> {
          KafkaIntakeStatus status = again.status();
          return status.state() == KafkaIntakeStatus.State.RUNNING
              && status.assignedPartitions() == 3 && status.lag() == 0;
        });
      }
      assertThat(read(topic + ".dead")).as("a restart dead-letters nothing again")
          .hasSameSizeAs(oversized);
    }
  }

  @Test
  void recordsOfOneAndTwoMegabytesGoWholeToADeadLetterTopicThatAllowsThem() throws Exception {
    oversizedRecordsAreDeadLetteredOnce("big-allowed", 3 * MB, 3 * MB,
        new int[] {MB, 2 * MB, MB}, false);
  }

  @Test
  void recordsOfOneAndTwoMegabytesGoBoundedToADeadLetterTopicAtKafkasDefaults()
      throws Exception {
    oversizedRecordsAreDeadLetteredOnce("big-default-dead", 3 * MB, null,
        new int[] {MB, 2 * MB, MB}, true);
  }

  @Test
  void theLargestRecordKafkasDefaultsAcceptGoesBoundedWhenItsHeadersMakeItTooLarge()
      throws Exception {
    // 1,048,400 bytes fit a default topic's 1,048,588; with the dead-letter headers they do not
    oversizedRecordsAreDeadLetteredOnce("big-all-default", null, null,
        new int[] {1_048_400, 1_048_400}, true);
  }

  @Test
  void aDeadLetterTopicDeletedMidStreamHoldsItsPartitionAndCatchesUpWhenItIsBack()
      throws Exception {
    String topic = "dead-deleted";
    createTopic(topic, 3, null);
    createTopic(topic + ".dead", 1, null);
    List<KafkaIntakeStatus.PartitionHold> held = new CopyOnWriteArrayList<>();
    List<KafkaIntakeStatus.PartitionHold> released = new CopyOnWriteArrayList<>();
    KafkaIntakeListener listener = new KafkaIntakeListener() {
      @Override
      public void onPartitionHeld(KafkaIntakeStatus.PartitionHold hold) {
        held.add(hold);
      }

      @Override
      public void onPartitionReleased(KafkaIntakeStatus.PartitionHold hold) {
        released.add(hold);
      }
    };
    try (FakeZendesk fake = fake(); ZendeskLoyaltySync sync = sync(fake);
         ZendeskLoyaltyKafkaConsumer intake = intake(topic, topic, sync, listener)
             .producerConfig(impatientProducer()).start()) {
      send(List.of(oversized(topic, 1, 100_000), event(topic, 1, 1)));
      await("the first dead letter written", () -> read(topic + ".dead").size() == 1);

      deleteTopic(topic + ".dead");
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      Map<Integer, Integer> newest = new HashMap<>();
      for (int member = 0; member < 30; member++) {
        records.add(event(topic, member, 2));
        newest.put(member, 2);
      }
      records.add(oversized(topic, 2, 100_000));
      RecordMetadata poison = send(records).get(records.size() - 1);
      await("the poison record's partition held", () -> !held.isEmpty());
      KafkaIntakeStatus status = intake.status();
      assertThat(status.state()).isEqualTo(KafkaIntakeStatus.State.HOLDING);
      assertThat(status.holds()).singleElement().satisfies(hold -> {
        assertThat(hold.partition()).isEqualTo(poison.partition());
        assertThat(hold.offset()).isEqualTo(poison.offset());
        assertThat(hold.reason()).contains(topic + ".dead cannot be written");
      });
      assertThat(committedToTheEnd(topic, topic, 3)).isFalse();

      createTopic(topic + ".dead", 1, null);
      await("every record in Zendesk and every offset committed once the topic is back",
          () -> holdsNewest(fake, newest) && committedToTheEnd(topic, topic, 3));
      await("released", () -> released.size() == 1
          && intake.status().state() == KafkaIntakeStatus.State.RUNNING);
      assertThat(read(topic + ".dead")).extracting(record ->
          header(record, DeadLetter.SOURCE_OFFSET_HEADER)).as("the poison record, once")
          .containsExactly(Long.toString(poison.offset()));
    }
  }

  @Test
  void aDeadLetterTopicNotAuthorisedHoldsItsPartitionUntilWriteIsGranted() throws Exception {
    String topic = "dead-denied";
    createTopic(topic, 3, null);
    createTopic(topic + ".dead", 1, null);
    AclBinding denyWrite = deny(ResourceType.TOPIC, topic + ".dead", AclOperation.WRITE);
    createAcl(denyWrite);
    List<KafkaIntakeStatus.PartitionHold> held = new CopyOnWriteArrayList<>();
    KafkaIntakeListener listener = new KafkaIntakeListener() {
      @Override
      public void onPartitionHeld(KafkaIntakeStatus.PartitionHold hold) {
        held.add(hold);
      }
    };
    try (FakeZendesk fake = fake(); ZendeskLoyaltySync sync = sync(fake);
         ZendeskLoyaltyKafkaConsumer intake = intake(topic, topic, sync, listener).start()) {
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      Map<Integer, Integer> newest = new HashMap<>();
      records.add(oversized(topic, 2, 100_000));
      for (int member = 0; member < 30; member++) {
        records.add(event(topic, member, 1));
        newest.put(member, 1);
      }
      send(records);
      await("the poison record's partition held", () -> !held.isEmpty());
      assertThat(held.get(0).reason()).contains("TopicAuthorizationException")
          .contains("grant this client WRITE and DESCRIBE on topic " + topic + ".dead");
      assertThat(intake.status().problem()).hasValueSatisfying(problem ->
          assertThat(problem).contains("grant this client WRITE"));

      deleteAcl(denyWrite);
      await("every record in Zendesk and every offset committed once WRITE is granted",
          () -> holdsNewest(fake, newest) && committedToTheEnd(topic, topic, 3));
      assertThat(read(topic + ".dead")).hasSize(1);
      assertThat(intake.status().holds()).isEmpty();
    }
  }

  @Test
  void anIntakeWhoseGroupIsRefusedSaysItStoppedAndRestartsOnceItIsAllowed() throws Exception {
    String topic = "group-denied";
    createTopic(topic, 3, null);
    AclBinding denyGroup = deny(ResourceType.GROUP, topic, AclOperation.READ);
    createAcl(denyGroup);
    List<KafkaIntakeStatus> stopped = new CopyOnWriteArrayList<>();
    KafkaIntakeListener listener = new KafkaIntakeListener() {
      @Override
      public void onStopped(KafkaIntakeStatus status, Throwable cause) {
        stopped.add(status);
      }
    };
    try (FakeZendesk fake = fake(); ZendeskLoyaltySync sync = sync(fake);
         ZendeskLoyaltyKafkaConsumer intake = intake(topic, topic, sync, listener).start()) {
      await("the stop heard", () -> !stopped.isEmpty());
      assertThat(stopped.get(0).state()).isEqualTo(KafkaIntakeStatus.State.STOPPED);
      assertThat(stopped.get(0).problem()).hasValueSatisfying(problem -> assertThat(problem)
          .contains("GroupAuthorizationException").contains("restarts in")
          .contains("grant this client READ on topics [" + topic + "]"));
      Map<Integer, Integer> newest = new HashMap<>();
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
      for (int member = 0; member < 30; member++) {
        records.add(event(topic, member, 1));
        newest.put(member, 1);
      }
      send(records);

      deleteAcl(denyGroup);
      await("restarted: every record in Zendesk and committed",
          () -> holdsNewest(fake, newest) && committedToTheEnd(topic, topic, 3));
      await("running", () -> intake.status().isRunning());
    }
  }
}
