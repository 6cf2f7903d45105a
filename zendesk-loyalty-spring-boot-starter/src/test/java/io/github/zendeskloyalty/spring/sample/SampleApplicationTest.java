package io.github.zendeskloyalty.spring.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import io.github.zendeskloyalty.testkit.FakeZendeskExtension;
import io.github.zendeskloyalty.testkit.ManualClock;
import io.github.zendeskloyalty.testkit.ZendeskAssertions;
import io.micrometer.core.instrument.MeterRegistry;
import org.assertj.core.api.InstanceOfAssertFactories;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.ClassUtils;

/**
 * The README's Spring Boot test, on every supported Boot line (compat/ runs it on each): the
 * application with the starter, Actuator and Micrometer against the fake, the fake's address
 * from {@link FakeZendeskExtension#fake()}, the fake reset between tests that share the context,
 * the SDK on the test's {@link ManualClock}.
 */
@SpringBootTest(classes = SampleLoyaltyApplication.class)
class SampleApplicationTest {

  static final ManualClock time = new ManualClock();

  /** One fake for the class, reset before each test to an account with the 21 fields. */
  @RegisterExtension
  static FakeZendeskExtension zendesk = new FakeZendeskExtension(
      FakeZendesk.builder().clock(time).provisioned(FieldSchema.standard()));

  @DynamicPropertySource
  static void zendesk(DynamicPropertyRegistry registry) {
    zendesk.fake().springBootProperties().forEach((key, value) -> registry.add(key, () -> value));
  }

  /** The SDK's clock and sleeper: waits for Zendesk move this clock instead of passing. */
  @TestConfiguration
  static class Time {
    @Bean
    ManualClock zendeskClock() {
      return time;
    }
  }

  @Autowired
  SampleLoyaltyApplication.PointsService points;
  @Autowired
  ZendeskLoyaltySync sync;
  @Autowired
  ConfigurableApplicationContext context;
  @Autowired
  MeterRegistry registry;

  @Test
  void pointsAwardedInTheApplicationReachTheMembersZendeskProfile(FakeZendesk fake) {
    CompletableFuture<SyncResult> result = points.award("M-42", "jane@example.com", 1250,
        Instant.parse("2026-11-27T10:00:00Z"));
    sync.flush().join(); // the ManualClock never moves by itself: flush() sends what waits

    assertThat(result).isCompletedWithValueMatching(
        synced -> synced.outcome() == SyncResult.Outcome.CREATED);
    ZendeskAssertions.assertThat(fake).user("jane@example.com")
        .hasField("zrl_member_available_points", 1250)
        .hasField("zrl_member_loyalty_tier_name", "Gold");
  }

  @Test
  void eachTestStartsWithTheFieldsAndNoUsersThoughTheContextIsShared(FakeZendesk fake) {
    assertThat(fake.users()).isEmpty();
    assertThat(fake.userFields()).hasSize(21);
    CompletableFuture<SyncResult> result = points.award("M-43", "ada@example.com", 10,
        Instant.parse("2026-11-27T10:00:00Z"));
    time.advance(Duration.ofSeconds(2)); // past the max delay: the batch goes without flush()

    assertThat(result).succeedsWithin(Duration.ofSeconds(10));
    ZendeskAssertions.assertThat(fake).user("ada@example.com")
        .hasField("zrl_member_available_points", 10);
  }

  @Test
  void actuatorShowsTheHealthAndTheMetersOfTheBootLineOnTheClasspath() throws Exception {
    double createdBefore = created();
    points.award("M-44", "alan@example.com", 5, Instant.parse("2026-11-27T10:00:00Z"));
    sync.flush().join();

    Object indicator = context.getBean("zendeskLoyaltyHealthIndicator");
    Object health = indicator.getClass().getMethod("health").invoke(indicator);
    Object status = health.getClass().getMethod("getStatus").invoke(health);
    assertThat(status.getClass().getMethod("getCode").invoke(status)).isEqualTo("UP");
    assertThat(health.getClass().getMethod("getDetails").invoke(health))
        .asInstanceOf(InstanceOfAssertFactories.MAP).containsEntry("fields", "21 present");
    assertThat(created() - createdBefore).as("meters on the application's own registry")
        .isEqualTo(1);
  }

  private double created() {
    var counter = registry.find("zendesk.loyalty.outcomes").tag("outcome", "created").counter();
    return counter == null ? 0 : counter.count();
  }

  /** A skipped auto-configuration is silent: fail when one is skipped though its classes are here. */
  @Test
  void noConfigurationOfTheStarterIsSkippedWhileItsClassesArePresent() {
    ConditionEvaluationReport report = ConditionEvaluationReport.get(context.getBeanFactory());
    List<String> skipped = new ArrayList<>();
    List<String> evaluated = new ArrayList<>();
    report.getConditionAndOutcomesBySource().forEach((source, outcomes) -> {
      if (!source.startsWith("io.github.zendeskloyalty.")) {
        return;
      }
      evaluated.add(source);
      if (!outcomes.isFullMatch() && requiredClassesPresent(source) && !turnedOff(outcomes)) {
        outcomes.forEach(outcome -> skipped.add(source + ": " + outcome.getOutcome()));
      }
    });
    assertThat(evaluated).as("the starter's configurations were evaluated")
        .anyMatch(source -> source.endsWith("MetricsConfiguration"))
        .anyMatch(source -> source.endsWith("Health"))
        .anyMatch(source -> source.endsWith("MaskingConfiguration"));
    assertThat(skipped).isEmpty();
  }

  /** Skipped by a property the application left unset (the Kafka intake without topics). */
  private static boolean turnedOff(ConditionEvaluationReport.ConditionAndOutcomes outcomes) {
    List<String> failed = new ArrayList<>();
    outcomes.forEach(outcome -> {
      if (!outcome.getOutcome().isMatch()) {
        failed.add(outcome.getOutcome().getMessage());
      }
    });
    return !failed.isEmpty()
        && failed.stream().allMatch(message -> message.startsWith("@ConditionalOnProperty"));
  }

  private static boolean requiredClassesPresent(String source) {
    String className = source.contains("#") ? source.substring(0, source.indexOf('#')) : source;
    ClassLoader loader = SampleApplicationTest.class.getClassLoader();
    try {
      for (Annotation annotation : Class.forName(className, false, loader).getAnnotations()) {
        if (annotation instanceof ConditionalOnClass required) {
          List<String> names = new ArrayList<>(Arrays.asList(required.name()));
          Arrays.stream(required.value()).map(Class::getName).forEach(names::add);
          if (names.stream().anyMatch(name -> !ClassUtils.isPresent(name, loader))) {
            return false;
          }
        }
      }
    } catch (ClassNotFoundException | TypeNotPresentException absent) {
      return false;
    }
    return true;
  }
}
