package io.github.zendeskloyalty.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code zendesk.loyalty.kafka.*} properties: with {@code topics} set (and
 * {@code zendesk-loyalty-kafka} and Spring Kafka on the class path), the starter runs a
 * {@code ZendeskLoyaltyKafkaConsumer} built from Spring Boot's own Kafka settings
 * ({@code spring.kafka.*}: servers, security, SSL bundles). Unset ones keep the intake's defaults.
 *
 * <pre>
 * spring:
 *   kafka:
 *     bootstrap-servers: kafka:9092
 * zendesk:
 *   loyalty:
 *     kafka:
 *       topics: loyalty-events
 * </pre>
 */
@ConfigurationProperties("zendesk.loyalty.kafka")
public class ZendeskLoyaltyKafkaProperties {

  /** The group id when neither this nor spring.kafka.consumer.group-id is set. */
  public static final String DEFAULT_GROUP_ID = "zendesk-loyalty";

  /** Whether the intake runs when topics are set (default true): false turns it off, in a test say. */
  private boolean enabled = true;

  /** The topics of loyalty events to read; the intake runs when set. */
  private List<String> topics = new ArrayList<>();

  /** The consumer group; default spring.kafka.consumer.group-id, else zendesk-loyalty. */
  private String groupId;

  /** Where records that will never sync go; default the first topic + .dead-letters. */
  private String deadLetterTopic;

  /** How often settled offsets are committed (default 5s). */
  private Duration commitInterval;

  /** Records with the SDK and not yet settled before the intake holds what it reads (default 25000; below batch.max-pending-members). */
  private Integer maxOpenRecords;

  /** Members whose newest record the intake may hold while catching up or while the SDK is full (default 100000, about 1.2 kB each for a 420-byte record). */
  private Integer maxHeldMembers;

  /** How long a rebalance or shutdown waits for records with the SDK (default 30s). */
  private Duration settleTimeout;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public List<String> getTopics() {
    return topics;
  }

  public void setTopics(List<String> topics) {
    this.topics = topics;
  }

  public String getGroupId() {
    return groupId;
  }

  public void setGroupId(String groupId) {
    this.groupId = groupId;
  }

  public String getDeadLetterTopic() {
    return deadLetterTopic;
  }

  public void setDeadLetterTopic(String deadLetterTopic) {
    this.deadLetterTopic = deadLetterTopic;
  }

  public Duration getCommitInterval() {
    return commitInterval;
  }

  public void setCommitInterval(Duration commitInterval) {
    this.commitInterval = commitInterval;
  }

  public Integer getMaxOpenRecords() {
    return maxOpenRecords;
  }

  public void setMaxOpenRecords(Integer maxOpenRecords) {
    this.maxOpenRecords = maxOpenRecords;
  }

  public Integer getMaxHeldMembers() {
    return maxHeldMembers;
  }

  public void setMaxHeldMembers(Integer maxHeldMembers) {
    this.maxHeldMembers = maxHeldMembers;
  }

  public Duration getSettleTimeout() {
    return settleTimeout;
  }

  public void setSettleTimeout(Duration settleTimeout) {
    this.settleTimeout = settleTimeout;
  }
}
