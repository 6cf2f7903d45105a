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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Four instances, bulk import off, each with members of its own among one account's users: with
 * {@link SharedExportPages} they read one pass of the export between them, not one each; a store
 * that fails or answers garbage costs pages, never members.
 */
class SharedExportPassTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final int USERS = 5_000;
  private static final int INSTANCES = 4;

  private static FakeZendesk account(ManualClock time) {
    FakeZendesk fake = FakeZendesk.builder().clock(time).bulkImport(false)
        .requestsPerMinute(700).start();
    fake.provision(FieldSchema.standard());
    for (int n = 0; n < USERS; n++) {
      fake.addUser("User " + n, "member" + n + "@example.com", null);
    }
    return fake;
  }

  private static LoyaltyMember member(int n) {
    return LoyaltyMember.builder().memberId("M-" + n).email("member" + n + "@example.com")
        .availablePoints(BigDecimal.valueOf(n)).lastModifiedDate(T0).build();
  }

  /** Each instance backfills every fourth member of the account at once; all summaries. */
  private static List<SyncSummary> backfill(FakeZendesk fake, List<SharedExportPages> pages,
      SyncListener listener) throws Exception {
    List<ZendeskLoyaltySync> syncs = new ArrayList<>();
    try {
      List<CompletableFuture<SyncSummary>> summaries = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        ZendeskLoyaltySync.Builder builder = fake.syncBuilder().listener(listener);
        if (pages.get(i) != null) {
          builder.sharedExportPages(pages.get(i));
        }
        syncs.add(builder.build());
      }
      for (int i = 0; i < INSTANCES; i++) {
        List<LoyaltyMember> members = new ArrayList<>();
        for (int n = i; n < USERS; n += INSTANCES * 2) {
          members.add(member(n));
        }
        summaries.add(syncs.get(i).syncAll(members));
      }
      List<SyncSummary> done = new ArrayList<>();
      for (CompletableFuture<SyncSummary> summary : summaries) {
        done.add(summary.get(120, TimeUnit.SECONDS));
      }
      return done;
    } finally {
      for (ZendeskLoyaltySync sync : syncs) {
        sync.close();
      }
    }
  }

  private static void assertEveryMemberWritten(FakeZendesk fake, List<SyncSummary> summaries) {
    assertThat(summaries).allSatisfy(summary -> {
      assertThat(summary.isSuccess()).isTrue();
      assertThat(summary.updated()).isEqualTo(USERS / INSTANCES / 2);
    });
    for (int n = 0; n < USERS; n += 7) {
      Object points = fake.user("member" + n + "@example.com").orElseThrow().userFields()
          .get("zrl_member_available_points");
      if (n % (INSTANCES * 2) < INSTANCES) {
        assertThat(points).as("member %d", n).hasToString(String.valueOf(n));
      }
    }
  }

  @Test
  void fourInstancesSharingPagesReadOnePassBetweenThem() throws Exception {
    ManualClock time = new ManualClock();
    try (FakeZendesk alone = account(time)) {
      List<SharedExportPages> none = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        none.add(null);
      }
      assertEveryMemberWritten(alone, backfill(alone, none, SyncListener.none()));
      assertThat(alone.requests(FakeEndpoint.EXPORT_USERS)).as("each instance its own pass")
          .hasSizeGreaterThanOrEqualTo(INSTANCES * USERS / 1000);
    }
    try (FakeZendesk shared = account(time)) {
      SharedExportPages pages = SharedExportPages.inMemory();
      assertEveryMemberWritten(shared, backfill(shared, List.of(pages, pages, pages, pages),
          SyncListener.none()));
      assertThat(shared.requests(FakeEndpoint.EXPORT_USERS)).as("one pass: 5 pages, each once")
          .hasSizeBetween(USERS / 1000, USERS / 1000 + 1);
    }
  }

  @Test
  void aStoreThatThrowsOrAnswersGarbageCostsPagesNeverMembers() throws Exception {
    ManualClock time = new ManualClock();
    SharedExportPages throwing = new SharedExportPages() {
      @Override
      public Instant joinPass(Instant now, Instant startedAfter) {
        return now;
      }

      @Override
      public Optional<String> page(Instant pass, int number) {
        throw new IllegalStateException("Redis did not answer within 2 s");
      }

      @Override
      public boolean claim(Instant pass, int number, Instant now, Instant until) {
        return true;
      }

      @Override
      public void put(Instant pass, int number, String page, boolean last) {}
    };
    SharedExportPages garbage = new SharedExportPages() {
      @Override
      public Instant joinPass(Instant now, Instant startedAfter) {
        return now;
      }

      @Override
      public Optional<String> page(Instant pass, int number) {
        return Optional.of(number % 2 == 0 ? "{\"users\": [{\"id\": \"x\"}]}"
            : "<html>502</html>");
      }

      @Override
      public boolean claim(Instant pass, int number, Instant now, Instant until) {
        return false;
      }

      @Override
      public void put(Instant pass, int number, String page, boolean last) {}
    };
    List<Throwable> unavailable = new CopyOnWriteArrayList<>();
    try (FakeZendesk fake = account(time)) {
      assertEveryMemberWritten(fake, backfill(fake, List.of(throwing, garbage, throwing, garbage),
          new SyncListener() {
            @Override
            public void onExportPagesUnavailable(Throwable failure) {
              unavailable.add(failure);
            }
          }));
      assertThat(unavailable).as("each page the store failed, told").isNotEmpty()
          .allSatisfy(failure -> assertThat(failure).isInstanceOfAny(
              IllegalStateException.class,
              com.fasterxml.jackson.core.JsonProcessingException.class));
    }
  }

  /**
   * The instance that fetched a page claims the next one as it stores it, so the pass goes on
   * at the pace its limiter just kept (another's older view of the export's window would wait
   * one out for nothing); the claim ahead is short, for an instance that does not go on.
   */
  @Test
  void theInstanceThatFetchedAPageClaimsTheNextForItself() throws Exception {
    ManualClock time = new ManualClock();
    SharedExportPages pages = SharedExportPages.inMemory();
    List<String> calls = new CopyOnWriteArrayList<>();
    SharedExportPages recording = new SharedExportPages() {
      @Override
      public Instant joinPass(Instant now, Instant startedAfter) {
        return pages.joinPass(now, startedAfter);
      }

      @Override
      public Optional<String> page(Instant pass, int number) {
        return pages.page(pass, number);
      }

      @Override
      public boolean claim(Instant pass, int number, Instant now, Instant until) {
        boolean claimed = pages.claim(pass, number, now, until);
        if (claimed) {
          calls.add("claim " + number + " for " + java.time.Duration.between(now, until)
              .toSeconds() + " s");
        }
        return claimed;
      }

      @Override
      public void put(Instant pass, int number, String page, boolean last) {
        calls.add("put " + number + (last ? " (last)" : ""));
        pages.put(pass, number, page, last);
      }
    };
    try (FakeZendesk fake = account(time)) {
      backfill(fake, List.of(recording, recording, recording, recording), SyncListener.none());
    }
    assertThat(calls).startsWith("claim 1 for 120 s", "put 1", "claim 2 for 30 s", "put 2",
        "claim 3 for 30 s", "put 3");
  }
}
