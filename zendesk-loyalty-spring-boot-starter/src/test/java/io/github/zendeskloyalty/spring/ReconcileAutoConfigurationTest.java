package io.github.zendeskloyalty.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.MemberSource;
import io.github.zendeskloyalty.spring.internal.ReconcileSchedule;
import io.github.zendeskloyalty.spring.internal.SyncHealth;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;

/**
 * {@code zendesk.loyalty.reconcile.cron} with the application's {@link MemberSource}: the
 * reconcile runs on schedule, and its report shows in the health and the meters.
 */
class ReconcileAutoConfigurationTest extends StarterTestBase {

  @Test
  void theScheduledReconcileWritesTheDriftAndReportsItInTheHealthAndTheMeters() {
    runner.withConfiguration(AutoConfigurations.of(ZendeskLoyaltyReconcileAutoConfiguration.class))
        .withPropertyValues(account())
        .withPropertyValues("zendesk.loyalty.reconcile.cron=* * * * * *")
        .withBean(MemberSource.class, () -> MemberSource.of(List.of(member(1), member(2))))
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(context -> {
          assertThat(context).hasSingleBean(ReconcileSchedule.class);
          SyncHealth health = context.getBean(SyncHealth.class);
          long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
          while (health.lastReconcile() == null && System.nanoTime() < until) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
          }
          assertThat(health.lastReconcile()).as("a run within a few seconds").isNotNull();
          assertThat(context.getBean(ZendeskLoyaltyHealth.class).check().details())
              .containsEntry("lastReconcileDrifted", 2L)
              .containsEntry("lastReconcileWritten", 2L)
              .containsEntry("lastReconcileOrphans", 0L);
          assertThat(fake.user("member1@example.com")).isPresent();
          assertThat(context.getBean(MeterRegistry.class).get("zendesk.loyalty.reconcile.last")
              .tag("kind", "no_zendesk_user").gauge().value()).isEqualTo(2);
        });
  }

  @Test
  void aCronWithoutAMemberSourceFailsTheStartNamingWhatIsMissing() {
    runner.withConfiguration(AutoConfigurations.of(ZendeskLoyaltyReconcileAutoConfiguration.class))
        .withPropertyValues(account())
        .withPropertyValues("zendesk.loyalty.reconcile.cron=0 0 3 * * *")
        .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
            .hasMessageContaining("no MemberSource bean"));
  }

  @Test
  void aWrongCronFailsTheStartNamingTheProperty() {
    runner.withConfiguration(AutoConfigurations.of(ZendeskLoyaltyReconcileAutoConfiguration.class))
        .withPropertyValues(account())
        .withPropertyValues("zendesk.loyalty.reconcile.cron=every night")
        .withBean(MemberSource.class, () -> MemberSource.of(List.of()))
        .run(context -> assertThat(context).hasFailed().getFailure()
            .hasStackTraceContaining("zendesk.loyalty.reconcile.cron is not a cron expression"));
  }

  @Test
  void withoutTheCronNothingIsScheduled() {
    runner.withConfiguration(AutoConfigurations.of(ZendeskLoyaltyReconcileAutoConfiguration.class))
        .withPropertyValues(account())
        .run(context -> assertThat(context).doesNotHaveBean(ReconcileSchedule.class));
  }
}
