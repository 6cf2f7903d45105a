package io.github.zendeskloyalty.kafka.internal;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Makes the intake's dead-letter producer: the user's producer settings, or the consumer's
 * connection and security settings; either way with {@code max.request.size}, unless set, at
 * least the largest record the source topics accept (their {@code max.message.bytes}, asked of
 * the brokers once) plus room for the dead-letter headers. Not part of the API.
 */
public final class DeadLetterProducers {

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.kafka");
  /** Kafka's default {@code max.message.bytes}: the record batch a topic takes by default. */
  static final int KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;
  /** Room for the dead-letter headers and the record's own overhead: 64 KiB. */
  static final int HEADROOM = 64 * 1024;
  /** How long a dead letter's send may wait for the topic's metadata: 2 s, then tried later. */
  static final int MAX_BLOCK_MS = 2_000;

  private DeadLetterProducers() {}

  /**
   * A producer for dead letters.
   *
   * @param consumerConfig the consumer's configuration
   * @param producerConfig the user's producer settings, or null to derive them from the consumer's
   * @param topics the source topics
   */
  public static Producer<byte[], byte[]> create(Map<String, Object> consumerConfig,
      Map<String, Object> producerConfig, List<String> topics) {
    Map<String, Object> connection = connection(consumerConfig);
    Map<String, Object> config = new HashMap<>(producerConfig != null ? producerConfig
        : connection);
    config.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    config.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
    if (!config.containsKey(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)) {
      config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
          largestRecord(producerConfig != null ? connection(producerConfig) : connection, topics)
              + HEADROOM);
    }
    int maxRequest = Integer.parseInt(config.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)
        .toString());
    config.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG,
        Math.max(32L * 1024 * 1024, 2L * maxRequest));
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** The connection and security settings of a client's configuration. */
  static Map<String, Object> connection(Map<String, Object> client) {
    Map<String, Object> connection = new HashMap<>();
    client.forEach((key, value) -> {
      if (key.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG) || key.startsWith("security.")
          || key.startsWith("ssl.") || key.startsWith("sasl.")
          || key.equals(CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG)) {
        connection.put(key, value);
      }
    });
    return connection;
  }

  /** The largest {@code max.message.bytes} of the topics, or Kafka's default when not known. */
  static int largestRecord(Map<String, Object> connection, List<String> topics) {
    Map<String, Object> config = new HashMap<>(connection);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    try (Admin admin = Admin.create(config)) {
      Map<ConfigResource, Config> configs = admin.describeConfigs(topics.stream()
          .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList())
          .all().get(10, TimeUnit.SECONDS);
      int largest = 0;
      for (Config each : configs.values()) {
        ConfigEntry entry = each.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        if (entry != null && entry.value() != null) {
          largest = Math.max(largest, Integer.parseInt(entry.value()));
        }
      }
      return largest > 0 ? largest : KAFKA_DEFAULT_MAX_MESSAGE_BYTES;
    } catch (Exception unknown) { // not authorised to describe, brokers slow: Kafka's default
      if (unknown instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.log(Level.INFO, () -> "could not read max.message.bytes of " + topics + " ("
          + unknown.getClass().getSimpleName() + "); the dead-letter producer takes records up"
          + " to Kafka's default, larger ones go in bounded form; set max.request.size in"
          + " producerConfig to change it");
      return KAFKA_DEFAULT_MAX_MESSAGE_BYTES;
    }
  }
}
