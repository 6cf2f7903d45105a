package io.github.zendeskloyalty.testkit;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Bulk import off: ids resolved in pages of the export, or by external id without resolving. */
class BackfillEndToEndTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static LoyaltyMember member(int n) {
    return LoyaltyMember.builder().memberId("M-" + n).email("member" + n + "@example.com")
        .firstName("Member").availablePoints(BigDecimal.valueOf(n)).lastModifiedDate(T0).build();
  }

  @Test
  void aBackfillOfExistingMembersResolvesIdsFromTheExportNotASearchEach() throws Exception {
    ManualClock time = new ManualClock();
    try (FakeZendesk fake = FakeZendesk.builder().clock(time).bulkImport(false)
        .requestsPerMinute(200).start()) {
      fake.provision(FieldSchema.standard());
      for (int n = 0; n < 3_000; n++) {
        fake.addUser("User " + n, "member" + n + "@example.com", null);
      }
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
  void exportCallsOfAnotherClientAreReadFromZendesksHeaderNotFoundBy429s() throws Exception {
    ManualClock time = new ManualClock();
    try (FakeZendesk fake = FakeZendesk.builder().clock(time).bulkImport(false)
        .requestsPerMinute(200).start()) {
      fake.provision(FieldSchema.standard());
      for (int n = 0; n < 3_000; n++) {
        fake.addUser("User " + n, "member" + n + "@example.com", null);
      }
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
