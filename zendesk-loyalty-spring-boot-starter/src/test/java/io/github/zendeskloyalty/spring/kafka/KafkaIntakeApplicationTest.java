package io.github.zendeskloyalty.spring.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyEvent;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import io.github.zendeskloyalty.kafka.DeadLetter;
import io.github.zendeskloyalty.kafka.KafkaIntakeListener;
import io.github.zendeskloyalty.kafka.KafkaIntakeStatus;
import io.github.zendeskloyalty.kafka.LoyaltyEventJson;
import io.github.zendeskloyalty.spring.ZendeskLoyaltyHealth;
import io.github.zendeskloyalty.spring.ZendeskLoyaltyKafkaHealth;
import io.github.zendeskloyalty.spring.sample.SampleLoyaltyApplication;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import io.github.zendeskloyalty.testkit.FakeZendeskExtension;
import io.github.zendeskloyalty.testkit.ZendeskAssertions;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Spring Boot application with the starter, Spring Kafka and {@code zendesk-loyalty-kafka},
 * configured by properties alone, against a real broker (KRaft, in-process) and the fake:
 * events on the topic reach the members' profiles, offsets are committed under Boot's group id,
 * and the intake's meters are on the application's registry.
 */
@SpringBootTest(classes = {SampleLoyaltyApplication.class,
    KafkaIntakeApplicationTest.Heard.class})
class KafkaIntakeApplicationTest {

  /** What the intake told the application's listener bean. */
  static class Heard implements KafkaIntakeListener {
    final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    final List<Long> stoppedAtNanos = new CopyOnWriteArrayList<>();

    @Override
    public void onDeadLettered(DeadLetter deadLetter) {
      deadLetters.add(deadLetter);
    }

    @Override
    public void onStopped(KafkaIntakeStatus status, Throwable cause) {
      stoppedAtNanos.add(System.nanoTime());
    }
  }

  private static final KafkaClusterTestKit cluster = startBroker();

