package io.github.zendeskloyalty.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.RetryPolicy;
import io.github.zendeskloyalty.client.SingleUserWriteSlots;
import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.client.ZendeskOperation;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * What every shared {@link SingleUserWriteSlots} must do, as JUnit tests to extend for your own
 * store (the SDK's PostgreSQL and Redis ones pass it): instances reserving at once get distinct
 * slots a spacing apart, a slot past the deadline reserves nothing, and two SDK instances whose
 * store is killed mid-run and started again lose no member and fail no future.
 *
 * <pre>{@code
 * class MyStoreSlotsTest extends SingleUserWriteSlotsContract {
 *   protected SingleUserWriteSlots instance(String account) {
 *     return new MyStoreSlots(store.connect(), account); // on the caller's clock
 *   }
 *   protected void stopStore() throws Exception { store.kill(); }
 *   protected void startStore() throws Exception { store.start(); }
 * }
 * }</pre>
 *
 * <p>The slots must be kept on the caller's clock here (the times the SDK passes), since the
 * tests run on a {@link ManualClock}; a store that keeps them on its own clock in production
 * needs that as a setting.
 */
public abstract class SingleUserWriteSlotsContract {

  /** The gap the SDK asks for: Zendesk's second and a margin. */
  protected static final Duration SPACING = Duration.ofMillis(1_150);

  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  /**
   * A new instance's slots for {@code account}, as a new pod would open them (its own
   * connections), on the caller's clock.
   */
  protected abstract SingleUserWriteSlots instance(String account) throws Exception;

  /** Stops the store abruptly (SIGKILL), as an OOM kill or a lost host. */
  protected abstract void stopStore() throws Exception;

  /** Starts the store again after {@link #stopStore()}. */
  protected abstract void startStore() throws Exception;

  /** An account no other test uses. */
  private static String account(String test) {
    return test + "-" + System.nanoTime();
  }

  /** Instances reserving at once get distinct slots, each a spacing after the one before. */
  @Test
  public void fourInstancesReservingAtOnceGetDistinctSlotsASpacingApart() throws Exception {
    String account = account("four-instances");
    List<SingleUserWriteSlots> instances = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      instances.add(instance(account));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Instant> all = new ArrayList<>();
    try {
      List<Future<List<Instant>>> reserved = new ArrayList<>();
      for (SingleUserWriteSlots slots : instances) {
        reserved.add(pool.submit(() -> {
          List<Instant> mine = new ArrayList<>();
          for (int i = 0; i < 25; i++) {
            mine.add(slots.reserve(T0, T0.plus(Duration.ofHours(1)), SPACING).orElseThrow());
          }
          return mine;
        }));
      }
      for (Future<List<Instant>> each : reserved) {
        all.addAll(each.get(1, TimeUnit.MINUTES));
      }
    } finally {
      pool.shutdownNow();
    }

    Collections.sort(all);
    assertThat(all).hasSize(100).first().isEqualTo(T0);
    for (int i = 1; i < all.size(); i++) {
      assertThat(Duration.between(all.get(i - 1), all.get(i))).as("slot %d after slot %d", i,
          i - 1).isGreaterThanOrEqualTo(SPACING);
    }
  }

  /** A slot that would come after the deadline is refused and reserves nothing. */
  @Test
  public void aSlotPastTheDeadlineReservesNothingAndPushesNoOneBack() throws Exception {
    SingleUserWriteSlots slots = instance(account("deadline"));
    Instant latest = T0.plus(Duration.ofSeconds(3));
    assertThat(slots.reserve(T0, latest, SPACING)).contains(T0);
    assertThat(slots.reserve(T0, latest, SPACING)).contains(T0.plus(SPACING));
    assertThat(slots.reserve(T0, latest, SPACING)).contains(T0.plus(SPACING.multipliedBy(2)));
    assertThat(slots.reserve(T0, latest, SPACING)).as("3.45 s is past the deadline").isEmpty();
    assertThat(slots.reserve(T0, T0.plus(Duration.ofMinutes(1)), SPACING))
        .as("the refused one took nothing").contains(T0.plus(SPACING.multipliedBy(3)));
  }

  /** The store killed mid-run and started again: no member lost, no future failed. */
  @Test
  public void aStoreKilledMidRunAndStartedAgainLosesNoMemberAndFailsNoFuture() throws Exception {
    ManualClock time = new ManualClock(T0);
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
    String account = account("killed");
    try (FakeZendesk fake = FakeZendesk.builder().clock(time).bulkImport(false)
        .provisioned(FieldSchema.standard()).start()) {
      List<ZendeskLoyaltySync> instances = new ArrayList<>();
      List<CompletableFuture<SyncResult>> futures = new ArrayList<>();
      List<Throwable> faultFailures = Collections.synchronizedList(new ArrayList<>());
      Thread faults = new Thread(() -> {
        try {
          awaitWrites(singleUserWrites, 8);
          stopStore();
          awaitWrites(singleUserWrites, 16);
          startStore();
        } catch (Exception | Error failed) {
          faultFailures.add(failed);
        }
      }, "store-faults");
      try {
        for (int i = 0; i < 2; i++) {
          // both instances sleep on one manual clock, which adds their sleeps where real time
          // would overlap them: while the store is down and they pace alone, 429s and their
          // waits run that clock far ahead, so the retry deadline is set well past them
          instances.add(fake.syncBuilder().clock(time).sleeper(time).listener(counting)
              .retryPolicy(RetryPolicy.builder().deadline(Duration.ofHours(1)).build())
              .singleUserWriteSlots(instance(account)).build());
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

      assertThat(faultFailures).as("stopping and starting the store").isEmpty();
      assertThat(futures).allSatisfy(future -> assertThat(future).isCompleted()
          .isNotCompletedExceptionally());
      for (int member = 0; member < 40; member++) {
        String expected = Integer.toString(member);
        assertThat(fake.user("member" + member + "@example.com")).as("member %d", member)
            .hasValueSatisfying(user -> assertThat(String.valueOf(
                user.userFields().get("zrl_member_available_points"))).isEqualTo(expected));
      }
      assertThat(unavailable.get()).as("writes paced alone while the store was down")
          .isPositive();
    }
  }

  private static void awaitWrites(AtomicInteger writes, int count) {
    long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (writes.get() < count && System.nanoTime() < until) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }
}
