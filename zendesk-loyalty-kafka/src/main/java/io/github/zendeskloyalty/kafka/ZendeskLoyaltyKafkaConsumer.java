package io.github.zendeskloyalty.kafka;

import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.kafka.internal.DeadLetterProducers;
import io.github.zendeskloyalty.kafka.internal.IntakeSupervisor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Feeds a {@link ZendeskLoyaltySync} from Kafka topics, on its own thread, committing each
 * partition's offset only up to the first record Zendesk has not settled: confirmed, ignored as
 * stale, or dead-lettered. A crash, a deploy or a rebalance re-reads what was not settled, and
 * newest-snapshot-wins makes a re-read record harmless: at-least-once into the SDK,
 * newest-wins in Zendesk.
 *
 * <pre>{@code
 * try (ZendeskLoyaltyKafkaConsumer intake = ZendeskLoyaltyKafkaConsumer.builder()
 *     .consumerConfig(Map.of("bootstrap.servers", "kafka:9092", "group.id", "zendesk-loyalty"))
 *     .topics("loyalty-events")
 *     .sync(sync)
 *     .deadLetterTopic("loyalty-events.zendesk-dead-letters")
 *     .start()) {
 *   ... // runs until closed
 * }
 * }</pre>
 *
 * <p>Records are keyed by member id (one partition per member keeps a member's events in order
 * on one consumer). A record that cannot be decoded, whose key is not its member id, that the
 * SDK refuses at the call, or that Zendesk refuses for good (422) goes to the dead-letter topic,
 * with headers {@code zendesk-loyalty.reason} (in words), {@code zendesk-loyalty.reason-code}
 * (a {@link DeadLetterReason}) and {@code zendesk-loyalty.source-topic},
 * {@code -partition}, {@code -offset}. A transient failure (Zendesk down, rate-limited past the
 * retry deadline) is not dead-lettered: the record's partition pauses and the record is
 * submitted again with backoff, and nothing after it is committed meanwhile.
 *
 * <p>A dead letter the topic refuses as it is (larger than the topic's {@code max.message.bytes}
 * or the producer's {@code max.request.size}) goes in a bounded form: the first
 * {@value DeadLetter#BOUNDED_BYTES} bytes of key and value, their sizes and the value's SHA-256
 * ({@link DeadLetter#BOUNDED_HEADER} and the headers beside it). One the topic cannot take now
 * (missing, not authorised, brokers away) holds its partition, with the reason in
 * {@link #status()} and {@link KafkaIntakeListener#onPartitionHeld}, and is written again with
 * backoff until it goes. A loop that stops on a failure (the group not authorised, say) shows
 * {@link KafkaIntakeStatus.State#STOPPED} with the reason at once and restarts with backoff.
 */
public final class ZendeskLoyaltyKafkaConsumer implements AutoCloseable {

  /** Default time between commits: 5 s. */
  public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(5);
  /**
   * Default most records with the SDK and not yet settled before the intake holds what it reads:
   * 25,000, half the SDK's default {@code maxPendingMembers}, so a submit never waits for room
   * in the SDK (keep it below the sync's {@code maxPendingMembers} when you lower that).
   */
  public static final int DEFAULT_MAX_OPEN_RECORDS = 25_000;
  /**
   * Default most members whose newest record the intake holds before it submits them anyway or,
   * while the SDK has no room, pauses: 100,000 (about 1.2 kB each for a 420-byte JSON record).
   */
  public static final int DEFAULT_MAX_HELD_MEMBERS = 100_000;
  /** Default wait before a record that failed transiently is submitted again: 1 s, doubling. */
  public static final Duration DEFAULT_FIRST_RETRY = Duration.ofSeconds(1);
  /** Default longest wait between submissions of a record that keeps failing: 1 minute. */
  public static final Duration DEFAULT_LAST_RETRY = Duration.ofMinutes(1);
  /** Default time a revoke or a close waits for records with the SDK: 30 s. */
  public static final Duration DEFAULT_SETTLE_TIMEOUT = Duration.ofSeconds(30);

  private final IntakeSupervisor supervisor;
  private final Duration settleTimeout;

  private ZendeskLoyaltyKafkaConsumer(IntakeSupervisor supervisor, Duration settleTimeout) {
    this.supervisor = supervisor;
    this.settleTimeout = settleTimeout;
  }

  /**
   * Where the intake stands: its state (running, holding partitions for a reason, stopped and
   * why, closed), and as it last looked, about once a second, lag, uncommitted records, assigned
   * and paused partitions. {@link KafkaIntakeStatus#STARTING} before its first poll.
   */
  public KafkaIntakeStatus status() {
    return supervisor.status();
  }

  /** A builder; consumer config (with {@code group.id}), topics and the sync are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Stops reading, waits up to the settle timeout for records with the SDK, commits what
   * settled, and closes the consumer. What did not settle is read again by the next consumer.
   */
  @Override
  public void close() {
    try {
      supervisor.stop(settleTimeout.plusSeconds(10));
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Configures a {@link ZendeskLoyaltyKafkaConsumer}. */
  public static final class Builder {
    private final Map<String, Object> consumerConfig = new HashMap<>();
    private Map<String, Object> producerConfig;
    private List<String> topics;
    private ZendeskLoyaltySync sync;
    private LoyaltyEventDecoder decoder = LoyaltyEventJson.decoder();
    private String deadLetterTopic;
    private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
    private int maxOpenRecords = DEFAULT_MAX_OPEN_RECORDS;
    private int maxHeldMembers = DEFAULT_MAX_HELD_MEMBERS;
    private Duration firstRetry = DEFAULT_FIRST_RETRY;
    private Duration lastRetry = DEFAULT_LAST_RETRY;
    private Duration settleTimeout = DEFAULT_SETTLE_TIMEOUT;
    private final List<KafkaIntakeListener> listeners = new ArrayList<>();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * The Kafka consumer's configuration ({@code bootstrap.servers}, {@code group.id}, security
     * settings). Keys and values are read as bytes and offsets committed by this consumer, so
     * deserializers and {@code enable.auto.commit} are its own; {@code auto.offset.reset} is
     * {@code earliest} unless set. Without {@link #producerConfig}, the dead-letter producer
     * uses its connection and security settings.
     */
    public Builder consumerConfig(Map<String, ?> config) {
      consumerConfig.putAll(Objects.requireNonNull(config, "config"));
      return this;
    }

    /**
     * The dead-letter producer's configuration ({@code bootstrap.servers}, security settings,
     * timeouts, {@code max.request.size}), instead of the consumer's connection settings.
     * Serializers are the intake's own; unless set, {@code acks} is {@code all}, idempotence on,
     * {@code max.block.ms} 2 s (a missing topic holds the partition and is tried again rather
     * than blocking the poll) and {@code max.request.size} the largest {@code max.message.bytes}
     * of the source topics (asked of the brokers when the first dead letter is written) plus
     * 64 KiB for the headers.
     */
    public Builder producerConfig(Map<String, ?> config) {
      producerConfig = new HashMap<>(Objects.requireNonNull(config, "config"));
      return this;
    }

    /** The topics to read. */
    public Builder topics(String... topics) {
      return topics(List.of(topics));
    }

    /** The topics to read. */
    public Builder topics(Collection<String> topics) {
      if (Objects.requireNonNull(topics, "topics").isEmpty()) {
        throw new IllegalArgumentException("topics must name at least one topic");
      }
      this.topics = List.copyOf(topics);
      return this;
    }

    /** The SDK the events go to. */
    public Builder sync(ZendeskLoyaltySync sync) {
      this.sync = Objects.requireNonNull(sync, "sync");
      return this;
    }

    /** How records become events; default {@link LoyaltyEventJson#decoder()}. */
    public Builder decoder(LoyaltyEventDecoder decoder) {
      this.decoder = Objects.requireNonNull(decoder, "decoder");
      return this;
    }

    /** Where records that will never sync go; default the first topic + {@code .dead-letters}. */
    public Builder deadLetterTopic(String topic) {
      this.deadLetterTopic = Objects.requireNonNull(topic, "topic");
      return this;
    }

    /** How often settled offsets are committed; default 5 s. */
    public Builder commitInterval(Duration interval) {
      this.commitInterval = positive("commitInterval", interval);
      return this;
    }

    /**
     * The most records with the SDK and not yet settled; past it the intake reads on but holds
     * each member's newest record until the SDK is down to half (see {@link #maxHeldMembers}).
     * Keep it below the sync's {@code maxPendingMembers}, so a submit never waits for room in
     * the SDK.
     */
    public Builder maxOpenRecords(int maxOpenRecords) {
      if (maxOpenRecords < 1) {
        throw new IllegalArgumentException("maxOpenRecords must be at least 1: " + maxOpenRecords);
      }
      this.maxOpenRecords = maxOpenRecords;
      return this;
    }

    /**
     * The most members whose newest record the intake holds: while the SDK has
     * {@link #maxOpenRecords} records, and while a partition catches up (to its end when it was
     * assigned, or when a poll left it 1,000 records or more behind: a member written then would
     * be written again for the newer records already waiting). Past it, what is held is submitted
     * as the SDK has room, and while it has none every partition that holds pauses. The larger,
     * the fewer writes when a consumer is behind: at least the members active in an hour is a
     * good size.
     */
    public Builder maxHeldMembers(int maxHeldMembers) {
      if (maxHeldMembers < 1) {
        throw new IllegalArgumentException("maxHeldMembers must be at least 1: " + maxHeldMembers);
      }
      this.maxHeldMembers = maxHeldMembers;
      return this;
    }

    /**
     * The first and the longest wait before a transiently failed record is submitted again, a
     * dead letter that could not be written is written again, and a stopped loop restarts.
     */
    public Builder retryBackoff(Duration first, Duration last) {
      this.firstRetry = positive("first", first);
      this.lastRetry = positive("last", last);
      if (last.compareTo(first) < 0) {
        throw new IllegalArgumentException("retryBackoff's last must not be shorter than its"
            + " first: " + last + " < " + first);
      }
      return this;
    }

    /** How long a revoke or a close waits for records with the SDK. */
    public Builder settleTimeout(Duration timeout) {
      this.settleTimeout = positive("settleTimeout", timeout);
      return this;
    }

    /**
     * Adds a listener, told of dead-lettered records and, about once a second, of the intake's
     * status. Each listener added hears every call; one that throws does not stop the others.
     */
    public Builder listener(KafkaIntakeListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * The clock that times commits, retries and the settle timeout; the system's by default. A
     * test may give the {@code ManualClock} its sync uses.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Starts reading on a thread of its own.
     *
     * @throws IllegalStateException naming what is missing
     */
    public ZendeskLoyaltyKafkaConsumer start() {
      if (sync == null || topics == null) {
        throw new IllegalStateException("ZendeskLoyaltyKafkaConsumer needs "
            + (sync == null ? "sync(ZendeskLoyaltySync)" : "topics(...)"));
      }
      if (consumerConfig.get(ConsumerConfig.GROUP_ID_CONFIG) == null) {
        throw new IllegalStateException("consumerConfig needs group.id: the consumer group's"
            + " committed offsets are what survives a crash");
      }
      Map<String, Object> config = new HashMap<>(consumerConfig);
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      // the first consumer is made here, so a wrong setting fails the call that gave it
      KafkaConsumer<byte[], byte[]> first = newConsumer(config);
      boolean[] firstTaken = {false};
      Map<String, Object> producer = producerConfig == null ? null : Map.copyOf(producerConfig);
      IntakeSupervisor supervisor = new IntakeSupervisor(() -> {
        if (!firstTaken[0]) {
          firstTaken[0] = true;
          return first;
        }
        return newConsumer(config);
      }, () -> DeadLetterProducers.create(config, producer, topics),
          new IntakeSupervisor.Settings(topics, sync, decoder,
              deadLetterTopic != null ? deadLetterTopic : topics.get(0) + ".dead-letters",
              commitInterval, firstRetry, lastRetry, maxOpenRecords, maxHeldMembers,
              settleTimeout, List.copyOf(listeners), clock));
      Thread thread = new Thread(supervisor, "zendesk-loyalty-kafka-" + topics.get(0));
      thread.setDaemon(true);
      thread.start();
      return new ZendeskLoyaltyKafkaConsumer(supervisor, settleTimeout);
    }

    private static KafkaConsumer<byte[], byte[]> newConsumer(Map<String, Object> config) {
      return new KafkaConsumer<>(config, new ByteArrayDeserializer(),
          new ByteArrayDeserializer());
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }
  }
}
