package io.github.zendeskloyalty.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends a dead-letter topic's records back to the topics they came from, once the cause is
 * fixed (a user field created, a bad e-mail corrected, a decoder deployed): each record's key and
 * value as they were, with a {@code zendesk-loyalty.replayed-from} header. What was read is
 * committed under the replay's own consumer group, so a second run replays only records
 * dead-lettered since. A run that stops midway may write some records twice; the intake's
 * newest-snapshot-wins makes that harmless. The CLI's {@code zendesk-loyalty kafka
 * replay-dead-letters} runs it.
 *
 * <pre>{@code
 * ReplayReport report = DeadLetterReplay.builder()
 *     .clientConfig(Map.of("bootstrap.servers", "kafka:9092"))
 *     .deadLetterTopic("loyalty-events.dead-letters")
 *     .build()
 *     .run();
 * }</pre>
 *
 * <p>A replayed record goes through the intake again like a new one: if its cause is not fixed,
 * it is dead-lettered again, once.
 */
public final class DeadLetterReplay {

  /** The consumer group whose committed offsets say how far the dead letters were replayed. */
  public static final String DEFAULT_GROUP = "zendesk-loyalty-replay";
  /** Header of a replayed record: the dead-letter topic, partition and offset it came from. */
  public static final String REPLAYED_FROM = "zendesk-loyalty.replayed-from";

  private static final Duration POLL = Duration.ofMillis(200);

  private final Map<String, Object> clientConfig;
  private final String deadLetterTopic;
  private final String group;
  private final boolean dryRun;
  private final Duration timeout;
  private final Clock clock;

  private DeadLetterReplay(Builder builder) {
    this.clientConfig = Map.copyOf(builder.clientConfig);
    this.deadLetterTopic = builder.deadLetterTopic;
    this.group = builder.group;
    this.dryRun = builder.dryRun;
    this.timeout = builder.timeout;
    this.clock = builder.clock;
  }

