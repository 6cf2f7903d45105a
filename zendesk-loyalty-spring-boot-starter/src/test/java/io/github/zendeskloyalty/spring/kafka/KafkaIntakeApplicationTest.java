package io.github.zendeskloyalty.spring.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyEvent;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import io.github.zendeskloyalty.kafka.LoyaltyEventJson;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
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
@SpringBootTest(classes = SampleLoyaltyApplication.class)
class KafkaIntakeApplicationTest {

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
  }

  private static KafkaClusterTestKit startBroker() {
    try {
      KafkaClusterTestKit started = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
          .setNumBrokerNodes(1).setNumControllerNodes(1).setCombined(true).build())
          .setConfigProp("offsets.topic.replication.factor", "1")
          .setConfigProp("offsets.topic.num.partitions", "1")
          .setConfigProp("group.initial.rebalance.delay.ms", "0").build();
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

  @Test
  void eventsOnTheTopicReachTheProfilesAndAreCommittedUnderBootsGroupId(FakeZendesk fake)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(cluster.clientProperties(),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int n = 1; n <= 20; n++) {
        LoyaltyMember member = LoyaltyMember.builder().memberId("M-" + n)
            .email("member" + n + "@example.com").availablePoints(BigDecimal.valueOf(n * 10L))
            .lastModifiedDate(Instant.parse("2026-11-01T00:00:00Z")).build();
        producer.send(new ProducerRecord<>("loyalty-events",
            member.memberId().getBytes(StandardCharsets.UTF_8), LoyaltyEventJson.encode(
                new LoyaltyEvent(SyncTrigger.POINTS_AWARDED, member, Instant.now())))).get();
      }
    }

    await("the 20 members in Zendesk", () -> fake.users().size() == 20);
    ZendeskAssertions.assertThat(fake).user("member7@example.com")
        .hasField("zrl_member_available_points", 70);
    await("every offset committed under spring.kafka.consumer.group-id", () -> {
      try (Admin admin = Admin.create(cluster.clientProperties())) {
        Map<TopicPartition, OffsetAndMetadata> committed = admin
            .listConsumerGroupOffsets("loyalty-app").partitionsToOffsetAndMetadata().get();
        return committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum() == 20;
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
