package io.github.zendeskloyalty.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.micrometer.ZendeskLoyaltyKafkaMetrics;
import io.github.zendeskloyalty.spring.internal.KafkaIntakeLifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.ClassUtils;

/**
 * The intake's auto-configuration on the Boot line on the class path (compat/ runs it on each,
 * with that line's Kafka client): present only when topics are set, started with the context and
 * stopped with it, with meters when there is a registry. No broker needed: the consumer is built
 * and runs; what it reads is {@code KafkaIntakeApplicationTest}'s.
 */
class KafkaIntakeAutoConfigurationTest extends StarterTestBase {

  /** Boot's own Kafka auto-configuration, on this line. */
  private static Class<?> bootKafka() {
    for (String name : new String[] {
        "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
        "org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration"}) {
      if (ClassUtils.isPresent(name, null)) {
        return ClassUtils.resolveClassName(name, null);
      }
    }
    throw new IllegalStateException("no Spring Boot Kafka auto-configuration on the class path");
  }

  private ApplicationContextRunner kafkaRunner() {
    return runner.withConfiguration(AutoConfigurations.of(bootKafka(),
            ZendeskLoyaltyKafkaAutoConfiguration.class))
        .withPropertyValues(account())
        .withPropertyValues("spring.kafka.bootstrap-servers=localhost:1");
  }

  @Test
  void noIntakeUnlessTopicsAreSet() {
    kafkaRunner().run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).doesNotHaveBean(KafkaIntakeLifecycle.class);
    });
  }

  @Test
  void withTopicsTheIntakeRunsWithTheContextAndStopsWithIt() {
    AtomicReference<KafkaIntakeLifecycle> intake = new AtomicReference<>();
    kafkaRunner().withPropertyValues("zendesk.loyalty.kafka.topics=loyalty-events",
            "zendesk.loyalty.kafka.settle-timeout=1s")
        .run(context -> {
          assertThat(context).hasNotFailed();
          intake.set(context.getBean(KafkaIntakeLifecycle.class));
          assertThat(intake.get().isRunning()).isTrue();
          assertThat(intake.get().intake()).isNotNull();
        });
    assertThat(intake.get().isRunning()).as("stopped with the context").isFalse();
  }

  @Test
  void enabledFalseTurnsTheIntakeOffThoughTopicsAreSet() {
    kafkaRunner().withPropertyValues("zendesk.loyalty.kafka.topics=loyalty-events",
            "zendesk.loyalty.kafka.enabled=false")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean(KafkaIntakeLifecycle.class);
        });
  }

  @Test
  void theIntakesHealthIsThereAndCanBeTurnedOff() {
    kafkaRunner().withPropertyValues("zendesk.loyalty.kafka.topics=loyalty-events",
            "zendesk.loyalty.kafka.settle-timeout=1s")
        .run(context -> {
          ZendeskLoyaltyHealth.Report report =
              context.getBean(ZendeskLoyaltyKafkaHealth.class).check();
          assertThat(report.status()).as("starting or running, no broker yet: not DOWN")
              .isEqualTo(ZendeskLoyaltyHealth.UP);
          assertThat(report.details()).containsKeys("state", "lag", "assignedPartitions");
          assertThat(context).hasBean("zendeskLoyaltyKafkaHealthIndicator");
        });
    kafkaRunner().withPropertyValues("zendesk.loyalty.kafka.topics=loyalty-events",
            "management.health.zendesk-loyalty-kafka.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(ZendeskLoyaltyKafkaHealth.class)
            .doesNotHaveBean("zendeskLoyaltyKafkaHealthIndicator"));
  }

  @Test
  void theIntakesBoundsComeFromTheProperties() {
    kafkaRunner().withPropertyValues("zendesk.loyalty.kafka.topics=loyalty-events",
            "zendesk.loyalty.kafka.max-held-members=0")
        .run(context -> assertThat(context).getFailure().rootCause()
            .hasMessage("maxHeldMembers must be at least 1: 0"));
    kafkaRunner().withPropertyValues("zendesk.loyalty.kafka.topics=loyalty-events",
            "zendesk.loyalty.kafka.max-open-records=0")
        .run(context -> assertThat(context).getFailure().rootCause()
            .hasMessage("maxOpenRecords must be at least 1: 0"));
  }

  @Test
  void withARegistryTheIntakesMetersAreThere() {
    kafkaRunner().withPropertyValues("zendesk.loyalty.kafka.topics=loyalty-events",
            "zendesk.loyalty.kafka.settle-timeout=1s")
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(context -> {
          assertThat(context).hasSingleBean(ZendeskLoyaltyKafkaMetrics.class);
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          assertThat(registry.find("zendesk.loyalty.kafka.lag").gauge()).isNotNull();
          assertThat(registry.find("zendesk.loyalty.kafka.dead.letters").counters()).hasSize(4);
        });
  }
}
