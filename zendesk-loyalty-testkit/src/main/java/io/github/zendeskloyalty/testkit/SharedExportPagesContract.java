package io.github.zendeskloyalty.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.SharedExportPages;
import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.SyncSummary;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SharedExportPages} must do, as JUnit tests to extend for your own store (the
 * SDK's PostgreSQL and Redis ones pass it): instances join one pass, a page is claimed by one of
 * them, a stored page reads back as stored, the last page ends the pass, four SDK instances
 * backfilling members of one account read the export once between them, and a store killed
 * mid-pass and started again costs pages, never a member.
 *
 * <pre>{@code
 * class MyStorePagesTest extends SharedExportPagesContract {
 *   protected SharedExportPages instance(String account) {
 *     return new MyStorePages(store.connect(), account);
 *   }
 *   protected void stopStore() throws Exception { store.kill(); }
 *   protected void startStore() throws Exception { store.start(); }
 * }
 * }</pre>
 */
public abstract class SharedExportPagesContract {

  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  /** A new instance's pages for {@code account}, as a new pod would open them. */
  protected abstract SharedExportPages instance(String account) throws Exception;

  /** Stops the store abruptly (SIGKILL), as an OOM kill or a lost host. */
  protected abstract void stopStore() throws Exception;

  /** Starts the store again after {@link #stopStore()}. */
  protected abstract void startStore() throws Exception;

  /** An account no other test uses. */
  private static String account(String test) {
    return test + "-" + System.nanoTime();
  }

  /** Instances join the pass begun first; a page is claimed once, read back as stored. */
  @Test
  public void instancesJoinOnePassAndEachPageIsClaimedOnce() throws Exception {
    String account = account("one-pass");
    SharedExportPages first = instance(account);
    SharedExportPages second = instance(account);
    Instant pass = first.joinPass(T0, T0.minusSeconds(1_800));
    assertThat(second.joinPass(T0.plusSeconds(5), T0.minusSeconds(1_795))).isEqualTo(pass);

    assertThat(second.page(pass, 1)).isEmpty();
    assertThat(first.claim(pass, 1, T0, T0.plusSeconds(30))).isTrue();
    assertThat(second.claim(pass, 1, T0.plusSeconds(1), T0.plusSeconds(31)))
        .as("claimed by another until its claim expires").isFalse();
    assertThat(second.claim(pass, 2, T0.plusSeconds(1), T0.plusSeconds(31))).isTrue();
    String page = "{\"users\":[{\"id\":1,\"email\":\"jane@example.com\",\"active\":true}],"
        + "\"after_cursor\":\"é∑-cursor\",\"end_of_stream\":false}";
    first.put(pass, 1, page, false);
    assertThat(second.page(pass, 1)).contains(page);
    assertThat(second.claim(pass, 1, T0.plusSeconds(60), T0.plusSeconds(90)))
        .as("a stored page is not fetched again").isFalse();
  }

  /** A claim whose instance died expires; the last page ends the pass; an old one is left. */
  @Test
  public void anExpiredClaimIsTakenOverAndTheLastPageEndsThePass() throws Exception {
    String account = account("claims");
    SharedExportPages pages = instance(account);
    Instant pass = pages.joinPass(T0, T0.minusSeconds(1_800));
    assertThat(pages.claim(pass, 1, T0, T0.plusSeconds(30))).isTrue();
    assertThat(instance(account).claim(pass, 1, T0.plusSeconds(31), T0.plusSeconds(61)))
        .as("the first claimant died: its claim expired").isTrue();

    pages.put(pass, 1, "{\"users\":[],\"end_of_stream\":true}", true);
    Instant next = instance(account).joinPass(T0.plusSeconds(40), T0.minusSeconds(1_760));
    assertThat(next).as("a pass whose last page is stored is over").isAfter(pass);
    assertThat(instance(account).joinPass(T0.plusSeconds(4_000), T0.plusSeconds(2_200)))
        .as("a pass begun before the oldest one to join is not joined").isAfter(next);
    assertThat(instance(account("another")).page(pass, 1)).as("accounts apart").isEmpty();
  }

  /**
   * Four SDK instances, bulk import off, each backfilling its members among 5,000 users: one
   * pass of the export (5 pages), not four.
   */
  @Test
  public void fourSdkInstancesReadTheExportOnceBetweenThem() throws Exception {
    String account = account("four-sdks");
    ManualClock time = new ManualClock(T0);
    try (FakeZendesk fake = FakeZendesk.builder().clock(time).bulkImport(false)
        .requestsPerMinute(700).start()) {
      fake.provision(FieldSchema.standard());
      for (int n = 0; n < 5_000; n++) {
        fake.addUser("User " + n, "member" + n + "@example.com", null);
      }
      List<ZendeskLoyaltySync> syncs = new ArrayList<>();
      List<CompletableFuture<SyncSummary>> summaries = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          syncs.add(fake.syncBuilder().sharedExportPages(instance(account)).build());
        }
        for (int i = 0; i < 4; i++) {
          List<LoyaltyMember> members = new ArrayList<>();
          for (int n = i; n < 5_000; n += 8) {
            members.add(LoyaltyMember.builder().memberId("M-" + n)
                .email("member" + n + "@example.com").availablePoints(BigDecimal.valueOf(n))
                .lastModifiedDate(T0).build());
          }
          summaries.add(syncs.get(i).syncAll(members));
        }
        for (CompletableFuture<SyncSummary> summary : summaries) {
          assertThat(summary.get(120, TimeUnit.SECONDS).updated()).isEqualTo(625);
        }
      } finally {
        for (ZendeskLoyaltySync sync : syncs) {
          sync.close();
        }
      }
      assertThat(fake.requests(FakeEndpoint.EXPORT_USERS)).as("one pass between them")
          .hasSizeBetween(5, 6);
      assertThat(fake.user("member4995@example.com").orElseThrow().userFields()
          .get("zrl_member_available_points")).hasToString("4995");
    }
  }

  /**
   * Two SDK instances share pages; the store is killed with SIGKILL once the first page is
   * stored and started again after three calls failed: every member is written, no future
   * fails, and each instance was told the store was unavailable.
   */
  @Test
  public void aStoreKilledMidPassAndStartedAgainCostsPagesNeverAMember() throws Exception {
    String account = account("killed");
    ManualClock time = new ManualClock(T0);
    AtomicInteger puts = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger told = new AtomicInteger();
    try (FakeZendesk fake = FakeZendesk.builder().clock(time).bulkImport(false)
        .requestsPerMinute(700).start()) {
      fake.provision(FieldSchema.standard());
      for (int n = 0; n < 5_000; n++) {
        fake.addUser("User " + n, "member" + n + "@example.com", null);
      }
      List<ZendeskLoyaltySync> syncs = new ArrayList<>();
      List<CompletableFuture<SyncSummary>> summaries = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          syncs.add(fake.syncBuilder().sharedExportPages(killing(instance(account), puts,
              failures)).listener(new SyncListener() {
                @Override
                public void onExportPagesUnavailable(Throwable failure) {
                  told.incrementAndGet();
                }
              }).build());
        }
        for (int i = 0; i < 2; i++) {
          List<LoyaltyMember> members = new ArrayList<>();
          for (int n = i; n < 5_000; n += 4) {
            members.add(LoyaltyMember.builder().memberId("M-" + n)
                .email("member" + n + "@example.com").availablePoints(BigDecimal.valueOf(n))
                .lastModifiedDate(T0).build());
          }
          summaries.add(syncs.get(i).syncAll(members));
        }
        for (CompletableFuture<SyncSummary> summary : summaries) {
          SyncSummary done = summary.get(120, TimeUnit.SECONDS);
          assertThat(done.failures()).isEmpty();
          assertThat(done.updated()).isEqualTo(1_250);
        }
      } finally {
        for (ZendeskLoyaltySync sync : syncs) {
          sync.close();
        }
        start(); // in case the test failed with the store down
      }
      assertThat(told.get()).as("the instances were told the store was unavailable")
          .isPositive();
      assertThat(fake.user("member4997@example.com").orElseThrow().userFields()
          .get("zrl_member_available_points")).hasToString("4997");
    }
  }

  /** Kills the store after the first page is put, starts it again after three failures. */
  private SharedExportPages killing(SharedExportPages pages, AtomicInteger puts,
      AtomicInteger failures) {
    return new SharedExportPages() {
      @Override
      public Instant joinPass(Instant now, Instant startedAfter) {
        return guarded(() -> pages.joinPass(now, startedAfter));
      }

      @Override
      public Optional<String> page(Instant pass, int number) {
        return guarded(() -> pages.page(pass, number));
      }

      @Override
      public boolean claim(Instant pass, int number, Instant now, Instant until) {
        return guarded(() -> pages.claim(pass, number, now, until));
      }

      @Override
      public void put(Instant pass, int number, String page, boolean last) {
        guarded(() -> {
          pages.put(pass, number, page, last);
          if (puts.incrementAndGet() == 1) {
            stop();
          }
          return null;
        });
      }

      private <T> T guarded(Supplier<T> call) {
        try {
          return call.get();
        } catch (RuntimeException down) {
          if (failures.incrementAndGet() == 3) {
            start();
          }
          throw down;
        }
      }
    };
  }

  /** Whether {@link #stop()} killed the store and {@link #start()} has not started it again. */
  private boolean down;

  private synchronized void stop() {
    down = true;
    try {
      stopStore();
    } catch (Exception failed) {
      throw new IllegalStateException("could not stop the store", failed);
    }
  }

  private synchronized void start() {
    if (!down) {
      return;
    }
    down = false;
    try {
      startStore();
    } catch (Exception failed) {
      throw new IllegalStateException("could not start the store", failed);
    }
  }
}
