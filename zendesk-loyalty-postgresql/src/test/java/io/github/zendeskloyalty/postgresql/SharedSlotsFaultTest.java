package io.github.zendeskloyalty.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.client.ZendeskOperation;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import io.github.zendeskloyalty.testkit.ManualClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two SDK instances creating new members (bulk import off) in one account share their
 * single-user write slots in a real PostgreSQL server, which is killed with SIGKILL mid-run and
 * started again: every member arrives, every future completes, none fails at its deadline.
 */
class SharedSlotsFaultTest {

  private static PostgresServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = PostgresServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aStoreKilledMidRunAndRestartedLosesNoMemberAndFailsNoFuture() throws Exception {
    ManualClock time = new ManualClock(Instant.parse("2026-12-01T00:00:00Z"));
    AtomicInteger singleUserWrites = new AtomicInteger();
    AtomicLong unavailable = new AtomicLong();
    SyncListener counting = new SyncListener() {
      @Override
      public void onRequest(ZendeskOperation operation, int status) {
        if (operation == ZendeskOperation.CREATE_OR_UPDATE_USER) {
          singleUserWrites.incrementAndGet();
        }
      }

      @Override
      public void onWriteSlotsUnavailable(Throwable failure) {
        unavailable.incrementAndGet();
      }
    };
    try (FakeZendesk fake = FakeZendesk.builder().clock(time).bulkImport(false)
        .provisioned(FieldSchema.standard()).start()) {
      List<ZendeskLoyaltySync> instances = new ArrayList<>();
      List<CompletableFuture<SyncResult>> futures = new ArrayList<>();
      Thread faults = new Thread(() -> {
        try {
          awaitWrites(singleUserWrites, 8);
          server.kill();
          awaitWrites(singleUserWrites, 16);
          server.restart();
        } catch (Exception failed) {
          throw new IllegalStateException(failed);
        }
      }, "store-faults");
      try {
        for (int i = 0; i < 2; i++) {
          PostgresWriteSlots slots = PostgresWriteSlots.builder()
              .dataSource(server.dataSource()).account("fault-run").timeout(Duration.ofSeconds(1))
              .databaseClock(false).build(); // on the test's clock, as the fake's limit is
          slots.createTableIfMissing();
          instances.add(fake.syncBuilder().clock(time).sleeper(time).listener(counting)
              .singleUserWriteSlots(slots).build());
        }
        faults.start();
        for (int member = 0; member < 40; member++) {
          futures.add(instances.get(member % 2).onPointsChanged(LoyaltyMember.builder()
              .memberId("M-" + member).email("member" + member + "@example.com")
              .availablePoints(BigDecimal.valueOf(member)).build(), SyncTrigger.POINTS_AWARDED));
        }
        instances.forEach(ZendeskLoyaltySync::flush); // the manual clock never moves by itself
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
            .get(2, TimeUnit.MINUTES);
        faults.join(TimeUnit.MINUTES.toMillis(1));
      } finally {
        instances.forEach(ZendeskLoyaltySync::close);
      }

      assertThat(futures).allSatisfy(future -> assertThat(future).isCompleted()
          .isNotCompletedExceptionally());
      for (int member = 0; member < 40; member++) {
        assertThat(fake.user("member" + member + "@example.com")).as("member %d", member)
            .hasValueSatisfying(user -> assertThat(user.userFields())
                .containsKey("zrl_member_available_points"));
      }
      assertThat(unavailable.get()).as("writes paced alone while the store was down")
          .isPositive();
      assertThat(fake.user("member39@example.com").orElseThrow().userFields()
          .get("zrl_member_available_points").toString()).isEqualTo("39");
    }
  }

  private static void awaitWrites(AtomicInteger writes, int count) {
    long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (writes.get() < count && System.nanoTime() < until) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }
}
