package io.github.zendeskloyalty.kafka.internal;

import io.github.zendeskloyalty.client.BackpressurePolicy;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.ZendeskAuthenticationException;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.LoyaltyEvent;
import io.github.zendeskloyalty.kafka.DeadLetter;
import io.github.zendeskloyalty.kafka.DeadLetterReason;
import io.github.zendeskloyalty.kafka.KafkaIntakeListener;
import io.github.zendeskloyalty.kafka.KafkaIntakeStatus;
import io.github.zendeskloyalty.kafka.KafkaIntakeStatus.PartitionHold;
import io.github.zendeskloyalty.kafka.LoyaltyEventDecoder;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The consumer's thread: reads records, hands their events to the SDK, settles each record when
 * Zendesk confirmed it, ignored it as stale, or it was dead-lettered, and commits per partition
 * only up to the first unsettled record. A transient failure pauses the record's partition and
 * re-submits it with backoff; nothing is committed past it. Not part of the API.
 */
final class IntakeLoop {

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.kafka");
  private static final Duration POLL = Duration.ofMillis(100);
  /**
   * The poll while records are held: what the SDK settles meanwhile is drained (and the held
   * records submitted) only once poll returns.
   */
  private static final Duration POLL_WHILE_HELD = Duration.ofMillis(5);
  private static final Duration STATUS_INTERVAL = Duration.ofSeconds(1);
  /** Records with the SDK, superseded ones included, per record allowed open (see backPressure). */
  private static final int SUPERSEDED_PER_OPEN = 10;
  /**
   * How far behind its end (in records, after a poll) a partition is read as a catch-up: while
   * newer records already wait in the partition, a member written now would be written again
   * for them. Two polls' worth at Kafka's default {@code max.poll.records}: a consumer that keeps
   * up never is.
   */
  static final long BEHIND = 1_000;

  /** An outcome of a submitted record, handed from the SDK's threads to the consumer's. */
  private record Done(WithSdk.Handed handed, Throwable failure) {}

  /** A record waiting to be submitted again. */
  private record Retry(ConsumerRecord<byte[], byte[]> record, LoyaltyEvent event, int attempt,
      long dueMillis) {}

  private final org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer;
  private final DeadLetters deadLetters;
  private final DeadLetterOutcomes deadLetterOutcomes = new DeadLetterOutcomes();
  private final IntakeSupervisor.Settings settings;
  private final PartitionOffsets offsets = new PartitionOffsets();
  private final Queue<Done> done = new ConcurrentLinkedQueue<>();
  private final List<Retry> retries = new ArrayList<>();
  /** Whether the SDK has too many records: what is read meanwhile is held (see backPressure). */
  private boolean sdkFull;
  /** Partitions paused because too many members are held. */
  private final Set<TopicPartition> backPressured = new HashSet<>();
  /**
   * Each member's newest record read and not submitted yet, per partition: while a partition
   * catches up (records another consumer read before, and may have written, come again after an
   * assignment, so an older snapshot never goes over a newer one a crashed consumer already
   * wrote; or the partition is far behind), and while the SDK has too many records.
   */
  private final HeldRecords held = new HeldRecords();

  /** Partitions waiting for credentials that work: their records are retried, never dead-lettered. */
  private final Map<TopicPartition, PartitionHold> credentialHolds = new LinkedHashMap<>();

  /** Records with the SDK (submitted, outcome not yet drained). */
  private final WithSdk withSdk = new WithSdk();
  private volatile boolean running = true;
  private volatile KafkaIntakeStatus status = KafkaIntakeStatus.STARTING;
  private volatile boolean polled;
  private long lastCommitMillis;
  private long lastStatusMillis;

  /** A loop over {@code consumer}, dead-lettering through a producer made on the first need. */
  IntakeLoop(org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer,
      Supplier<Producer<byte[], byte[]>> deadLetterProducers, IntakeSupervisor.Settings settings) {
    this.consumer = consumer;
    this.deadLetters = new DeadLetters(new DeadLetterWriter(deadLetterProducers,
        settings.deadLetterTopic()), settings.firstRetry(), settings.lastRetry());
    this.settings = settings;
    this.lastCommitMillis = settings.clock().millis();
    this.lastStatusMillis = lastCommitMillis - STATUS_INTERVAL.toMillis();
  }

  /** Where the loop stood when it last looked (about once a second, and at every hold). */
  KafkaIntakeStatus status() {
    return status;
  }

  /** Whether a poll has returned: the loop got as far as reading. */
  boolean hasPolled() {
    return polled;
  }

