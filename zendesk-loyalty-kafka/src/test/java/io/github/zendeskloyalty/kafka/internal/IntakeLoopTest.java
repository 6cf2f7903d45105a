package io.github.zendeskloyalty.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.RetryPolicy;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyEvent;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import io.github.zendeskloyalty.kafka.DeadLetter;
import io.github.zendeskloyalty.kafka.DeadLetterReason;
import io.github.zendeskloyalty.kafka.KafkaIntakeListener;
import io.github.zendeskloyalty.kafka.KafkaIntakeStatus;
import io.github.zendeskloyalty.kafka.LoyaltyEventJson;
import io.github.zendeskloyalty.testkit.FakeEndpoint;
import io.github.zendeskloyalty.testkit.FakeFault;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import io.github.zendeskloyalty.testkit.ManualClock;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loop's timing and what it tells a listener, on Kafka's {@code MockConsumer} and a manual
 * clock: commits and retries wait for the intake's clock, not the machine's.
 */
class IntakeLoopTest {

  /** Long enough that no commit comes by the machine's clock while a test runs. */
  private static final Duration COMMIT_INTERVAL = Duration.ofHours(1);
  private static final TopicPartition PARTITION = new TopicPartition("events", 0);

  private final ManualClock clock = new ManualClock();
  private final MockConsumer<byte[], byte[]> consumer =
      new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
  /** Answers every send at once; a test that answers them itself sets its own before start. */
  private MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null,
      new ByteArraySerializer(), new ByteArraySerializer());
  /** The consumers of restarted loops, in order; the first loop reads {@link #consumer}. */
  private final Deque<MockConsumer<byte[], byte[]>> restartConsumers = new ArrayDeque<>();
  private boolean firstConsumerTaken;
  private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
  private final List<KafkaIntakeStatus> statuses = new CopyOnWriteArrayList<>();
  private FakeZendesk fake;
  private ZendeskLoyaltySync sync;
  private IntakeSupervisor loop;
  private long nextOffset;
  private final List<ConsumerRecord<byte[], byte[]>> producedBeforeStart = new ArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  /** Members whose write Zendesk answered, as the SDK heard it. */
  private final AtomicInteger synced = new AtomicInteger();
  /** The SDK's bound, as the test sets it before {@code start}. */
  private int maxPendingMembers = 50_000;

  @AfterEach
  void stop() throws InterruptedException {
    if (loop != null) {
      loop.stop(Duration.ofSeconds(10));
    }
    if (sync != null) {
      sync.close();
    }
    if (fake != null) {
      fake.close();
    }
  }

  /** A second listener: hears everything though the first throws. */
  private final KafkaIntakeListener counting = new KafkaIntakeListener() {
    @Override
    public void onDeadLettered(DeadLetter deadLetter) {
      heardBySecond.add(deadLetter);
    }
  };
  private final List<DeadLetter> heardBySecond = new CopyOnWriteArrayList<>();

  private void start(KafkaIntakeListener listener, Duration firstRetry) {
    start(listener, firstRetry, 1_000, Duration.ofMillis(10));
  }

  /** With the SDK's batching delay: an hour holds what it has until {@code sync.flush()}. */
  private void start(KafkaIntakeListener listener, Duration firstRetry, int maxOpenRecords,
      Duration maxDelay) {
    start(listener, firstRetry, maxOpenRecords, maxOpenRecords, maxDelay);
  }

  private void start(KafkaIntakeListener listener, Duration firstRetry, int maxOpenRecords,
      int maxHeldMembers, Duration maxDelay) {
    fake = FakeZendesk.builder().provisioned(FieldSchema.standard()).requestsPerMinute(100_000)
        .start();
    sync = fake.syncBuilder().maxDelay(maxDelay).maxPendingMembers(maxPendingMembers)
        .retryPolicy(RetryPolicy.builder()
        .maxAttempts(1).deadline(Duration.ofMillis(200)).build()).listener(new SyncListener() {
          @Override
          public void onAccepted(SyncTrigger trigger) {
            accepted.incrementAndGet();
          }

          @Override
          public void onSynced(SyncResult result) {
            synced.incrementAndGet();
          }
        }).build();
    consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
    consumer.updateEndOffsets(Map.of(PARTITION, nextOffset));
    consumer.schedulePollTask(() -> {
      consumer.rebalance(List.of(PARTITION));
      producedBeforeStart.forEach(consumer::addRecord);
    });
    loop = new IntakeSupervisor(() -> {
      if (firstConsumerTaken) {
        return restartConsumers.pop();
      }
      firstConsumerTaken = true;
      return consumer;
    }, () -> producer, new IntakeSupervisor.Settings(
        List.of("events"), sync,
        LoyaltyEventJson.decoder(), "events.dead-letters", COMMIT_INTERVAL, firstRetry,
        firstRetry, maxOpenRecords, maxHeldMembers, Duration.ofSeconds(5),
        List.of(listener, counting), clock));
    Thread thread = new Thread(loop, "intake-under-test");
    thread.setDaemon(true);
    thread.start();
  }

  private void add(String key, byte[] value) {
    ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("events", 0, nextOffset++,
        key.getBytes(StandardCharsets.UTF_8), value);
    consumer.schedulePollTask(() -> {
      consumer.updateEndOffsets(Map.of(PARTITION, record.offset() + 1));
      consumer.addRecord(record);
    });
  }

  private void addEvent(int member) {
    addEvent(member, 1);
  }

  /**
   * Events {@code (member, version)} in one go, as if produced at once: the poll that finds them
   * sees the partition's end past all of them.
   */
  private void addEvents(int[][] events) {
    List<ConsumerRecord<byte[], byte[]>> records = records(events);
    long end = nextOffset;
    consumer.schedulePollTask(() -> {
      consumer.updateEndOffsets(Map.of(PARTITION, end));
      records.forEach(consumer::addRecord);
    });
  }

  /** Events in the partition before the loop starts: there when it is assigned. */
  private void addEventsBeforeStart(int[][] events) {
    producedBeforeStart.addAll(records(events));
  }

  private List<ConsumerRecord<byte[], byte[]>> records(int[][] events) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int[] event : events) {
      LoyaltyEvent value = event(event[0], event[1]);
      records.add(new ConsumerRecord<>("events", 0, nextOffset++,
          value.member().memberId().getBytes(StandardCharsets.UTF_8),
          LoyaltyEventJson.encode(value)));
    }
    return records;
  }

  /** An event of {@code member} with {@code version * 10} points, modified at second {@code version}. */
  private void addEvent(int member, int version) {
    LoyaltyEvent event = event(member, version);
    add(event.member().memberId(), LoyaltyEventJson.encode(event));
  }

  private static LoyaltyEvent event(int member, int version) {
    LoyaltyMember snapshot = LoyaltyMember.builder().memberId("M-" + member)
        .email("member" + member + "@example.com").availablePoints(BigDecimal.TEN
            .multiply(BigDecimal.valueOf(version)))
        .lastModifiedDate(Instant.parse("2026-11-01T00:00:00Z").plusSeconds(version)).build();
    return new LoyaltyEvent(SyncTrigger.POINTS_AWARDED, snapshot, snapshot.lastModifiedDate());
  }

  private String points(int member) {
    return fake.user("member" + member + "@example.com").orElseThrow().userFields()
        .get("zrl_member_available_points").toString();
  }

  private Long committed() {
    OffsetAndMetadata committed = consumer.committed(Set.of(PARTITION)).get(PARTITION);
    return committed == null ? null : committed.offset();
  }

  private static void await(String what, BooleanSupplier condition) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("still waiting for " + what).isLessThan(until);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  /** Waits until the partition is paused, and still is after twenty more polls. */
  private void awaitPausedThroughPolls(String what) {
    await(what, () -> {
      keepPolling(1);
      return consumer.paused().contains(PARTITION);
    });
    keepPolling(20);
    await("the polls run", () -> {
      keepPolling(1);
      return consumer.paused().contains(PARTITION);
    });
  }

  /** Moves the intake's clock past the commit interval until {@code offset} is committed. */
  private void awaitCommitted(String what, long offset) {
    await(what, () -> {
      clock.advance(COMMIT_INTERVAL);
      keepPolling(1);
      return Long.valueOf(offset).equals(committed());
    });
  }

  /** Keeps the loop polling (MockConsumer runs scheduled tasks only inside a poll). */
  private void keepPolling(int polls) {
    for (int i = 0; i < polls; i++) {
      consumer.scheduleNopPollTask();
    }
  }

  @Test
  void commitsWaitForTheIntakesClockNotTheMachines() {
    start(new KafkaIntakeListener() {}, Duration.ofSeconds(1));
    for (int member = 0; member < 5; member++) {
      addEvent(member);
    }
    await("the five members confirmed by Zendesk", () -> {
      keepPolling(1);
      return fake.users().size() == 5 && sync.backlog() == 0;
    });
    keepPolling(20);
    assertThat(committed()).as("nothing committed before the commit interval passed on the"
        + " intake's clock").isNull();

    awaitCommitted("the settled offsets committed once the intake's clock passed the interval",
        5);
  }

  @Test
  void aTransientFailureIsSubmittedAgainWhenTheIntakesClockSaysSoAndNothingPastItIsCommitted() {
    start(new KafkaIntakeListener() {}, Duration.ofMinutes(1));
    fake.failNext(1_000, FakeEndpoint.ANY, FakeFault.status(503));
    addEvent(1);
    await("the record failed transiently and its partition paused",
        () -> consumer.paused().contains(PARTITION));
    fake.clearFaults();
    clock.advance(Duration.ofSeconds(59));
    keepPolling(50);
    await("the polls run", () -> {
      keepPolling(1);
      return consumer.paused().contains(PARTITION);
    });
    assertThat(fake.users()).as("not submitted again before the backoff passed").isEmpty();
    clock.advance(Duration.ofSeconds(1));
    await("submitted again after the backoff, on the intake's clock", () -> {
      keepPolling(1);
      return fake.user("member1@example.com").isPresent();
    });
    awaitCommitted("committed once settled", 1);
  }

  @Test
  void theListenerHearsOfDeadLettersAndStatusAndOneThatThrowsStopsNothing() {
    KafkaIntakeListener listener = new KafkaIntakeListener() {
      @Override
      public void onDeadLettered(DeadLetter deadLetter) {
        deadLetters.add(deadLetter);
        throw new IllegalStateException("a listener's bug");
      }

      @Override
      public void onStatus(KafkaIntakeStatus status) {
        statuses.add(status);
        throw new AssertionError("a listener's bug that is an Error");
      }
    };
    start(listener, Duration.ofSeconds(1));
    add("M-1", "{not json".getBytes(StandardCharsets.UTF_8));
    addEvent(2);
    await("the good record in Zendesk despite the listener", () -> {
      keepPolling(1);
      return fake.user("member2@example.com").isPresent();
    });
    assertThat(deadLetters).singleElement().satisfies(dead -> {
      assertThat(dead.reason()).isEqualTo(DeadLetterReason.UNDECODABLE);
      assertThat(dead.sourceTopic()).isEqualTo("events");
      assertThat(dead.sourceOffset()).isZero();
    });
    assertThat(heardBySecond).as("a listener after one that throws").isEqualTo(deadLetters);
    ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
    assertThat(new String(sent.headers().lastHeader(DeadLetter.REASON_CODE_HEADER).value(),
        StandardCharsets.UTF_8)).isEqualTo("UNDECODABLE");

    consumer.updateEndOffsets(Map.of(PARTITION, 7L)); // five more records on the broker
    clock.advance(Duration.ofSeconds(1));
    await("a status with the lag and the partition", () -> {
      keepPolling(1);
      return statuses.stream().anyMatch(status -> status.lag() == 5
          && status.assignedPartitions() == 1);
    });
    assertThat(loop.status().assignedPartitions()).isEqualTo(1);
  }

  @Test
  void whileTheSdkHasTooManyRecordsEachMembersNewestIsHeldThenThePartitionPauses() {
    start(new KafkaIntakeListener() {}, Duration.ofSeconds(1), 3, Duration.ofHours(1));
    for (int member = 1; member <= 3; member++) {
      addEvent(member); // with the SDK, unsettled: its batching delay is an hour
    }
    addEvent(4, 1);
    addEvent(4, 2);
    addEvent(5, 1);
    addEvent(4, 3);
    addEvent(6, 1); // the third member held: the bound
    addEvent(7, 1);
    awaitPausedThroughPolls("read on past the bound, holding members 4 to 6, then paused");
    assertThat(consumer.position(PARTITION)).as("read while the SDK was full, up to the held"
        + " bound").isEqualTo(8);
    assertThat(sync.backlog()).as("held records are not with the SDK").isEqualTo(3);

    await("every member's newest in Zendesk once the SDK drained", () -> {
      sync.flush();
      keepPolling(1);
      return fake.users().size() == 7 && sync.backlog() == 0;
    });
    assertThat(fake.user("member4@example.com").orElseThrow().userFields()
        .get("zrl_member_available_points").toString()).isEqualTo("30");
    awaitCommitted("all nine committed", 9);
  }

  @Test
  void aPartitionFarBehindItsEndIsReadToThatEndAndEachMembersNewestSubmittedOnce() {
    consumer.setMaxPollRecords(500);
    start(new KafkaIntakeListener() {}, Duration.ofSeconds(1), 100_000, 100_000,
        Duration.ofMillis(10));
    int[][] events = new int[3_000][];
    for (int i = 0; i < events.length; i++) {
      events[i] = new int[] {i % 10, i / 10 + 1}; // ten members, 300 versions each
    }
    addEvents(events);
    await("every member's newest in Zendesk", () -> {
      keepPolling(1);
      return sync.backlog() == 0 && fake.users().size() == 10
          && points(9).equals("3000") && points(0).equals("3000");
    });
    assertThat(accepted.get()).as("the first poll's 500 records were submitted; it left the"
        + " partition 2,500 behind, so of the rest only each member's newest")
        .isEqualTo(500 + 10);
    awaitCommitted("all committed", 3_000);
  }

  @Test
  void aPartitionCatchingUpHoldsNoMoreThanMaxHeldMembersAndPausesWhileTheSdkIsFull() {
    int[][] backlog = new int[200][];
    for (int member = 0; member < backlog.length; member++) {
      backlog[member] = new int[] {member, 1};
    }
    addEventsBeforeStart(backlog); // the partition catches up to offset 200 first
    consumer.setMaxPollRecords(10);
    start(new KafkaIntakeListener() {}, Duration.ofSeconds(1), 10, 20, Duration.ofHours(1));
    awaitPausedThroughPolls("paused with twenty members held and the SDK full");
    assertThat(consumer.position(PARTITION)).as("read up to the held bound, not to the end of"
        + " the catch-up (20 held, 10 with the SDK, a poll of 10 past each)")
        .isLessThanOrEqualTo(50);
    assertThat(sync.backlog()).as("what the SDK has room for").isLessThanOrEqualTo(10);

    await("every member in Zendesk once the SDK drains", () -> {
      sync.flush();
      keepPolling(1);
      return fake.users().size() == 200 && sync.backlog() == 0;
    });
    awaitCommitted("all committed", 200);
  }

  @Test
  void anSdkFullOfOtherCallersEventsNeverStopsThePolls() {
    maxPendingMembers = 5; // the intake's own bound (1,000 open records) is far off
    start(new KafkaIntakeListener() {}, Duration.ofSeconds(1), 1_000, 1_000,
        Duration.ofHours(1));
    fake.failNext(1, FakeEndpoint.ANY, FakeFault.delay(Duration.ofSeconds(3))); // a slow write
    for (int member = 0; member < 20; member++) {
      addEvent(member);
    }
    AtomicBoolean polledAfter = new AtomicBoolean();
    consumer.schedulePollTask(() -> polledAfter.set(true));
    await("the loop polls on while the SDK has no room for the sixth member", () -> {
      keepPolling(1);
      return polledAfter.get();
    });
    assertThat(synced.get()).as("polled on while the SDK's first write was still with Zendesk"
        + " (the fake applies it at once and answers after the delay), not after it made room")
        .isZero();

    await("every member in Zendesk as the SDK makes room", () -> {
      sync.flush();
      keepPolling(1);
      return fake.users().size() == 20 && sync.backlog() == 0;
    });
    awaitCommitted("all committed", 20);
  }

  private MockProducer<byte[], byte[]> answeredByTheTest() {
    return new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private void awaitSends(int sends) {
    await(sends + " dead-letter sends", () -> {
      keepPolling(1);
      return producer.history().size() >= sends;
    });
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String name) {
    return record.headers().lastHeader(name) == null ? null
        : new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Test
  void aDeadLetterTheTopicRefusesAsTooLargeGoesInBoundedFormOnceAndSettles() throws Exception {
    producer = answeredByTheTest();
    start(new KafkaIntakeListener() {
      @Override
      public void onDeadLettered(DeadLetter deadLetter) {
        deadLetters.add(deadLetter);
      }
    }, Duration.ofSeconds(1));
    byte[] huge = new byte[200_000];
    java.util.Arrays.fill(huge, (byte) 'x');
    add("M-1", huge);
    addEvent(2);
    awaitSends(1);
    producer.errorNext(new RecordTooLargeException("The request included a message larger than"
        + " the max message size the server will accept."));
    awaitSends(2);
    ProducerRecord<byte[], byte[]> bounded = producer.history().get(1);
    assertThat(bounded.value()).hasSize(DeadLetter.BOUNDED_BYTES);
    assertThat(header(bounded, DeadLetter.VALUE_SIZE_HEADER)).isEqualTo("200000");
    assertThat(header(bounded, DeadLetter.VALUE_SHA256_HEADER)).isEqualTo(
        java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
            .digest(huge)));
    assertThat(header(bounded, DeadLetter.BOUNDED_HEADER)).contains("RecordTooLargeException");
    assertThat(header(bounded, DeadLetter.SOURCE_OFFSET_HEADER)).isEqualTo("0");
    assertThat(header(bounded, DeadLetter.REASON_CODE_HEADER)).isEqualTo("UNDECODABLE");
    assertThat(committed()).as("nothing committed while the dead letter is on its way").isNull();
    producer.completeNext();

    awaitCommitted("both settled: the bounded dead letter and the good record", 2);
    assertThat(deadLetters).singleElement().satisfies(dead -> {
      assertThat(dead.bounded()).isTrue();
      assertThat(dead.sourceOffset()).isZero();
    });
    assertThat(producer.history()).hasSize(2);
  }

  @Test
  void aDeadLetterTopicThatCannotBeWrittenHoldsThePartitionWithItsReasonUntilItCan() {
    producer = answeredByTheTest();
    List<KafkaIntakeStatus.PartitionHold> held = new CopyOnWriteArrayList<>();
    List<KafkaIntakeStatus.PartitionHold> released = new CopyOnWriteArrayList<>();
    start(new KafkaIntakeListener() {
      @Override
      public void onPartitionHeld(KafkaIntakeStatus.PartitionHold hold) {
        held.add(hold);
      }

      @Override
      public void onPartitionReleased(KafkaIntakeStatus.PartitionHold hold) {
        released.add(hold);
      }
    }, Duration.ofSeconds(10));
    add("M-1", "{not json".getBytes(StandardCharsets.UTF_8));
    awaitSends(1);
    producer.errorNext(new TopicAuthorizationException(Set.of("events.dead-letters")));
    await("the partition held, with its reason", () -> {
      keepPolling(1);
      return !held.isEmpty();
    });
    KafkaIntakeStatus status = loop.status();
    assertThat(status.state()).isEqualTo(KafkaIntakeStatus.State.HOLDING);
    assertThat(status.holds()).singleElement().satisfies(hold -> {
      assertThat(hold.offset()).isZero();
      assertThat(hold.reason()).contains("TopicAuthorizationException")
          .contains("grant this client WRITE and DESCRIBE on topic events.dead-letters");
    });
    assertThat(status.problem()).contains(status.holds().get(0).reason());
    addEvent(2);
    awaitPausedThroughPolls("the partition stays paused while its dead letter waits");
    assertThat(producer.history()).as("not tried again before the backoff").hasSize(1);
    assertThat(fake.users()).as("the record after it waits").isEmpty();

    clock.advance(Duration.ofSeconds(10));
    awaitSends(2);
    producer.completeNext();
    await("released once written", () -> {
      keepPolling(1);
      return released.size() == 1 && loop.status().state() == KafkaIntakeStatus.State.RUNNING;
    });
    await("the record after it in Zendesk", () -> {
      keepPolling(1);
      return fake.user("member2@example.com").isPresent();
    });
    awaitCommitted("both committed", 2);
    assertThat(held).hasSize(1);
    assertThat(loop.status().holds()).isEmpty();
  }

  @Test
  void aLoopStoppedByAFailureSaysSoWithinASecondAndRestartsWithANewConsumer() {
    List<KafkaIntakeStatus> stopped = new CopyOnWriteArrayList<>();
    List<Throwable> causes = new CopyOnWriteArrayList<>();
    start(new KafkaIntakeListener() {
      @Override
      public void onStopped(KafkaIntakeStatus status, Throwable cause) {
        stopped.add(status);
        causes.add(cause);
      }
    }, Duration.ofSeconds(5));
    addEvent(1);
    await("the first record in Zendesk", () -> {
      keepPolling(1);
      return fake.user("member1@example.com").isPresent();
    });
    awaitCommitted("the first record committed", 1);
    MockConsumer<byte[], byte[]> second =
        new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
    restartConsumers.add(second);

    long failedAt = System.nanoTime();
    consumer.setPollException(new GroupAuthorizationException("Not authorized to access group:"
        + " zendesk-loyalty"));
    await("the listener told of the stop", () -> !stopped.isEmpty());
    assertThat(System.nanoTime() - failedAt).as("heard within a second")
        .isLessThan(TimeUnit.SECONDS.toNanos(1));
    KafkaIntakeStatus status = loop.status();
    assertThat(status.state()).isEqualTo(KafkaIntakeStatus.State.STOPPED);
    assertThat(status.isRunning()).isFalse();
    assertThat(status.problem().orElseThrow()).contains("GroupAuthorizationException")
        .contains("restarts in 5s").contains("grant this client READ on topics [events]");
    assertThat(causes).singleElement().isInstanceOf(GroupAuthorizationException.class);

    second.updateBeginningOffsets(Map.of(PARTITION, 0L));
    second.updateEndOffsets(Map.of(PARTITION, 2L));
    second.schedulePollTask(() -> {
      second.rebalance(List.of(PARTITION));
      second.seek(PARTITION, 1L); // the committed offset, as the group keeps it
      LoyaltyEvent event = event(2, 1);
      second.addRecord(new ConsumerRecord<>("events", 0, 1L,
          "M-2".getBytes(StandardCharsets.UTF_8), LoyaltyEventJson.encode(event)));
    });
    clock.advance(Duration.ofSeconds(4));
    for (int i = 0; i < 20; i++) {
      second.scheduleNopPollTask();
    }
    assertThat(loop.status().state()).as("not before the backoff")
        .isEqualTo(KafkaIntakeStatus.State.STOPPED);
    clock.advance(Duration.ofSeconds(1));
    await("restarted: the record after the stop in Zendesk", () -> {
      second.scheduleNopPollTask();
      return fake.user("member2@example.com").isPresent();
    });
    await("running again", () -> {
      second.scheduleNopPollTask();
      clock.advance(Duration.ofSeconds(1));
      return loop.status().state() == KafkaIntakeStatus.State.RUNNING;
    });
  }
}
