package io.github.zendeskloyalty.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.zendeskloyalty.client.IdentityPolicy;
import io.github.zendeskloyalty.client.MissingUserPolicy;
import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.SyncSummary;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.client.ZendeskOperation;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Bulk import off: ids resolved in pages of the export, or by external id without resolving. */
class BackfillEndToEndTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** A fake with bulk import off, the standard fields and {@code users} users member0… */
  private static FakeZendesk bulkImportOff(ManualClock time, int requestsPerMinute, int users) {
    FakeZendesk fake = FakeZendesk.builder().clock(time).bulkImport(false)
        .requestsPerMinute(requestsPerMinute).start();
    fake.provision(FieldSchema.standard());
    for (int n = 0; n < users; n++) {
      fake.addUser("User " + n, "member" + n + "@example.com", null);
    }
    return fake;
  }

  private static LoyaltyMember member(int n) {
    return LoyaltyMember.builder().memberId("M-" + n).email("member" + n + "@example.com")
        .firstName("Member").availablePoints(BigDecimal.valueOf(n)).lastModifiedDate(T0).build();
  }

  @Test
  void aBackfillOfExistingMembersResolvesIdsFromTheExportNotASearchEach() throws Exception {
    ManualClock time = new ManualClock();
    try (FakeZendesk fake = bulkImportOff(time, 200, 3_000)) {
      List<LoyaltyMember> members = new ArrayList<>();
      for (int n = 0; n < 3_000; n += 6) {
        members.add(member(n));
      }

      SyncSummary summary;
      try (ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
        summary = sync.syncAll(members).get(60, TimeUnit.SECONDS);
      }

      assertThat(summary.updated()).isEqualTo(500);
      assertThat(summary.isSuccess()).isTrue();
      assertThat(fake.requests(FakeEndpoint.EXPORT_USERS)).hasSize(3);
      assertThat(fake.requests(FakeEndpoint.COUNT_USERS)).hasSize(1);
      assertThat(fake.requests(FakeEndpoint.SEARCH_USERS)).hasSizeLessThan(50);
      assertThat(fake.requests(FakeEndpoint.UPDATE_MANY_USERS)).hasSizeLessThanOrEqualTo(6);
      ZendeskAssertions.assertThat(fake).hasUserCount(3_000).user("member600@example.com")
          .hasFieldsOf(member(600)).hasNoSecondaryEmails();
    }
  }

  @Test
  void aBackfillStillArrivingIsResolvedFromTheExportNotASearchPerEarlyBatch() throws Exception {
    ManualClock time = new ManualClock();
    try (FakeZendesk fake = bulkImportOff(time, 200, 10_000)) {
      // 100 members pending: a search each (30 s at 200 a minute) beats the export's 10 pages
      // (1 min); 1,000 do not. The backfill stops after its first 100 until the SDK has chosen.
      CountDownLatch chosen = new CountDownLatch(1);
      List<LoyaltyMember> members = new ArrayList<>();
      for (int n = 0; n < 10_000; n += 10) {
        members.add(member(n));
      }
      Collection<LoyaltyMember> arriving = arriving(members, chosen, null);

      SyncSummary summary;
      try (ZendeskLoyaltySync sync = fake.syncBuilder().listener(new SyncListener() {
        @Override
        public void onRequest(ZendeskOperation operation, int status) {
          if (operation == ZendeskOperation.EXPORT_USERS
              || operation == ZendeskOperation.SEARCH_USERS) {
            chosen.countDown();
          }
        }
      }).build()) {
        summary = sync.syncAll(arriving).get(60, TimeUnit.SECONDS);
      }

      assertThat(chosen.getCount()).isZero();
      assertThat(summary.updated()).isEqualTo(1_000);
      assertThat(fake.requests(FakeEndpoint.SEARCH_USERS)).isEmpty();
      assertThat(fake.requests(FakeEndpoint.EXPORT_USERS)).hasSizeBetween(10, 11);
    }
  }

  @Test
  void aPassIsNotDroppedForTheFewMembersItBeganWithWhileTheBackfillArrives() throws Exception {
    ManualClock time = new ManualClock();
    try (FakeZendesk fake = bulkImportOff(time, 200, 10_000)) {
      // The pass begins with 100 members, all on its first page; the other 900 (on the pages
      // after) arrive before it reads its second page.
      List<LoyaltyMember> members = new ArrayList<>();
      for (int n = 0; n < 10_000; n += 10) {
        members.add(member(n));
      }
      CountDownLatch firstPage = new CountDownLatch(1);
      CountDownLatch allQueued = new CountDownLatch(1);
      Collection<LoyaltyMember> arriving = arriving(members, firstPage, allQueued);

      SyncSummary summary;
      try (ZendeskLoyaltySync sync = fake.syncBuilder().listener(new SyncListener() {
        @Override
        public void onRequest(ZendeskOperation operation, int status) {
          if (operation == ZendeskOperation.EXPORT_USERS && firstPage.getCount() > 0) {
            firstPage.countDown();
            await(allQueued);
          }
        }
      }).build()) {
        summary = sync.syncAll(arriving).get(60, TimeUnit.SECONDS);
      }

      assertThat(summary.updated()).isEqualTo(1_000);
      assertThat(fake.requests(FakeEndpoint.SEARCH_USERS)).isEmpty();
      List<String> cursors = fake.requests(FakeEndpoint.EXPORT_USERS).stream()
          .map(request -> String.valueOf(request.query().get("cursor"))).toList();
      assertThat(cursors).as("no page read twice").doesNotHaveDuplicates()
          .hasSizeLessThanOrEqualTo(11);
    }
  }

  @Test
  void aFewDozenMembersInASmallAccountTakeOneExportPageNotASearchEach() throws Exception {
    ManualClock time = new ManualClock();
    try (FakeZendesk fake = bulkImportOff(time, 200, 500)) {
      try (ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
        for (int n = 0; n < 25; n++) {
          sync.onPointsChanged(member(n * 20), SyncTrigger.POINTS_AWARDED);
        }
        sync.flush().get(30, TimeUnit.SECONDS);
      }

      assertThat(fake.requests(FakeEndpoint.SEARCH_USERS)).isEmpty();
      assertThat(fake.requests(FakeEndpoint.COUNT_USERS)).hasSize(1);
      assertThat(fake.requests(FakeEndpoint.EXPORT_USERS)).hasSize(1);
      assertThat(fake.requests(FakeEndpoint.UPDATE_MANY_USERS)).hasSize(1);
      ZendeskAssertions.assertThat(fake).user("member480@example.com").hasFieldsOf(member(480));
    }
  }

  /**
   * The members as a backfill that stops after its first 100 until {@code resume} opens, and
   * opens {@code read} (when given) once all are read.
   */
  private static Collection<LoyaltyMember> arriving(List<LoyaltyMember> members,
      CountDownLatch resume, CountDownLatch read) {
    return new AbstractCollection<>() {
      @Override
      public Iterator<LoyaltyMember> iterator() {
        Iterator<LoyaltyMember> all = members.iterator();
        return new Iterator<>() {
          private int given;

          @Override
          public boolean hasNext() {
            if (!all.hasNext() && read != null) {
              read.countDown();
            }
            return all.hasNext();
          }

          @Override
          public LoyaltyMember next() {
            if (given++ == 100) {
              await(resume);
            }
            return all.next();
          }
        };
      }

      @Override
      public int size() {
        return members.size();
      }
    };
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void membersTheExportHasReachedAreWrittenInFullBatchesWhileTheRestIsRead() throws Exception {
    ManualClock time = new ManualClock();
    try (FakeZendesk fake = bulkImportOff(time, 700, 5_000)) {
      List<LoyaltyMember> members = new ArrayList<>();
      for (int n = 4_999; n >= 0; n -= 5) {
        members.add(member(n));
      }

      SyncSummary summary;
      try (ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
        summary = sync.syncAll(members).get(60, TimeUnit.SECONDS);
      }

      assertThat(summary.updated()).isEqualTo(1_000);
      List<FakeEndpoint> calls = fake.requests().stream().map(RecordedRequest::endpoint)
          .filter(e -> e == FakeEndpoint.EXPORT_USERS || e == FakeEndpoint.UPDATE_MANY_USERS)
          .toList();
      assertThat(calls.indexOf(FakeEndpoint.UPDATE_MANY_USERS))
          .as("the first write, in %s", calls)
          .isLessThan(calls.lastIndexOf(FakeEndpoint.EXPORT_USERS));
      assertThat(fake.requests(FakeEndpoint.EXPORT_USERS)).hasSize(5);
      assertThat(fake.requests(FakeEndpoint.UPDATE_MANY_USERS)).hasSize(10)
          .allSatisfy(write -> assertThat(Http.JSON.readTree(write.body()).path("users"))
              .hasSize(100));
      assertThat(fake.requests(FakeEndpoint.SEARCH_USERS)).isEmpty();
    }
  }

  @Test
  void theExportPassEndsWhereUsersItWroteComeRoundNotAtTheEndOfTheStream() throws Exception {
    ManualClock time = new ManualClock();
    try (FakeZendesk fake = bulkImportOff(time, 700, 5_000)) {
      List<LoyaltyMember> members = new ArrayList<>();
      for (int n = 0; n < 5_000; n += 2) {
        members.add(member(n));
      }
      for (int n = 0; n < 3; n++) {
        members.add(member(10_000 + n));
      }

      SyncSummary summary;
      try (ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
        summary = sync.syncAll(members).get(60, TimeUnit.SECONDS);
      }

      assertThat(summary.updated()).isEqualTo(2_500);
      assertThat(summary.created()).isEqualTo(3);
      assertThat(fake.requests(FakeEndpoint.EXPORT_USERS)).as("5 pages, then one that brings"
          + " back users written since the pass began").hasSize(6);
      ZendeskAssertions.assertThat(fake).user("member10002@example.com").hasFieldsOf(
          member(10_002));
    }
  }

  @Test
  void aPassThatServedItsBackfillIsNotPickedUpAgainForAMemberArrivingLater() throws Exception {
    ManualClock time = new ManualClock();
    try (FakeZendesk fake = bulkImportOff(time, 700, 5_000)) {
      List<LoyaltyMember> backfill = new ArrayList<>();
      for (int n = 0; n < 1_000; n += 2) {
        backfill.add(member(n));
      }

      try (ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
        assertThat(sync.syncAll(backfill).get(60, TimeUnit.SECONDS).updated()).isEqualTo(500);
        int pagesForTheBackfill = fake.requests(FakeEndpoint.EXPORT_USERS).size();
        time.advance(Duration.ofDays(1));
        CompletableFuture<SyncResult> later =
            sync.onPointsChanged(member(4_999), SyncTrigger.POINTS_AWARDED);
        sync.flush().get(60, TimeUnit.SECONDS);

        assertThat(later.get().outcome()).isEqualTo(SyncResult.Outcome.UPDATED);
        assertThat(fake.requests(FakeEndpoint.EXPORT_USERS)).hasSize(pagesForTheBackfill);
        assertThat(fake.requests(FakeEndpoint.SEARCH_USERS)).hasSize(1);
      }
    }
  }

  @Test
  void aNewerEventForAMemberWaitingOnTheExportAnswersBothCallersWithOneWrite()
      throws Exception {
    ManualClock time = new ManualClock();
    try (FakeZendesk fake = bulkImportOff(time, 700, 3_000)) {
      LoyaltyMember newer = member(2_999).toBuilder().availablePoints(BigDecimal.valueOf(77))
          .lastModifiedDate(T0.plusSeconds(1)).build();
      AtomicReference<ZendeskLoyaltySync> running = new AtomicReference<>();
      List<CompletableFuture<SyncResult>> newerFuture = new CopyOnWriteArrayList<>();
      SyncListener sendsNewerDuringTheFirstPage = new SyncListener() {
        @Override
        public void onRequest(ZendeskOperation operation, int status) {
          if (operation == ZendeskOperation.EXPORT_USERS && newerFuture.isEmpty()) {
            newerFuture.add(running.get().onPointsChanged(newer, SyncTrigger.POINTS_AWARDED));
          }
        }
      };

      CompletableFuture<SyncResult> older;
      try (ZendeskLoyaltySync sync = fake.syncBuilder().listener(sendsNewerDuringTheFirstPage)
          .build()) {
        running.set(sync);
        older = sync.onPointsChanged(member(2_999), SyncTrigger.POINTS_AWARDED);
        for (int n = 0; n < 99; n++) {
          sync.onPointsChanged(member(n * 10), SyncTrigger.POINTS_AWARDED);
        }
        sync.flush().get(60, TimeUnit.SECONDS);
      }

      assertThat(newerFuture).hasSize(1);
      assertThat(older.get().outcome()).isEqualTo(SyncResult.Outcome.UPDATED);
      assertThat(newerFuture.get(0).get().outcome()).isEqualTo(SyncResult.Outcome.UPDATED);
      ZendeskAssertions.assertThat(fake).user("member2999@example.com").hasFieldsOf(newer);
      long userId = fake.user("member2999@example.com").orElseThrow().id();
      int writesOfTheMember = 0;
      for (RecordedRequest write : fake.requests(FakeEndpoint.UPDATE_MANY_USERS)) {
        for (JsonNode user : Http.JSON.readTree(write.body()).path("users")) {
          writesOfTheMember += user.path("id").asLong() == userId ? 1 : 0;
        }
      }
      writesOfTheMember += (int) fake.requests(FakeEndpoint.UPDATE_USER).stream()
          .filter(write -> write.path().contains("/users/" + userId)).count();
      assertThat(writesOfTheMember).isEqualTo(1);
    }
  }

  @Test
  void exportCallsOfAnotherClientAreReadFromZendesksHeaderNotFoundBy429s() throws Exception {
    ManualClock time = new ManualClock();
    try (FakeZendesk fake = bulkImportOff(time, 200, 3_000)) {
      Http warehouse = new Http(fake);
      for (int call = 0; call < 9; call++) {
        warehouse.send("GET", "/api/v2/incremental/users/cursor?start_time=0", null);
      }
      List<LoyaltyMember> members = new ArrayList<>();
      for (int n = 0; n < 3_000; n += 6) {
        members.add(member(n));
      }
      List<ZendeskOperation> rateLimited = new CopyOnWriteArrayList<>();
      SyncListener listener = new SyncListener() {
        @Override
        public void onRateLimited(ZendeskOperation operation, Duration wait) {
          rateLimited.add(operation);
        }
      };

      SyncSummary summary;
      try (ZendeskLoyaltySync sync = fake.syncBuilder().listener(listener).build()) {
        summary = sync.syncAll(members).get(60, TimeUnit.SECONDS);
      }

      assertThat(summary.updated()).isEqualTo(500);
      assertThat(rateLimited).isEmpty();
      assertThat(fake.requests(FakeEndpoint.EXPORT_USERS)).hasSize(9 + 3);
      assertThat(time.slept()).isGreaterThanOrEqualTo(Duration.ofSeconds(60));
    }
  }

  @Test
  void aFewUnknownMembersAreSearchedNotExported() throws Exception {
    ManualClock time = new ManualClock();
    try (FakeZendesk fake = FakeZendesk.builder().clock(time).bulkImport(false).start()) {
      fake.provision(FieldSchema.standard());
      for (int n = 0; n < 5; n++) {
        fake.addUser("User " + n, "member" + n + "@example.com", null);
      }

      try (ZendeskLoyaltySync sync = fake.syncBuilder().missingUsers(MissingUserPolicy.SKIP)
          .build()) {
        for (int n = 0; n < 5; n++) {
          sync.onPointsChanged(member(n), SyncTrigger.POINTS_AWARDED);
        }
        sync.flush().get(20, TimeUnit.SECONDS);
      }

      assertThat(fake.requests(FakeEndpoint.EXPORT_USERS)).isEmpty();
      assertThat(fake.requests(FakeEndpoint.SEARCH_USERS)).hasSize(5);
    }
  }

  @Test
  void underExternalIdUsersAreUpdatedByExternalIdAndMissingOnesCreatedWithTheirEmail()
      throws Exception {
    ManualClock time = new ManualClock();
    try (FakeZendesk fake = FakeZendesk.builder().clock(time).bulkImport(false).start()) {
      fake.provision(FieldSchema.standard());
      fake.addUser("Old", "old@example.com", "M-1");

      CompletableFuture<SyncResult> existing;
      CompletableFuture<SyncResult> created;
      try (ZendeskLoyaltySync sync = fake.syncBuilder().identity(IdentityPolicy.EXTERNAL_ID)
          .build()) {
        existing = sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED);
        created = sync.onPointsChanged(member(2), SyncTrigger.POINTS_AWARDED);
        sync.flush().get(20, TimeUnit.SECONDS);
      }

      assertThat(existing.join().outcome()).isEqualTo(SyncResult.Outcome.UPDATED);
      assertThat(created.join().outcome()).isEqualTo(SyncResult.Outcome.CREATED);
      assertThat(fake.requests(FakeEndpoint.SEARCH_USERS)).isEmpty();
      ZendeskAssertions.assertThat(fake).user("old@example.com").hasExternalId("M-1")
          .hasFieldsOf(member(1)).hasNoSecondaryEmails();
      ZendeskAssertions.assertThat(fake).user("member2@example.com").hasExternalId("M-2")
          .hasFieldsOf(member(2));
      assertThat(time.slept()).isLessThan(Duration.ofMinutes(1));
    }
  }
}
