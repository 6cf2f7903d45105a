package io.github.zendeskloyalty.spring;

import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.kafka.KafkaIntakeListener;
import io.github.zendeskloyalty.kafka.LoyaltyEventDecoder;
import io.github.zendeskloyalty.kafka.ZendeskLoyaltyKafkaConsumer;
import io.github.zendeskloyalty.micrometer.ZendeskLoyaltyKafkaMetrics;
import io.github.zendeskloyalty.spring.internal.Boot3HealthIndicator;
import io.github.zendeskloyalty.spring.internal.Boot4HealthIndicator;
import io.github.zendeskloyalty.spring.internal.KafkaIntakeLifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.ProducerFactory;

/**
 * Runs a {@link ZendeskLoyaltyKafkaConsumer} into the application's {@link ZendeskLoyaltySync}
 * when {@code zendesk.loyalty.kafka.topics} is set, built from Spring Boot's Kafka settings: the
 * configuration of Boot's {@link ConsumerFactory} ({@code spring.kafka.*}, with its SSL bundles
 * and connection details), on Spring Boot 4 and 3.5. It starts with the context and stops before
 * the SDK; every {@link KafkaIntakeListener} bean hears it, a {@link LoyaltyEventDecoder} bean
 * replaces the JSON decoder, and with a {@code MeterRegistry} its meters are
 * {@code zendesk.loyalty.kafka.*}. Its dead-letter producer takes the configuration of Boot's
 * {@code ProducerFactory} ({@code spring.kafka.producer.*}). With Actuator, the
 * {@code zendeskLoyaltyKafka} health is DOWN, with the reason, while the intake is stopped or
 * holds a partition. {@code zendesk.loyalty.kafka.enabled=false} turns it off.
 *
 * <pre>
 * spring.kafka.bootstrap-servers=kafka:9092
 * zendesk.loyalty.kafka.topics=loyalty-events
 * </pre>
 */
@AutoConfiguration(after = ZendeskLoyaltyAutoConfiguration.class, afterName = {
    // Spring Boot 4
    "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
    // Spring Boot 3
    "org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration"})
@ConditionalOnClass(name = {ZendeskLoyaltyKafkaAutoConfiguration.INTAKE,
    ZendeskLoyaltyKafkaAutoConfiguration.CONSUMER_FACTORY})
@ConditionalOnProperty(prefix = "zendesk.loyalty.kafka", name = "topics")
@EnableConfigurationProperties(ZendeskLoyaltyKafkaProperties.class)
public class ZendeskLoyaltyKafkaAutoConfiguration {

  /** The intake's class, from {@code zendesk-loyalty-kafka}. */
  static final String INTAKE = "io.github.zendeskloyalty.kafka.ZendeskLoyaltyKafkaConsumer";
  /** Spring Kafka's consumer factory, which Boot configures from {@code spring.kafka.*}. */
  static final String CONSUMER_FACTORY = "org.springframework.kafka.core.ConsumerFactory";
  /** The intake's health indicator's bean name: its health is {@code zendeskLoyaltyKafka}. */
  static final String HEALTH_INDICATOR = "zendeskLoyaltyKafkaHealthIndicator";

  /** The intake, started with the context; the application's own replaces it. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean({ZendeskLoyaltySync.class, ConsumerFactory.class})
  @ConditionalOnProperty(prefix = "zendesk.loyalty.kafka", name = "enabled",
      matchIfMissing = true)
  KafkaIntakeLifecycle zendeskLoyaltyKafkaIntake(ConsumerFactory<?, ?> consumerFactory,
      ObjectProvider<ProducerFactory<?, ?>> producerFactory,
      ZendeskLoyaltySync sync, ZendeskLoyaltyKafkaProperties properties,
      ObjectProvider<KafkaIntakeListener> listeners, ObjectProvider<LoyaltyEventDecoder> decoder,
      ObjectProvider<Clock> clock) {
    return new KafkaIntakeLifecycle(() -> {
      Map<String, Object> config = new HashMap<>(consumerFactory.getConfigurationProperties());
      if (properties.getGroupId() != null) {
        config.put("group.id", properties.getGroupId());
      }
      config.putIfAbsent("group.id", ZendeskLoyaltyKafkaProperties.DEFAULT_GROUP_ID);
      ZendeskLoyaltyKafkaConsumer.Builder builder = ZendeskLoyaltyKafkaConsumer.builder()
          .consumerConfig(config).topics(properties.getTopics()).sync(sync);
      producerFactory.ifUnique(producers ->
          builder.producerConfig(producers.getConfigurationProperties()));
      listeners.orderedStream().forEach(builder::listener);
      decoder.ifUnique(builder::decoder);
      clock.ifUnique(builder::clock);
      if (properties.getDeadLetterTopic() != null) {
        builder.deadLetterTopic(properties.getDeadLetterTopic());
      }
      if (properties.getCommitInterval() != null) {
        builder.commitInterval(properties.getCommitInterval());
      }
      if (properties.getMaxOpenRecords() != null) {
        builder.maxOpenRecords(properties.getMaxOpenRecords());
      }
      if (properties.getMaxHeldMembers() != null) {
        builder.maxHeldMembers(properties.getMaxHeldMembers());
      }
      if (properties.getSettleTimeout() != null) {
        builder.settleTimeout(properties.getSettleTimeout());
      }
      return builder.start();
    });
  }

  /** The intake's health on the Boot line's health API, unless turned off. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "management.health.zendesk-loyalty-kafka", name = "enabled",
      matchIfMissing = true)
  static class KafkaHealthConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ZendeskLoyaltyKafkaHealth zendeskLoyaltyKafkaHealth(
        ObjectProvider<KafkaIntakeLifecycle> intake) {
      return new ZendeskLoyaltyKafkaHealth(intake::getIfAvailable);
    }

    /** Spring Boot 4's health API. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = ZendeskLoyaltyAutoConfiguration.BOOT_4_HEALTH)
    static class Boot4Health {
      @Bean
      @ConditionalOnMissingBean(name = HEALTH_INDICATOR)
      Boot4HealthIndicator zendeskLoyaltyKafkaHealthIndicator(
          ZendeskLoyaltyKafkaHealth health) {
        return new Boot4HealthIndicator(health::check);
      }
    }

    /** Spring Boot 3's health API. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = ZendeskLoyaltyAutoConfiguration.BOOT_3_HEALTH)
    static class Boot3Health {
      @Bean
      @ConditionalOnMissingBean(name = HEALTH_INDICATOR)
      Boot3HealthIndicator zendeskLoyaltyKafkaHealthIndicator(
          ZendeskLoyaltyKafkaHealth health) {
        return new Boot3HealthIndicator(health::check);
      }
    }
  }

  /** The intake's meters, when the application has a {@link MeterRegistry}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MeterRegistry.class, ZendeskLoyaltyKafkaMetrics.class})
  @ConditionalOnBean(MeterRegistry.class)
  static class KafkaMetricsConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ZendeskLoyaltyKafkaMetrics zendeskLoyaltyKafkaMetrics(MeterRegistry registry) {
      return new ZendeskLoyaltyKafkaMetrics(registry);
    }
  }
}