  @RegisterExtension
  static FakeZendeskExtension zendesk = new FakeZendeskExtension(
      FakeZendesk.builder().provisioned(FieldSchema.standard()));

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    zendesk.fake().springBootProperties().forEach((key, value) -> registry.add(key, () -> value));
    registry.add("spring.kafka.bootstrap-servers", cluster::bootstrapServers);
    registry.add("spring.kafka.consumer.group-id", () -> "loyalty-app");
    registry.add("zendesk.loyalty.kafka.topics", () -> "loyalty-events");
    registry.add("zendesk.loyalty.kafka.commit-interval", () -> "200ms");
    registry.add("zendesk.loyalty.batch.max-delay", () -> "20ms");
    registry.add("zendesk.loyalty.timeouts.job-poll-interval", () -> "50ms");
    // Boot's producer settings reach the dead-letter producer: a record over 4 KiB goes bounded
    registry.add("spring.kafka.producer.properties.max.request.size", () -> "4096");
  }

  private static KafkaClusterTestKit startBroker() {
    try {
      KafkaClusterTestKit started = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
          .setNumBrokerNodes(1).setNumControllerNodes(1).setCombined(true).build())
          .setConfigProp("offsets.topic.replication.factor", "1")
          .setConfigProp("offsets.topic.num.partitions", "1")
          .setConfigProp("group.initial.rebalance.delay.ms", "0")
          .setConfigProp("authorizer.class.name",
              "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
          .setConfigProp("allow.everyone.if.no.acl.found", "true").build();
      started.format();
      started.startup();
      started.waitForReadyBrokers();
      try (Admin admin = Admin.create(started.clientProperties())) {
        admin.createTopics(List.of(new NewTopic("loyalty-events", 2, (short) 1))).all().get();
      }
      return started;
    } catch (Exception notStarted) {
      throw new IllegalStateException("the in-process Kafka broker did not start", notStarted);
    }
  }

  @AfterAll
  static void stopBroker() throws Exception {
    cluster.close();
  }

  @Autowired
  MeterRegistry registry;

  @Autowired
  Heard heard;

  @Autowired
  ZendeskLoyaltyKafkaHealth health;

  private static void send(String key, byte[] value) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(cluster.clientProperties(),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>("loyalty-events", key.getBytes(StandardCharsets.UTF_8),
          value)).get();
    }
  }

  private static byte[] event(int n) {
    LoyaltyMember member = LoyaltyMember.builder().memberId("M-" + n)
        .email("member" + n + "@example.com").availablePoints(BigDecimal.valueOf(n * 10L))
        .lastModifiedDate(Instant.parse("2026-11-01T00:00:00Z")).build();
    return LoyaltyEventJson.encode(new LoyaltyEvent(SyncTrigger.POINTS_AWARDED, member,
        Instant.now()));
  }

  @Test
  void aStoppedIntakeIsDownInTheHealthAtOnceAndUpAgainWhenItRestarts(FakeZendesk fake)
      throws Exception {
    await("the intake up", () -> health.check().status().equals(ZendeskLoyaltyHealth.UP)
        && Integer.valueOf(2).equals(health.check().details().get("assignedPartitions")));
    AclBinding denyGroup = new AclBinding(new ResourcePattern(ResourceType.GROUP, "loyalty-app",
        PatternType.LITERAL), new AccessControlEntry("User:ANONYMOUS", "*", AclOperation.READ,
        AclPermissionType.DENY));
    try (Admin admin = Admin.create(cluster.clientProperties())) {
      admin.createAcls(List.of(denyGroup)).all().get();
    }
    await("the listener told of the stop", () -> !heard.stoppedAtNanos.isEmpty());
    ZendeskLoyaltyHealth.Report down = health.check();
    long sinceStop = System.nanoTime() - heard.stoppedAtNanos.get(0);
    assertThat(down.status()).isEqualTo(ZendeskLoyaltyHealth.DOWN);
    assertThat(sinceStop).as("DOWN within a second of the stop")
        .isLessThan(TimeUnit.SECONDS.toNanos(1));
    assertThat(down.details()).containsEntry("state", "STOPPED");
    assertThat(down.details().get("problem").toString()).contains("GroupAuthorization")
        .contains("restarts in");

    try (Admin admin = Admin.create(cluster.clientProperties())) {
      admin.deleteAcls(List.of(denyGroup.toFilter())).all().get();
    }
    send("M-500", event(500));
    await("restarted and reading: up, and the record after the stop in Zendesk", () ->
        health.check().status().equals(ZendeskLoyaltyHealth.UP)
            && fake.user("member500@example.com").isPresent());
  }

  @Test
  void theDeadLetterProducerTakesBootsProducerSettings() throws Exception {
    byte[] poison = new byte[10_000];
    java.util.Arrays.fill(poison, (byte) '[');
    send("M-900", poison);
    await("the poison record dead-lettered", () -> !heard.deadLetters.isEmpty());
    assertThat(heard.deadLetters.get(0).bounded()).as("over Boot's max.request.size of 4096:"
        + " bounded").isTrue();
  }

  @Test
  void eventsOnTheTopicReachTheProfilesAndAreCommittedUnderBootsGroupId(FakeZendesk fake)
      throws Exception {
    for (int n = 1; n <= 20; n++) {
      send("M-" + n, event(n));
    }

    await("the 20 members in Zendesk", () -> IntStream.rangeClosed(1, 20).allMatch(n ->
        fake.user("member" + n + "@example.com").isPresent()));
    ZendeskAssertions.assertThat(fake).user("member7@example.com")
        .hasField("zrl_member_available_points", 70);
    await("every offset committed under spring.kafka.consumer.group-id", () -> {
      try (Admin admin = Admin.create(cluster.clientProperties())) {
        Map<TopicPartition, OffsetAndMetadata> committed = admin
            .listConsumerGroupOffsets("loyalty-app").partitionsToOffsetAndMetadata().get();
        return committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum() >= 20;
      } catch (Exception notYet) {
        return false;
      }
    });
    await("the intake's status on the application's registry", () -> registry
        .find("zendesk.loyalty.kafka.partitions.assigned").gauge() != null
        && registry.find("zendesk.loyalty.kafka.partitions.assigned").gauge().value() == 2);
  }

  private static void await(String what, BooleanSupplier condition) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("still waiting for " + what).isLessThan(until);
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
  }
}
