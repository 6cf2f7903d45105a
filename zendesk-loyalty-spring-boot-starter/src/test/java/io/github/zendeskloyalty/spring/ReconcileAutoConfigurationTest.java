package io.github.zendeskloyalty.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.MemberSource;
import io.github.zendeskloyalty.client.OAuthTokenStore;
import io.github.zendeskloyalty.client.SingleUserWriteSlots;
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

  /** What two replicas share: write slots and, in the same store, leases. */
  private static final class SharedStore implements SingleUserWriteSlots, OAuthTokenStore {
    private final SingleUserWriteSlots slots = SingleUserWriteSlots.inMemory();
    private final OAuthTokenStore leases = OAuthTokenStore.inMemory();

    @Override
    public java.util.Optional<java.time.Instant> reserve(java.time.Instant earliest,
        java.time.Instant latest, java.time.Duration spacing) {
      return slots.reserve(earliest, latest, spacing);
    }

    @Override
    public java.util.Optional<Stored> read(String key) {
      return leases.read(key);
    }

    @Override
    public java.util.Optional<Long> write(String key, long expectedVersion, String value) {
      return leases.write(key, expectedVersion, value);
    }

    @Override
    public boolean tryLease(String key, String owner, java.time.Duration ttl) {
      return leases.tryLease(key, owner, ttl);
    }

    @Override
    public void releaseLease(String key, String owner) {
      leases.releaseLease(key, owner);
    }
  }

  @Test
  void twoReplicasSharingAStoreRunEachTickOnceAndTheOtherSkipsIt() {
    SharedStore shared = new SharedStore();
    racesThreeTicks(runner.withBean(SingleUserWriteSlots.class, () -> shared));
  }

  /** Two replicas on a real PostgreSQL server, zendesk.loyalty.shared-limits=jdbc. */
  @Test
  void twoReplicasOnPostgresqlRunEachTickOnce() throws Exception {
    try (io.github.zendeskloyalty.postgresql.PostgresServer server =
             io.github.zendeskloyalty.postgresql.PostgresServer.start()) {
      javax.sql.DataSource database = server.dataSource();
      racesThreeTicks(runner.withConfiguration(AutoConfigurations.of(
              ZendeskLoyaltySharedLimitsAutoConfiguration.class))
          .withPropertyValues("zendesk.loyalty.shared-limits=jdbc")
          .withBean(javax.sql.DataSource.class, () -> database));
    }
  }

  /**
   * Two application contexts (replicas) racing three ticks of one cron: one reconciles each
   * tick, the other skips it, and skips it again when it fires late.
   */
  private void racesThreeTicks(
      org.springframework.boot.test.context.runner.ApplicationContextRunner sharing) {
    org.springframework.boot.test.context.runner.ApplicationContextRunner replica = sharing
        .withConfiguration(AutoConfigurations.of(ZendeskLoyaltyReconcileAutoConfiguration.class))
        .withPropertyValues(account())
        .withPropertyValues("zendesk.loyalty.reconcile.cron=0 0 3 * * *")
        .withBean(MemberSource.class, () -> MemberSource.of(List.of(member(1), member(2))))
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new);
    replica.run(first -> replica.run(second -> {
      ReconcileSchedule[] schedules = {first.getBean(ReconcileSchedule.class),
          second.getBean(ReconcileSchedule.class)};
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        for (int day = 1; day <= 3; day++) {
          java.time.Instant tick = java.time.Instant.parse("2026-12-0" + day + "T03:00:00Z");
          java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
          List<java.util.concurrent.Future<Boolean>> ran = new java.util.ArrayList<>();
          for (ReconcileSchedule schedule : schedules) {
            ran.add(pool.submit(() -> {
              start.await();
              return schedule.runTick(tick);
            }));
          }
          start.countDown();
          boolean firstRan = ran.get(0).get(60, TimeUnit.SECONDS);
          assertThat(firstRan ^ ran.get(1).get(60, TimeUnit.SECONDS))
              .as(tick + ": one replica reconciles").isTrue();
          assertThat(schedules[firstRan ? 1 : 0].runTick(tick))
              .as(tick + ": the other, firing late, skips it too").isFalse();
        }
      } finally {
        pool.shutdownNow();
      }
      double skipped = 0;
      for (org.springframework.context.ApplicationContext context : List.of(first, second)) {
        io.micrometer.core.instrument.Counter counter = context.getBean(MeterRegistry.class)
            .find("zendesk.loyalty.reconcile.skipped").counter();
        skipped += counter == null ? 0 : counter.count(); // a replica that never skipped
      }
      assertThat(skipped).as("three ticks skipped at once, three late").isEqualTo(6);
    }));
  }
}