  /** A builder; the client config (with {@code bootstrap.servers}) and the topic are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Replays every record of the dead-letter topic from where the last run stopped to its end
   * now, then commits.
   *
   * @throws IllegalArgumentException when the topic does not exist
   * @throws IllegalStateException when the broker does not answer within the timeout, or a
   *     record could not be written back (nothing is committed then)
   */
  public ReplayReport run() {
    try {
      return replay();
    } catch (KafkaException broker) {
      throw new IllegalStateException("the Kafka cluster at "
          + clientConfig.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG) + " failed the replay of "
          + deadLetterTopic + " (" + broker.getClass().getSimpleName() + ": "
          + broker.getMessage() + "); nothing was committed", broker);
    }
  }

  private ReplayReport replay() {
    Map<String, Object> consumerConfig = new HashMap<>(clientConfig);
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfig.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    Map<String, Object> producerConfig = new HashMap<>(clientConfig);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig,
            new ByteArrayDeserializer(), new ByteArrayDeserializer());
         KafkaProducer<byte[], byte[]> producer = dryRun ? null : new KafkaProducer<>(
            producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<TopicPartition> partitions = partitions(consumer);
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      Map<TopicPartition, OffsetAndMetadata> committed =
          consumer.committed(Set.copyOf(partitions), timeout);
      partitions.forEach(partition -> {
        OffsetAndMetadata from = committed.get(partition);
        if (from != null) {
          consumer.seek(partition, from.offset());
        } else {
          consumer.seekToBeginning(List.of(partition));
        }
      });

      long replayed = 0;
      long withoutSource = 0;
      long bounded = 0;
      Map<String, Long> byReason = new TreeMap<>();
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      long lastProgress = clock.millis();
      while (!reachedEnd(consumer, end)) {
        boolean progress = false;
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
            continue; // dead-lettered after this run began: the next run's
          }
          progress = true;
          String source = header(record, DeadLetter.SOURCE_TOPIC_HEADER);
          if (source == null) {
            withoutSource++;
            continue;
          }
          if (header(record, DeadLetter.BOUNDED_HEADER) != null) {
            bounded++; // its key and value are cut: the original is at its source offset
            continue;
          }
          replayed++;
          String reason = header(record, DeadLetter.REASON_CODE_HEADER);
          byReason.merge(reason == null ? "UNKNOWN" : reason, 1L, Long::sum);
          if (!dryRun) {
            sent.add(producer.send(new ProducerRecord<>(source, null, record.key(),
                record.value(), replayHeaders(record))));
          }
        }
        if (progress) {
          lastProgress = clock.millis();
        } else if (clock.millis() - lastProgress > timeout.toMillis()) {
          throw new IllegalStateException("reading " + deadLetterTopic + " made no progress for "
              + timeout + "; nothing was committed");
        }
      }
      if (!dryRun) {
        awaitSent(producer, sent);
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        end.forEach((partition, offset) -> done.put(partition, new OffsetAndMetadata(offset)));
        consumer.commitSync(done, timeout);
      }
      return new ReplayReport(replayed, withoutSource, bounded, byReason, dryRun);
    }
  }

  private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
    List<PartitionInfo> infos = consumer.partitionsFor(deadLetterTopic, timeout);
    if (infos == null || infos.isEmpty()) {
      throw new IllegalArgumentException("no topic named " + deadLetterTopic);
    }
    return infos.stream().map(info -> new TopicPartition(info.topic(), info.partition()))
        .toList();
  }

  private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer,
      Map<TopicPartition, Long> end) {
    return end.entrySet().stream()
        .allMatch(entry -> consumer.position(entry.getKey()) >= entry.getValue());
  }

  private void awaitSent(KafkaProducer<byte[], byte[]> producer,
      List<Future<RecordMetadata>> sent) {
    producer.flush();
    for (Future<RecordMetadata> each : sent) {
      try {
        each.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException notWritten) {
        throw new IllegalStateException("a record could not be written back to its topic;"
            + " nothing was committed, so the next run replays every record again", notWritten);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted; nothing was committed", interrupted);
      }
    }
  }

  /** The record's own headers, without the intake's, and where it is replayed from. */
  private static RecordHeaders replayHeaders(ConsumerRecord<byte[], byte[]> record) {
    RecordHeaders headers = new RecordHeaders();
    for (Header header : record.headers()) {
      if (!header.key().startsWith("zendesk-loyalty.")) {
        headers.add(header);
      }
    }
    headers.add(REPLAYED_FROM, (record.topic() + "-" + record.partition() + "@" + record.offset())
        .getBytes(StandardCharsets.UTF_8));
    return headers;
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
    Header header = record.headers().lastHeader(key);
    return header == null || header.value() == null ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** Configures a {@link DeadLetterReplay}. */
  public static final class Builder {
    private final Map<String, Object> clientConfig = new HashMap<>();
    private String deadLetterTopic;
    private String group = DEFAULT_GROUP;
    private boolean dryRun;
    private Duration timeout = Duration.ofMinutes(1);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Connection and security settings ({@code bootstrap.servers}, {@code security.*}, ...). */
    public Builder clientConfig(Map<String, ?> config) {
      clientConfig.putAll(Objects.requireNonNull(config, "config"));
      return this;
    }

    /** The dead-letter topic to replay. */
    public Builder deadLetterTopic(String topic) {
      this.deadLetterTopic = Objects.requireNonNull(topic, "topic");
      return this;
    }

    /** The consumer group that remembers how far replays went; default {@value #DEFAULT_GROUP}. */
    public Builder group(String group) {
      this.group = Objects.requireNonNull(group, "group");
      return this;
    }

    /** Counts what would be replayed; writes and commits nothing. */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /** How long the broker may make no progress before the run fails; default 1 minute. */
    public Builder timeout(Duration timeout) {
      if (Objects.requireNonNull(timeout, "timeout").isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** The clock that times the no-progress timeout; the system's by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The replay.
     *
     * @throws IllegalStateException naming what is missing
     */
    public DeadLetterReplay build() {
      if (deadLetterTopic == null) {
        throw new IllegalStateException("DeadLetterReplay needs deadLetterTopic(...)");
      }
      if (clientConfig.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG) == null) {
        throw new IllegalStateException("DeadLetterReplay needs bootstrap.servers in"
            + " clientConfig(...)");
      }
      return new DeadLetterReplay(this);
    }
  }
}
