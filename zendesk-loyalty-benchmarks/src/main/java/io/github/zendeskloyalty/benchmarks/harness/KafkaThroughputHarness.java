package io.github.zendeskloyalty.benchmarks.harness;

import io.github.zendeskloyalty.client.RateLimits;
import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.ZendeskOperation;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyEvent;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import io.github.zendeskloyalty.kafka.LoyaltyEventJson;
import io.github.zendeskloyalty.kafka.ZendeskLoyaltyKafkaConsumer;
import io.github.zendeskloyalty.testkit.FakeUser;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * Events per second from a Kafka topic through the intake and the SDK into {@link FakeZendesk}
 * (its rate limit and the SDK's pacing lifted, its bulk jobs done at once and polled every
 * 50 ms: what is measured is the intake, not Zendesk's pace), on a real broker
 * in this process, in real time. Two ways events come: a backlog the consumer starts behind (after
 * an outage or a deploy), and a live stream produced while it reads.
 *
 * <pre>
 * mvn -B -ntp -q -Pharness package -DskipTests -Dharness.args=kafka
 * </pre>
 *
 * <p>Delivered: every member's newest snapshot in the fake (looked at within 100 ms). Committed: every partition's offset
 * committed to its end; the commit lag is the time between the two (the commit interval is the
 * default 5 s).
 */
final class KafkaThroughputHarness {

  private static final Logger SDK_LOG = Logger.getLogger("io.github.zendeskloyalty");
  private static final int PARTITIONS = 3;

  private KafkaThroughputHarness() {}

  static void run(int events, int members) throws Exception {
    SDK_LOG.setLevel(Level.SEVERE);
    Logger.getLogger("org.apache.kafka").setLevel(Level.SEVERE);
    try (KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
        .setNumBrokerNodes(1).setNumControllerNodes(1).setCombined(true).build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("offsets.topic.num.partitions", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0").build()) {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      System.out.printf(Locale.ROOT, "## Kafka intake throughput (%,d events over %,d members,"
          + " %d partitions, %d cores)%n%n", events, members, PARTITIONS,
          Runtime.getRuntime().availableProcessors());
      System.out.println("| events come | consumers | maxOpenRecords | produced in | delivered in"
          + " | events/s | commit lag | writes | lower bound ceil(M/100) |");
      System.out.println("|---|---|---|---|---|---|---|---|---|");
      int defaults = ZendeskLoyaltyKafkaConsumer.DEFAULT_MAX_OPEN_RECORDS;
      // a consumer runs for days: the rows measure compiled code, not the JIT's first minutes
      for (int warmUp = 0; warmUp < 2; warmUp++) {
        row(cluster, events, members, warmUp == 0, 1, defaults, "warm-up-" + warmUp);
      }
      for (boolean backlog : new boolean[] {true, false}) {
        for (int consumers : new int[] {1, 2}) {
          row(cluster, events, members, backlog, consumers, defaults, null);
        }
        row(cluster, events, members, backlog, 1, 2 * defaults, null);
      }
    }
  }

  /** One row of the table; a warm-up (named) runs the same and prints nothing. */
  private static void row(KafkaClusterTestKit cluster, int events, int members, boolean backlog,
      int consumers, int maxOpenRecords, String warmUp) throws Exception {
    String topic = warmUp != null ? warmUp : "events-" + (backlog ? "backlog" : "live") + "-"
        + consumers + "-" + maxOpenRecords;
    try (Admin admin = Admin.create(cluster.clientProperties())) {
      admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
    }
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(events);
    int[] newest = new int[members];
    Random random = new Random(42);
    int lastMember = 0;
    for (int i = 0; i < events; i++) {
      int member = random.nextInt(members);
      lastMember = member;
      LoyaltyMember snapshot = PerformanceHarness.snapshot(member, ++newest[member]);
      records.add(new ProducerRecord<>(topic, snapshot.memberId().getBytes(StandardCharsets.UTF_8),
          LoyaltyEventJson.encode(new LoyaltyEvent(SyncTrigger.POINTS_AWARDED, snapshot,
              snapshot.lastModifiedDate()))));
    }
    Map<String, Object> config = new HashMap<>();
    cluster.clientProperties().forEach((key, value) -> config.put(key.toString(), value));
    config.put(ConsumerConfig.GROUP_ID_CONFIG, topic);
    AtomicLong written = new AtomicLong();
    SyncListener writes = new SyncListener() {
      @Override
      public void onRequest(ZendeskOperation operation, int status) {
        if (operation == ZendeskOperation.CREATE_OR_UPDATE_MANY_USERS
            || operation == ZendeskOperation.CREATE_OR_UPDATE_USER) {
          written.incrementAndGet();
        }
      }
    };
    try (FakeZendesk fake = FakeZendesk.builder().provisioned(FieldSchema.standard())
            .requestsPerMinute(Integer.MAX_VALUE).journalSize(0).writeLogSize(0).start();
         ZendeskLoyaltySync sync = fake.syncBuilder()
             .rateLimits(new RateLimits(1_000_000, RateLimits.ZENDESK_MAX_CONCURRENT_JOBS,
                 RateLimits.DEFAULT_RETRY_AFTER))
             .jobPollInterval(Duration.ofMillis(50)).listener(writes).build()) {
      double producedIn = 0;
      if (backlog) {
        producedIn = produce(cluster, records);
      }
      long start = System.nanoTime();
      List<ZendeskLoyaltyKafkaConsumer> group = new ArrayList<>();
      for (int i = 0; i < consumers; i++) {
        group.add(ZendeskLoyaltyKafkaConsumer.builder().consumerConfig(config).topics(topic)
            .sync(sync).maxOpenRecords(maxOpenRecords).start());
      }
      try {
        if (!backlog) {
          producedIn = produce(cluster, records);
        }
        long[] lastLook = {0};
        int last = lastMember;
        long delivered = awaitNanos(() -> {
          // looking at 50,000 users costs CPU the intake needs: only once the member of the
          // last record produced holds its newest snapshot, the SDK is idle, and at most every
          // 100 ms
          if (sync.backlog() > 0 || System.nanoTime() - lastLook[0] < 100_000_000L
              || !holds(fake, last, newest[last])) {
            return false;
          }
          lastLook[0] = System.nanoTime();
          return holdsNewest(fake, newest);
        });
        long committed = awaitNanos(() -> committedToTheEnd(cluster, topic));
        double seconds = (delivered - start) / 1e9;
        if (warmUp != null) {
          return;
        }
        System.out.printf(Locale.ROOT, "| %s | %d | %,d | %.1f s | %.1f s | %,.0f | %.1f s | %,d"
            + " | %,d |%n",
            backlog ? "a backlog, consumers start behind it" : "live, produced while read",
            consumers, maxOpenRecords, producedIn, seconds, events / seconds, (committed - delivered) / 1e9,
            written.get(),
            (members + 99) / 100);
      } finally {
        group.forEach(ZendeskLoyaltyKafkaConsumer::close);
      }
    }
  }

  /** Sends the records; the seconds it took. */
  private static double produce(KafkaClusterTestKit cluster,
      List<ProducerRecord<byte[], byte[]>> records) {
    long start = System.nanoTime();
    Map<String, Object> config = new HashMap<>();
    cluster.clientProperties().forEach((key, value) -> config.put(key.toString(), value));
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config,
        new ByteArraySerializer(), new ByteArraySerializer())) {
      records.forEach(producer::send);
      producer.flush();
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static long awaitNanos(java.util.function.BooleanSupplier condition) {
    long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException("not done within 10 minutes");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    return System.nanoTime();
  }

  private static boolean holds(FakeZendesk fake, int member, int version) {
    Object held = fake.user("member" + member + "@example.com")
        .map(user -> user.userFields().get("zrl_member_available_points")).orElse(null);
    return held != null
        && new BigDecimal(held.toString()).compareTo(BigDecimal.valueOf(version * 10L)) == 0;
  }

  private static boolean holdsNewest(FakeZendesk fake, int[] newest) {
    Map<String, Object> points = new HashMap<>();
    for (FakeUser user : fake.users()) {
      points.put(user.email(), user.userFields().get("zrl_member_available_points"));
    }
    for (int member = 0; member < newest.length; member++) {
      Object held = points.get("member" + member + "@example.com");
      if (newest[member] > 0 && (held == null || new BigDecimal(held.toString())
          .compareTo(BigDecimal.valueOf(newest[member] * 10L)) != 0)) {
        return false;
      }
    }
    return true;
  }

  private static boolean committedToTheEnd(KafkaClusterTestKit cluster, String topic) {
    try (Admin admin = Admin.create(cluster.clientProperties())) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < PARTITIONS; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      ListConsumerGroupOffsetsResult committed = admin.listConsumerGroupOffsets(topic);
      Map<TopicPartition, OffsetAndMetadata> offsets =
          committed.partitionsToOffsetAndMetadata().get();
      for (var end : admin.listOffsets(latest).all().get().entrySet()) {
        OffsetAndMetadata at = offsets.get(end.getKey());
        if (at == null || at.offset() != end.getValue().offset()) {
          return false;
        }
      }
      return true;
    } catch (Exception unreadable) {
      throw new IllegalStateException(unreadable);
    }
  }
}