  /**
   * Reads until {@link #stop} or a failure; closes the consumer and the dead-letter producer.
   *
   * @return the failure that stopped it, or null when stopped
   */
  Throwable run() {
    try {
      consumer.subscribe(settings.topics(), new Rebalance());
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : poll()) {
          offsets.read(partition(record), record.offset());
          take(record);
        }
        polled = true;
        catchUp();
        drain();
        deadLetters.drain(settings.clock().millis(), deadLetterOutcomes);
        resubmitDue();
        backPressure();
        long now = settings.clock().millis();
        if (now - lastCommitMillis >= settings.commitInterval().toMillis()) {
          commit(offsets.toCommit());
        }
        if (now - lastStatusMillis >= STATUS_INTERVAL.toMillis()) {
          publishStatus(now);
        }
      }
      settleOpen(null);
      commit(offsets.toCommit());
      return null;
    } catch (WakeupException stopping) {
      if (running) {
        return stopping;
      }
      settleOpen(null);
      commit(offsets.toCommit());
      return null;
    } catch (RuntimeException | Error unexpected) {
      return unexpected; // records not settled were not committed: they will be read again
    } finally {
      try {
        consumer.close();
      } catch (RuntimeException | Error notClosed) {
        LOG.log(Level.WARNING, "the Kafka consumer did not close cleanly", notClosed);
      } finally {
        deadLetters.close();
      }
    }
  }

  /** Asks the loop to stop: it settles what it can within the settle timeout, then commits. */
  void stop() {
    running = false;
    consumer.wakeup();
  }

  private Iterable<ConsumerRecord<byte[], byte[]>> poll() {
    try {
      return consumer.poll(sdkFull || held.waitingForRoom() ? POLL_WHILE_HELD : POLL);
    } catch (WakeupException wakeup) {
      if (running) {
        throw wakeup;
      }
      return List.of();
    }
  }

  /** Decodes a record and hands its event to the SDK; a bad record is dead-lettered. */
  private void take(ConsumerRecord<byte[], byte[]> record) {
    LoyaltyEvent event;
    try {
      event = settings.decoder().decode(record.topic(), record.key(), record.value());
    } catch (RuntimeException | LinkageError | StackOverflowError undecodable) {
      // a decoder may throw anything for one record; only that record fails
      deadLetters.write(record, DeadLetterReason.UNDECODABLE, "undecodable: "
          + (undecodable instanceof RuntimeException ? undecodable.getMessage()
              : undecodable.getClass().getName()));
      return;
    }
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    if (!event.member().memberId().equals(key)) {
      deadLetters.write(record, DeadLetterReason.KEY_NOT_MEMBER_ID, "key is not the member id:"
          + " records must be keyed by member id, so one"
          + " member's events stay on one partition and in order");
      return;
    }
    if (held.holds(partition(record))) {
      hold(record, event);
    } else {
      submit(record, event, 1);
    }
  }

  /** Holds a record, if its member's newest; the record it overtook (or itself) is settled. */
  private void hold(ConsumerRecord<byte[], byte[]> record, LoyaltyEvent event) {
    TopicPartition partition = partition(record);
    held.hold(partition); // a partition catching up goes on catching up
    ConsumerRecord<byte[], byte[]> settled = held.take(partition, record, event);
    if (settled != null) {
      offsets.settled(partition, settled.offset()); // superseded, or older than one held
    }
  }

  /**
   * Partitions that reached the end they catch up to release their members; those at least
   * {@link #BEHIND} records behind their end catch up to it.
   */
  private void catchUp() {
    for (TopicPartition partition : consumer.assignment()) {
      if (held.holds(partition)) {
        held.reached(partition, consumer.position(partition));
      }
      OptionalLong lag = consumer.currentLag(partition);
      if (lag.isPresent() && lag.getAsLong() >= BEHIND) {
        held.catchUp(partition, consumer.position(partition) + lag.getAsLong());
      }
    }
  }

  /** How snapshots of a member are ordered: its last modification, else when it happened. */
  static Instant version(LoyaltyEvent event) {
    return event.member().lastModifiedDate() != null ? event.member().lastModifiedDate()
        : event.occurredAt();
  }

  /**
   * Hands a record to the SDK, never waiting for room there (the poll thread must poll again
   * within {@code max.poll.interval.ms}, and the SDK may be full of other callers' events): when
   * it has none, the record is held, the SDK counts as full, and false is returned.
   */
  private boolean submit(ConsumerRecord<byte[], byte[]> record, LoyaltyEvent event, int attempt) {
    CompletableFuture<SyncResult> result;
    try {
      result = settings.sync().submit(event, BackpressurePolicy.FAIL);
    } catch (IllegalArgumentException refused) {
      deadLetters.write(record, DeadLetterReason.REFUSED, "refused: " + refused.getMessage());
      return true;
    }
    if (SdkAnswers.noRoom(result)) {
      sdkFull = true; // until the records with it settle down to half: every partition holds
      consumer.assignment().forEach(held::hold);
      hold(record, event);
      return false;
    }
    WithSdk.Handed handed = withSdk.handing(record, event, attempt);
    result.whenComplete((answer, failure) -> done.add(new Done(handed, failure)));
    WithSdk.Handed superseded = withSdk.accepted(handed);
    if (superseded != null) {
      offsets.settled(superseded.partition(), superseded.offset());
    }
    return true;
  }

  /** Settles what the SDK finished; a transient failure is tried again later. */
  private void drain() {
    for (Done next = done.poll(); next != null; next = done.poll()) {
      WithSdk.Handed handed = next.handed();
      Throwable failure = SdkAnswers.unwrap(next.failure());
      TopicPartition partition = handed.partition();
      if (!withSdk.drained(handed) || !offsets.isOpen(partition, handed.offset())) {
        continue; // superseded (settled already), or a partition revoked meanwhile
      }
      if (failure == null) {
        offsets.settled(partition, handed.offset());
        PartitionHold released = credentialHolds.remove(partition);
        if (released != null) {
          deadLetterOutcomes.released(released);
        }
      } else if (SdkAnswers.isPermanent(failure)) {
        deadLetters.write(handed.record(), DeadLetterReason.REJECTED_BY_ZENDESK,
            "rejected by Zendesk: " + failure.getMessage());
      } else {
        long delay = Math.min(settings.lastRetry().toMillis(),
            settings.firstRetry().toMillis() << Math.min(20, handed.attempt() - 1));
        retries.add(new Retry(handed.record(), handed.event(), handed.attempt() + 1,
            settings.clock().millis() + delay));
        consumer.pause(List.of(partition));
        LOG.log(Level.DEBUG, () -> "record " + partition + "@" + handed.offset()
            + " will be submitted again: " + failure);
        if (failure instanceof ZendeskAuthenticationException refused
            && !credentialHolds.containsKey(partition)) {
          PartitionHold hold = new PartitionHold(partition.topic(), partition.partition(),
              handed.offset(), "Zendesk refused the credentials (" + refused.getMessage()
              + "); the partition waits, nothing is dead-lettered, and its records are tried"
              + " again with backoff until the credentials work");
          credentialHolds.put(partition, hold);
          deadLetterOutcomes.held(hold);
        }
      }
    }
  }

  private void resubmitDue() {
    long now = settings.clock().millis();
    List<Retry> due = retries.stream().filter(retry -> retry.dueMillis() <= now).toList();
    retries.removeAll(due);
    due.forEach(retry -> submit(retry.record(), retry.event(), retry.attempt()));
    Set<TopicPartition> waiting = new HashSet<>(deadLetters.heldPartitions());
    retries.forEach(retry -> waiting.add(partition(retry.record())));
    List<TopicPartition> free = consumer.paused().stream()
        .filter(partition -> !waiting.contains(partition) && !backPressured.contains(partition))
        .toList();
    if (!free.isEmpty()) {
      consumer.resume(free);
    }
  }

  /**
   * While too many records are with the SDK ({@code maxOpenRecords} not yet settled, or ten
   * times that counting those superseded by a newer one of their member, whose futures the SDK
   * holds until the member's write ends, as it holds up to ten events a member), records read
   * are held, only each member's newest (as while catching up), and submitted as the SDK has
   * room once it is down to half: a member's events read meanwhile cost one write, not one
   * each. Once {@code maxHeldMembers} members are held, what partitions still catching up hold
   * is submitted too, as the SDK has room, and while it has none every partition that holds
   * pauses: however far behind a consumer starts, it holds no more.
   */
  private void backPressure() {
    int open = settings.maxOpenRecords();
    int unsettled = withSdk.unsettled(null);
    long all = withSdk.all(null);
    if (!sdkFull && (unsettled >= open || all >= SUPERSEDED_PER_OPEN * open)) {
      sdkFull = true;
      consumer.assignment().forEach(held::hold);
    } else if (sdkFull && unsettled <= open / 2 && all <= SUPERSEDED_PER_OPEN * open / 2) {
      sdkFull = false;
    }
    int maxHeld = settings.maxHeldMembers();
    if (!sdkFull) { // while paused for it, until half of maxHeldMembers are held
      List<HeldRecords.Held> released = held.release(Math.max(0, open - unsettled),
          held.members() >= maxHeld || !backPressured.isEmpty());
      for (int i = 0; i < released.size(); i++) {
        if (!submit(released.get(i).record(), released.get(i).event(), 1)) {
          released.subList(i + 1, released.size()) // no room in the SDK: held again
              .forEach(rest -> hold(rest.record(), rest.event()));
          break;
        }
      }
    }
    if (held.members() >= maxHeld && backPressured.isEmpty()) {
      backPressured.addAll(held.partitions());
      consumer.pause(backPressured);
    } else if (held.members() < maxHeld / 2) {
      backPressured.clear(); // resumed with the partitions no retry waits on
    }
  }

  /**
   * Settles dead-lettered records, pauses and releases the partitions their letters hold (and
   * those waiting for credentials).
   */
  private final class DeadLetterOutcomes implements DeadLetters.Outcomes {
    @Override
    public boolean isOpen(ConsumerRecord<byte[], byte[]> record) {
      return offsets.isOpen(partition(record), record.offset());
    }

    @Override
    public void written(ConsumerRecord<byte[], byte[]> record, DeadLetter dead) {
      offsets.settled(partition(record), record.offset());
      LOG.log(Level.WARNING, () -> "dead-lettered " + record.topic() + "-" + record.partition()
          + "@" + record.offset() + (dead.bounded() ? " (bounded form)" : "") + ": "
          + dead.detail());
      tell(listener -> listener.onDeadLettered(dead));
    }

    @Override
    public void held(PartitionHold hold) {
      consumer.pause(List.of(new TopicPartition(hold.topic(), hold.partition())));
      LOG.log(Level.WARNING, () -> "holding " + hold.topic() + "-" + hold.partition() + ": "
          + hold.reason());
      tell(listener -> listener.onPartitionHeld(hold));
      publishStatus(settings.clock().millis());
    }

    @Override
    public void released(PartitionHold hold) {
      LOG.log(Level.INFO, () -> hold.topic() + "-" + hold.partition() + " goes on");
      tell(listener -> listener.onPartitionReleased(hold));
      publishStatus(settings.clock().millis());
    }
  }

  private void publishStatus(long now) {
    lastStatusMillis = now;
    long lag = 0;
    for (TopicPartition partition : consumer.assignment()) {
      lag += consumer.currentLag(partition).orElse(0);
    }
    List<PartitionHold> holds = new ArrayList<>(deadLetters.holds());
    holds.addAll(credentialHolds.values());
    KafkaIntakeStatus current = new KafkaIntakeStatus(
        holds.isEmpty() ? KafkaIntakeStatus.State.RUNNING : KafkaIntakeStatus.State.HOLDING, lag,
        offsets.uncommitted(), consumer.assignment().size(), consumer.paused().size(), holds,
        holds.isEmpty() ? Optional.empty() : Optional.of(holds.get(0).reason()));
    status = current;
    tell(listener -> listener.onStatus(current));
  }

  private void tell(Consumer<KafkaIntakeListener> call) {
    IntakeSupervisor.tell(settings.listeners(), call);
  }

  private void commit(Map<TopicPartition, Long> toCommit) {
    lastCommitMillis = settings.clock().millis();
    if (toCommit.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    toCommit.forEach((partition, offset) -> commit.put(partition, new OffsetAndMetadata(offset)));
    consumer.commitSync(commit);
    offsets.committed(toCommit);
  }

  /**
   * Waits, at most the settle timeout, for the records of {@code partitions} (all when null)
   * that are with the SDK, draining their outcomes; their retries are not sent again.
   */
  private void settleOpen(Collection<TopicPartition> partitions) {
    retries.removeIf(retry -> partitions == null
        || partitions.contains(partition(retry.record())));
    deadLetters.forget(partitions); // not tried again: letters on their way may still settle
    settings.sync().flush();
    long until = settings.clock().millis() + settings.settleTimeout().toMillis();
    while ((withSdk.unsettled(partitions) > 0 || deadLetters.open(partitions) > 0)
        && settings.clock().millis() < until) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      drain();
      deadLetters.drain(settings.clock().millis(), deadLetterOutcomes);
      deadLetters.forget(partitions);
      retries.removeIf(retry -> partitions == null
          || partitions.contains(partition(retry.record())));
    }
  }

  /** Commits what the revoked partitions settled; the rest goes to their next owner. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      settleOpen(partitions);
      Map<TopicPartition, Long> toCommit = new HashMap<>(offsets.toCommit());
      toCommit.keySet().retainAll(partitions);
      commit(toCommit);
      forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      // read from the committed offsets; what lies between them and the end now was read by
      // another consumer before, so each member's newest record of it goes alone
      consumer.endOffsets(partitions).forEach(held::catchUp);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      forget(partitions);
    }

    private void forget(Collection<TopicPartition> partitions) {
      partitions.forEach(offsets::forget);
      held.forget(partitions);
      withSdk.forget(partitions);
      retries.removeIf(retry -> partitions.contains(partition(retry.record())));
      deadLetters.forget(partitions);
      credentialHolds.keySet().removeAll(partitions);
      backPressured.removeAll(partitions);
    }
  }

  private static TopicPartition partition(ConsumerRecord<?, ?> record) {
    return new TopicPartition(record.topic(), record.partition());
  }
}
