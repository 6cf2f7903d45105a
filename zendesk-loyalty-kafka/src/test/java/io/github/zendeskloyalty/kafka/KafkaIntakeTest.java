package io.github.zendeskloyalty.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.OAuthAuthorization;
import io.github.zendeskloyalty.client.OAuthTokens;
import io.github.zendeskloyalty.client.RetryPolicy;
import io.github.zendeskloyalty.client.ZendeskCredentials;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyEvent;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import io.github.zendeskloyalty.testkit.FakeEndpoint;
import io.github.zendeskloyalty.testkit.FakeFault;
import io.github.zendeskloyalty.testkit.FakeUser;
import io.github.zendeskloyalty.testkit.FakeUserWrite;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The intake against a real Kafka broker (KRaft, in-process from Kafka's own test kit) and the
 * fake Zendesk: every member ends at its newest snapshot, offsets are committed only for
 * settled records, and records that will never sync are dead-lettered once, with their reason.
 */
class KafkaIntakeTest {

  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
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
        .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    cluster.close();
  }

  private static void createTopic(String topic, int partitions) throws Exception {
    try (Admin admin = Admin.create(cluster.clientProperties())) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }
  }

  private static LoyaltyMember member(int n, int version) {
    return LoyaltyMember.builder().memberId("M-" + n).email("member" + n + "@example.com")
        .availablePoints(BigDecimal.valueOf(version))
        .lastModifiedDate(T0.plusSeconds(version)).build();
  }

  /** Sends the records; where each landed, in their order. */
  private static List<RecordMetadata> send(String topic,
      List<ProducerRecord<byte[], byte[]>> records) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(cluster.clientProperties(),
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

  private static ProducerRecord<byte[], byte[]> event(String topic, LoyaltyMember member) {
    return new ProducerRecord<>(topic, member.memberId().getBytes(StandardCharsets.UTF_8),
        LoyaltyEventJson.encode(new LoyaltyEvent(SyncTrigger.POINTS_AWARDED, member,
            member.lastModifiedDate())));
  }

  /** Events for {@code members} members with duplicates and late re-deliveries; the newest of each. */
  private static int[] stream(String topic, int events, int members, long seed,
      List<ProducerRecord<byte[], byte[]>> records) {
    Random random = new Random(seed);
    int[] newest = new int[members];
    for (int i = 0; i < events; i++) {
      int member = random.nextInt(members);
      int roll = random.nextInt(10);
      int version = roll == 0 && newest[member] > 1 ? 1 + random.nextInt(newest[member])
          : ++newest[member];
      records.add(event(topic, member(member, version)));
    }
    return newest;
  }

  private static ZendeskLoyaltyKafkaConsumer.Builder intake(String topic, String group,
      ZendeskLoyaltySync sync) {
    Map<String, Object> config = new HashMap<>();
    cluster.clientProperties().forEach((key, value) -> config.put(key.toString(), value));
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    return ZendeskLoyaltyKafkaConsumer.builder().consumerConfig(config).topics(topic).sync(sync)
        .commitInterval(Duration.ofMillis(200)).retryBackoff(Duration.ofMillis(50),
            Duration.ofMillis(400));
  }

  private static Map<TopicPartition, Long> committed(String group) throws Exception {
    try (Admin admin = Admin.create(cluster.clientProperties())) {
      Map<TopicPartition, Long> offsets = new HashMap<>();
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get();
      committed.forEach((partition, offset) -> {
        if (offset != null) {
          offsets.put(partition, offset.offset());
        }
      });
      return offsets;
    }
  }

  private static Map<TopicPartition, Long> ends(String topic, int partitions) throws Exception {
    try (Admin admin = Admin.create(cluster.clientProperties())) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin.listOffsets(latest).all().get().forEach((partition, info) ->
          ends.put(partition, info.offset()));
      return ends;
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> read(String topic) {
    Properties config = cluster.clientProperties();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
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

  /** Waits, in bounded real time, for what a real broker and threads reach by themselves. */
  private static void await(String what, BooleanSupplier condition) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("still waiting for " + what).isLessThan(until);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }

  private static boolean holdsNewest(FakeZendesk fake, int[] newest) {
    Map<String, Object> points = new HashMap<>();
    for (FakeUser user : fake.users()) {
      points.put(user.email(), user.userFields().get("zrl_member_available_points"));
    }
    for (int member = 0; member < newest.length; member++) {
      Object held = points.get("member" + member + "@example.com");
      if (newest[member] > 0 && (held == null
          || new BigDecimal(held.toString()).compareTo(BigDecimal.valueOf(newest[member])) != 0)) {
        return false;
      }
    }
    return true;
  }

  private static boolean committedToTheEnd(String group, String topic, int partitions) {
    try {
      return committed(group).equals(ends(topic, partitions));
    } catch (Exception unreadable) {
      throw new IllegalStateException(unreadable);
    }
  }

  @Test
  void twoConsumersLeaveEveryMemberAtItsNewestSnapshotAndCommitEverything() throws Exception {
    String topic = "events-two-consumers";
    createTopic(topic, 3);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    int[] newest = stream(topic, 3_000, 300, 42, records);
    try (FakeZendesk fake = FakeZendesk.builder().provisioned(FieldSchema.standard())
            .requestsPerMinute(100_000).start();
         ZendeskLoyaltySync sync = fake.syncBuilder().maxDelay(Duration.ofMillis(20))
            .jobPollInterval(Duration.ofMillis(50)).build()) {
      List<ZendeskLoyaltyKafkaConsumer> group = List.of(intake(topic, "two", sync).start(),
          intake(topic, "two", sync).start());
      try {
        send(topic, records);

        await("every member's newest snapshot in Zendesk and every offset committed", () ->
            holdsNewest(fake, newest) && committedToTheEnd("two", topic, 3));
      } finally {
        group.forEach(ZendeskLoyaltyKafkaConsumer::close);
      }
      assertThat(read(topic + ".dead-letters")).isEmpty();
    }
  }

  @Test
  void aHundredThousandEventsOverTwentyThousandMembersTakeAboutOneWriteAHundredMembers()
      throws Exception {
    String topic = "events-100k";
    createTopic(topic, 3);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    int[] newest = stream(topic, 100_000, 20_000, 5, records);
    send(topic, records); // a backlog: the consumers start behind it, as after an outage
    try (FakeZendesk fake = FakeZendesk.builder().provisioned(FieldSchema.standard())
            .requestsPerMinute(1_000_000).journalSize(100_000).writeLogSize(0).start();
         ZendeskLoyaltySync sync = fake.syncBuilder().maxDelay(Duration.ofMillis(20))
            .jobPollInterval(Duration.ofMillis(50)).build()) {
      List<ZendeskLoyaltyKafkaConsumer> group = List.of(intake(topic, "100k", sync).start(),
          intake(topic, "100k", sync).start());
      try {
        await("every member's newest snapshot in Zendesk and every offset committed", () ->
            holdsNewest(fake, newest) && committedToTheEnd("100k", topic, 3));
      } finally {
        group.forEach(ZendeskLoyaltyKafkaConsumer::close);
      }
      int writes = fake.requests(FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS).size()
          + fake.requests(FakeEndpoint.CREATE_OR_UPDATE_USER).size();
      System.out.printf("100,000 events over 20,000 members through Kafka: %d writes%n", writes);
      assertThat(writes).as("writes for 20,000 members: within 1.1 x ceil(M/100)")
          .isLessThanOrEqualTo(220);
    }
  }

  @Test
  void recordsThatWillNeverSyncAreDeadLetteredOnceWithTheirReasonAndTheRestGoesOn()
      throws Exception {
    String topic = "events-poison";
    createTopic(topic, 3);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    int[] newest = stream(topic, 200, 50, 7, records);
    records.add(new ProducerRecord<>(topic, "M-1".getBytes(StandardCharsets.UTF_8),
        "{not json".getBytes(StandardCharsets.UTF_8)));
    records.add(new ProducerRecord<>(topic, "M-2".getBytes(StandardCharsets.UTF_8),
        ("{\"version\":1,\"trigger\":\"POINTS_DEDUCTED\",\"occurredAt\":\"2026-11-24T10:15:30Z\","
            + "\"member\":{\"zrl_member_member_id\":\"M-2\","
            + "\"zrl_member_lifetime_points_deducted\":-5}}").getBytes(StandardCharsets.UTF_8)));
    records.add(new ProducerRecord<>(topic, "someone-else".getBytes(StandardCharsets.UTF_8),
        LoyaltyEventJson.encode(new LoyaltyEvent(SyncTrigger.POINTS_AWARDED, member(3, 1), T0))));
    try (FakeZendesk fake = FakeZendesk.builder().provisioned(FieldSchema.standard())
            .requestsPerMinute(100_000).start();
         ZendeskLoyaltySync sync = fake.syncBuilder().maxDelay(Duration.ofMillis(20))
            .jobPollInterval(Duration.ofMillis(50)).build()) {
      ZendeskLoyaltyKafkaConsumer intake = intake(topic, "poison", sync).start();
      try {
        send(topic, records);
        await("the good records in Zendesk and every offset committed", () ->
            holdsNewest(fake, newest) && committedToTheEnd("poison", topic, 3));
      } finally {
        intake.close();
      }
      List<ConsumerRecord<byte[], byte[]>> dead = read(topic + ".dead-letters");
      List<String> reasons = dead.stream().map(record -> new String(record.headers()
          .lastHeader("zendesk-loyalty.reason").value(), StandardCharsets.UTF_8)).toList();
      assertThat(reasons).hasSize(3).anyMatch(reason -> reason.startsWith("undecodable: value is"
          + " not JSON")).anyMatch(reason -> reason.equals("undecodable:"
          + " lifetimePointsDeducted must not be negative: -5"))
          .anyMatch(reason -> reason.startsWith("key is not the member id"));
      assertThat(dead).allSatisfy(record -> {
        assertThat(new String(record.headers().lastHeader("zendesk-loyalty.source-topic")
            .value(), StandardCharsets.UTF_8)).isEqualTo(topic);
        assertThat(record.headers().lastHeader("zendesk-loyalty.source-offset")).isNotNull();
      });
      assertThat(dead).extracting(record -> new String(record.headers()
          .lastHeader("zendesk-loyalty.reason-code").value(), StandardCharsets.UTF_8))
          .containsExactlyInAnyOrder("UNDECODABLE", "UNDECODABLE", "KEY_NOT_MEMBER_ID");
    }
  }

  @Test
  void anOutageCommitsNothingUnsettledDeadLettersNothingAndEverythingArrivesAfter()
      throws Exception {
    String topic = "events-outage";
    createTopic(topic, 3);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    int[] newest = stream(topic, 300, 60, 11, records);
    try (FakeZendesk fake = FakeZendesk.builder().provisioned(FieldSchema.standard())
            .requestsPerMinute(100_000).start();
         ZendeskLoyaltySync sync = fake.syncBuilder().maxDelay(Duration.ofMillis(20))
            .jobPollInterval(Duration.ofMillis(50)).retryPolicy(RetryPolicy.builder()
                .maxAttempts(2).baseDelay(Duration.ofMillis(5)).maxDelay(Duration.ofMillis(10))
                .deadline(Duration.ofMillis(300)).build()).build()) {
      fake.failNext(1_000_000, FakeEndpoint.ANY, FakeFault.status(503));
      ZendeskLoyaltyKafkaConsumer intake = intake(topic, "outage", sync).start();
      try {
        List<RecordMetadata> landed = send(topic, records);
        await("Zendesk down for a while: many calls answered 503", () ->
            fake.requests().stream().filter(request -> request.status() == 503).count() > 50);

        // a member's newest snapshot cannot settle while Zendesk is down; an older one may
        // (ignored as stale, or superseded by a later record of the member): never may a commit
        // pass the last record carrying a member's newest snapshot
        Map<Integer, RecordMetadata> lastNewest = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
          LoyaltyEvent event = LoyaltyEventJson.decoder().decode(topic, null,
              records.get(i).value());
          int member = Integer.parseInt(event.member().memberId().substring(2));
          if (event.member().availablePoints().intValue() == newest[member]) {
            lastNewest.put(member, landed.get(i));
          }
        }
        Map<TopicPartition, Long> firstUnsettleable = new HashMap<>();
        lastNewest.values().forEach(at -> firstUnsettleable.merge(
            new TopicPartition(topic, at.partition()), at.offset(), Math::min));
        assertThat(committed("outage")).as("no offset past an unsettled record")
            .allSatisfy((partition, offset) -> assertThat(offset)
                .isLessThanOrEqualTo(firstUnsettleable.get(partition)));
        fake.clearFaults();
        await("everything in Zendesk after the outage and every offset committed", () ->
            holdsNewest(fake, newest) && committedToTheEnd("outage", topic, 3));
      } finally {
        intake.close();
      }
      assertThat(read(topic + ".dead-letters")).as("a transient failure is never dead-lettered")
          .isEmpty();
    }
  }

  @Test
  void scalingOutAndInAcrossRebalancesLosesNothingAndLeavesNothingStale() throws Exception {
    String topic = "events-scale";
    createTopic(topic, 3);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    int[] newest = stream(topic, 6_000, 600, 23, records);
    int half = records.size() / 2;
    try (FakeZendesk fake = FakeZendesk.builder().provisioned(FieldSchema.standard())
            .requestsPerMinute(100_000).start();
         ZendeskLoyaltySync sync = fake.syncBuilder().maxDelay(Duration.ofMillis(20))
            .jobPollInterval(Duration.ofMillis(50)).build()) {
      List<ZendeskLoyaltyKafkaConsumer> group = new ArrayList<>();
      try {
        group.add(intake(topic, "scale", sync).start());
        send(topic, records.subList(0, half));
        await("the first consumer at work", () -> fake.userWrites().size() > 100);

        group.add(intake(topic, "scale", sync).start()); // 1 -> 3 mid-stream
        group.add(intake(topic, "scale", sync).start());
        send(topic, records.subList(half, records.size()));
        await("some of the second half written", () -> fake.userWrites().size() > 400);
        group.remove(0).close(); // 3 -> 2: its partitions move, unsettled records are read again

        await("every member's newest snapshot in Zendesk and every offset committed", () ->
            holdsNewest(fake, newest) && committedToTheEnd("scale", topic, 3));
      } finally {
        group.forEach(ZendeskLoyaltyKafkaConsumer::close);
      }
      assertThat(read(topic + ".dead-letters")).isEmpty();
    }
  }

  @Test
  void aConsumerKilledWithSigkillMidStreamLosesNothingAndNeverWritesOlderOverNewer()
      throws Exception {
    String topic = "events-crash";
    createTopic(topic, 3);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    int[] newest = stream(topic, 20_000, 2_000, 99, records);
    try (FakeZendesk fake = FakeZendesk.builder().provisioned(FieldSchema.standard())
            .requestsPerMinute(100_000).journalSize(0).start();
         ZendeskLoyaltySync sync = fake.syncBuilder().maxDelay(Duration.ofMillis(20))
            .jobPollInterval(Duration.ofMillis(50)).build()) {
      send(topic, records);
      Process crashing = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
          .toString(), "-cp", System.getProperty("java.class.path"),
          IntakeProcess.class.getName(), cluster.bootstrapServers(), topic, "crash",
          fake.baseUri().toString()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      try {
        await("the other process writing", () -> fake.userWrites().size() > 500);
      } finally {
        crashing.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: nothing is closed
      }
      int writesBeforeTheKill = fake.userWrites().size();
      assertThat(committedToTheEnd("crash", topic, 3)).as("the kill left work undone").isFalse();

      ZendeskLoyaltyKafkaConsumer successor = intake(topic, "crash", sync).start();
      try {
        await("every member's newest snapshot in Zendesk and every offset committed", () ->
            holdsNewest(fake, newest) && committedToTheEnd("crash", topic, 3));
      } finally {
        successor.close();
      }
      assertThat(writesBeforeTheKill).isPositive();
      assertThat(olderOverNewer(fake)).as("writes of a snapshot older than one written before")
          .isZero();
    }
  }

  @Test
  void deadLettersReplayedOnceTheCauseIsFixedArriveAndASecondReplayFindsNothingNew()
      throws Exception {
    String topic = "events-replay";
    createTopic(topic, 3);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    int[] newest = stream(topic, 400, 40, 31, records);
    // a decoder deployed with a bug: it refuses every member whose id ends in 7
    LoyaltyEventDecoder buggy = (source, key, value) -> {
      LoyaltyEvent event = LoyaltyEventJson.decoder().decode(source, key, value);
      if (event.member().memberId().endsWith("7")) {
        throw new IllegalArgumentException("unsupported member");
      }
      return event;
    };
    Map<String, Object> client = new HashMap<>();
    cluster.clientProperties().forEach((key, value) -> client.put(key.toString(), value));
    try (FakeZendesk fake = FakeZendesk.builder().provisioned(FieldSchema.standard())
            .requestsPerMinute(100_000).start();
         ZendeskLoyaltySync sync = fake.syncBuilder().maxDelay(Duration.ofMillis(20))
            .jobPollInterval(Duration.ofMillis(50)).build()) {
      send(topic, records);
      long refused = records.stream().filter(record -> new String(record.key(),
          StandardCharsets.UTF_8).endsWith("7")).count();
      ZendeskLoyaltyKafkaConsumer withBug = intake(topic, "replay", sync).decoder(buggy).start();
      try {
        await("the buggy intake through the topic", () -> committedToTheEnd("replay", topic, 3));
      } finally {
        withBug.close();
      }
      assertThat(fake.user("member7@example.com")).isEmpty();

      DeadLetterReplay.Builder replay = DeadLetterReplay.builder().clientConfig(client)
          .deadLetterTopic(topic + ".dead-letters");
      ReplayReport dry = replay.dryRun(true).build().run();
      assertThat(dry.replayed()).isEqualTo(refused);
      assertThat(dry.byReason()).containsExactly(Map.entry("UNDECODABLE", refused));
      ReplayReport done = replay.dryRun(false).build().run();
      assertThat(done.replayed()).as("a dry run commits nothing").isEqualTo(refused);
      assertThat(replay.build().run().replayed()).as("a second run: nothing new").isZero();

      ZendeskLoyaltyKafkaConsumer fixed = intake(topic, "replay", sync).start();
      try {
        await("every member's newest snapshot in Zendesk, the replayed ones too", () ->
            holdsNewest(fake, newest) && committedToTheEnd("replay", topic, 3));
      } finally {
        fixed.close();
      }
      assertThat(read(topic).stream().filter(record -> record.headers()
          .lastHeader(DeadLetterReplay.REPLAYED_FROM) != null)).hasSize((int) refused);
      assertThat(read(topic + ".dead-letters")).as("nothing dead-lettered again").hasSize(
          (int) refused);
    }
  }

  /** Writes whose snapshot is older than one written to the same user before. */
  private static int olderOverNewer(FakeZendesk fake) {
    Map<Long, Instant> newestWritten = new HashMap<>();
    int older = 0;
    for (FakeUserWrite write : fake.userWrites()) {
      Object modified = write.userFields().get("zrl_member_last_modified_date");
      if (modified == null) {
        continue;
      }
      Instant version = Instant.parse(modified.toString());
      Instant before = newestWritten.get(write.userId());
      if (before != null && version.isBefore(before)) {
        older++;
      } else {
        newestWritten.put(write.userId(), version);
      }
    }
    return older;
  }

  @Test
  void aRevokedGrantHoldsThePartitionsDeadLettersNothingAndDeliversEverythingAfterReconnecting()
      throws Exception {
    String topic = "events-revoked";
    createTopic(topic, 3);
    try (FakeZendesk fake = FakeZendesk.builder().provisioned(FieldSchema.standard())
            .requestsPerMinute(100_000).start()) {
      ZendeskCredentials credentials = ZendeskCredentials.oauthRefreshToken(
          FakeZendesk.OAUTH_CLIENT_ID, FakeZendesk.OAUTH_CLIENT_SECRET, connect(fake)).build();
      try (ZendeskLoyaltySync sync = fake.syncBuilder().credentials(credentials)
              .maxDelay(Duration.ofMillis(20)).jobPollInterval(Duration.ofMillis(50)).build();
           ZendeskLoyaltyKafkaConsumer intake = intake(topic, "revoked", sync).start()) {
        List<ProducerRecord<byte[], byte[]>> before = new ArrayList<>();
        int[] first = stream(topic, 200, 40, 3, before);
        send(topic, before);
        await("the first records in Zendesk and committed", () -> holdsNewest(fake, first)
            && committedToTheEnd("revoked", topic, 3));

        fake.revokeOAuthTokens(); // the customer revoked the integration
        List<ProducerRecord<byte[], byte[]>> after = new ArrayList<>();
        int[] newest = first.clone();
        for (int member = 0; member < 40; member++) {
          newest[member] = first[member] + 1;
          after.add(event(topic, member(member, newest[member])));
        }
        send(topic, after);
        await("the partitions held for the credentials", () -> intake.status().holds().stream()
            .anyMatch(hold -> hold.reason().contains("need reconnecting")));
        assertThat(intake.status().state()).isEqualTo(KafkaIntakeStatus.State.HOLDING);
        assertThat(committedToTheEnd("revoked", topic, 3)).isFalse();

        credentials.reconnect(connect(fake)); // the admin connected the account again
        await("every record delivered and committed after reconnecting", () ->
            holdsNewest(fake, newest) && committedToTheEnd("revoked", topic, 3));
        await("running again", () -> intake.status().state() == KafkaIntakeStatus.State.RUNNING);
      }
      assertThat(read(topic + ".dead-letters")).as("nothing dead-lettered").isEmpty();
    }
  }

  private static OAuthTokens connect(FakeZendesk fake) throws InterruptedException {
    OAuthAuthorization authorization = OAuthAuthorization.start(fake.baseUri(),
        FakeZendesk.OAUTH_CLIENT_ID, URI.create("http://127.0.0.1:8765/callback"),
        List.of("read", "write"));
    return authorization.exchange(fake.authorize(authorization.uri()),
        FakeZendesk.OAUTH_CLIENT_SECRET, HttpClient.newHttpClient());
  }
}
