package io.github.zendeskloyalty.testkit;

import static io.github.zendeskloyalty.testkit.ZendeskAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zendeskloyalty.client.FieldReport;
import io.github.zendeskloyalty.client.IdentityPolicy;
import io.github.zendeskloyalty.client.MissingUserPolicy;
import io.github.zendeskloyalty.client.RateLimits;
import io.github.zendeskloyalty.client.SingleUserWriteSlots;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.SyncSummary;
import io.github.zendeskloyalty.client.ZendeskAuthenticationException;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.client.ZendeskValidationException;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyAttribute;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.MemberStatus;
import io.github.zendeskloyalty.core.SyncTrigger;
import io.github.zendeskloyalty.core.ZendeskFieldType;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SDK against the fake: what a downstream integration test would do. */
class ClientEndToEndTest {

  private static final ManualClock TIME = new ManualClock();

  @RegisterExtension
  static FakeZendeskExtension zendesk = new FakeZendeskExtension(FakeZendesk.builder().clock(TIME));

  private ZendeskLoyaltySync sync;

  @AfterEach
  void closeSync() {
    if (sync != null) {
      sync.close();
    }
  }

  private ZendeskLoyaltySync.Builder builder(FakeZendesk fake) {
    return ZendeskLoyaltySync.builder()
        .baseUri(fake.baseUri())
        .credentials(fake.credentials())
        .clock(TIME)
        .sleeper(TIME)
        .random(new Random(11))
        .maxDelay(Duration.ofHours(1))
        .jobPollInterval(Duration.ZERO)
        .closeTimeout(Duration.ofSeconds(20));
  }

  private static LoyaltyMember member(int n, long points, Instant modified) {
    return LoyaltyMember.builder()
        .memberId("M-" + n)
        .email("member" + n + "@example.com")
        .firstName("Member")
        .lastName(String.valueOf(n))
        .status(MemberStatus.ACTIVE)
        .availablePoints(BigDecimal.valueOf(points))
        .numberOfPurchases(n)
        .loyaltyTierName(points > 500 ? "Gold" : "Silver")
        .enrollmentDate(Instant.parse("2025-03-04T05:06:07Z"))
        .lastModifiedDate(modified)
        .referralUrl(URI.create("https://loyalty.example.com/r/" + n))
        .build();
  }

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void ensureCreatesTheTwentyOneFieldsAndVerifyThenReportsReady(FakeZendesk fake) {
    sync = builder(fake).build();

    FieldReport created = sync.fields().ensure();
    FieldReport verified = sync.fields().verify();

    assertThat(created.created()).hasSize(21);
    assertThat(fake.userFields()).hasSize(21);
    assertThat(fake.userFields().get(0).type()).isEqualTo(ZendeskFieldType.DECIMAL);
    assertThat(fake.userFields().get(0).title()).isEqualTo("Loyalty: available points");
    assertThat(verified.isReady()).isTrue();
    assertThat(verified.present()).hasSize(21);
    assertThat(sync.fields().ensure().created()).isEmpty();
  }

  @Test
  void aThousandEventsOverFiftyMembersAreOneBulkCall(FakeZendesk fake) throws Exception {
    fake.provision(FieldSchema.standard());
    sync = builder(fake).build();
    List<CompletableFuture<SyncResult>> futures = new ArrayList<>();
    for (int event = 0; event < 1000; event++) {
      int n = event % 50;
      futures.add(event % 3 == 0
          ? sync.onTierChanged(member(n, event, T0.plusSeconds(event)), SyncTrigger.TIER_UPGRADED)
          : sync.onPointsChanged(member(n, event, T0.plusSeconds(event)), SyncTrigger.POINTS_AWARDED));
    }

    sync.flush().get(20, TimeUnit.SECONDS);

    assertThat(fake.requests(FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS)).hasSize(1);
    assertThat(fake.requests()).extracting(RecordedRequest::endpoint).containsExactly(
        FakeEndpoint.OAUTH_TOKENS, FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS,
        FakeEndpoint.SHOW_MANY_JOB_STATUSES);
    assertThat(fake).hasUserCount(50);
    assertThat(fake).user("member7@example.com")
        .hasName("Member 7")
        .hasField("zrl_member_available_points", 957)
        .hasField("zrl_member_loyalty_tier_name", "Gold")
        .hasField("zrl_member_number_of_purchases", 7)
        .hasField("zrl_member_enrollment_date", "2025-03-04T05:06:07Z")
        .hasField("zrl_member_referral_url", "https://loyalty.example.com/r/7")
        .hasNullField("phone");
    assertThat(futures).allSatisfy(future -> assertThat(future.join().outcome())
        .isEqualTo(SyncResult.Outcome.CREATED));
  }

  @Test
  void aBurstRepeatingAFullBatchOfMembersIsOneWritePerMember(FakeZendesk fake) throws Exception {
    fake.provision(FieldSchema.standard());
    sync = builder(fake).build();
    List<CompletableFuture<SyncResult>> futures = new ArrayList<>();
    Random random = new Random(5);
    long[] newest = new long[100];
    for (int event = 1; event <= 1000; event++) { // every member is full long before the end
      int n = random.nextInt(100);
      newest[n] = event;
      futures.add(sync.onPointsChanged(member(n, event, T0.plusSeconds(event)),
          SyncTrigger.POINTS_AWARDED));
    }

    TIME.advance(Duration.ofMillis(10)); // the burst has paused: the full batch goes, no flush
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

    assertThat(newest).doesNotContain(0);
    assertThat(fake.requests(FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS)).hasSize(1);
    assertThat(fake).user("member7@example.com")
        .hasField("zrl_member_available_points", newest[7]);
  }

  @Test
  void aBurstThatNeverPausesStillGoesAtTheMaxDelay(FakeZendesk fake) throws Exception {
    fake.provision(FieldSchema.standard());
    sync = builder(fake).maxDelay(Duration.ofMillis(100)).build();
    List<CompletableFuture<SyncResult>> first = new ArrayList<>();
    for (int n = 0; n < 100; n++) {
      first.add(sync.onPointsChanged(member(n, n, T0), SyncTrigger.POINTS_AWARDED));
    }
    for (int step = 1; step <= 40; step++) { // a repeat every 5 ms, for 200 ms
      TIME.advance(Duration.ofMillis(5));
      sync.onPointsChanged(member(step % 100, 1000 + step, T0.plusMillis(step)),
          SyncTrigger.POINTS_AWARDED);
    }

    // the clock stands still now, so the burst never falls quiet: only the max delay sends
    assertThat(CompletableFuture.allOf(first.toArray(CompletableFuture[]::new)))
        .succeedsWithin(Duration.ofSeconds(20));
    assertThat(fake.requests(FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS)).isNotEmpty();
  }

  @Test
  void twoHundredFiftyMembersAreThreeBulkCalls(FakeZendesk fake) throws Exception {
    fake.provision(FieldSchema.standard());
    sync = builder(fake).build();
    List<LoyaltyMember> members = new ArrayList<>();
    for (int n = 0; n < 250; n++) {
      members.add(member(n, n, T0));
    }

    SyncSummary summary = sync.syncAll(members).get(20, TimeUnit.SECONDS);

    assertThat(summary.created()).isEqualTo(250);
    assertThat(summary.isSuccess()).isTrue();
    assertThat(fake.requests(FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS)).hasSize(3);
    assertThat(fake).hasUserCount(250);
  }

  @Test
  void withBulkImportOffItFallsBackOnceAndNeverAddsEmails(FakeZendesk fake) throws Exception {
    fake.provision(FieldSchema.standard());
    fake.bulkImport(false);
    fake.addUser("Existing One", "member1@example.com", null);
    fake.addUser("Existing Two", "member2@example.com", null);
    sync = builder(fake).build();

    List<CompletableFuture<SyncResult>> first = List.of(
        sync.onPointsChanged(member(1, 10, T0), SyncTrigger.POINTS_AWARDED),
        sync.onPointsChanged(member(2, 20, T0), SyncTrigger.POINTS_AWARDED),
        sync.onPointsChanged(member(3, 30, T0), SyncTrigger.POINTS_AWARDED),
        sync.onPointsChanged(member(4, 40, T0), SyncTrigger.POINTS_AWARDED));
    sync.flush().get(20, TimeUnit.SECONDS);

    assertThat(first).extracting(f -> f.join().outcome()).containsExactly(
        SyncResult.Outcome.UPDATED, SyncResult.Outcome.UPDATED, SyncResult.Outcome.CREATED,
        SyncResult.Outcome.CREATED);
    assertThat(fake.requests(FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS)).hasSize(1);
    assertThat(fake.requests(FakeEndpoint.CREATE_OR_UPDATE_USER)).hasSize(2);
    assertThat(fake.requests(FakeEndpoint.UPDATE_MANY_USERS)).hasSize(1);
    assertThat(fake).user("member1@example.com").hasName("Existing One")
        .hasField("zrl_member_available_points", 10).hasNoSecondaryEmails();
    assertThat(fake).user("member3@example.com").hasField("zrl_member_available_points", 30);

    for (int n = 1; n <= 4; n++) {
      sync.onPointsChanged(member(n, 100 + n, T0.plusSeconds(5)), SyncTrigger.POINTS_REDEEMED);
    }
    sync.flush().get(20, TimeUnit.SECONDS);

    assertThat(fake.requests(FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS)).hasSize(1);
    assertThat(fake.requests(FakeEndpoint.SEARCH_USERS)).hasSize(4);
    assertThat(fake.requests(FakeEndpoint.UPDATE_MANY_USERS)).hasSize(2);
    assertThat(fake).user("member4@example.com").hasField("zrl_member_available_points", 104);
    assertThat(fake.users()).allSatisfy(user -> assertThat(user.secondaryEmails()).isEmpty());
    assertThat(fake.requests()).noneMatch(request -> request.status() == 429);
  }

  @Test
  void instancesSharingWriteSlotsCreateUsersWithoutTrippingTheAccountsSecond(FakeZendesk fake)
      throws Exception {
    fake.provision(FieldSchema.standard());
    fake.bulkImport(false);
    SingleUserWriteSlots shared = SingleUserWriteSlots.inMemory();
    int member = 0;
    for (int instance = 0; instance < 2; instance++) {
      try (ZendeskLoyaltySync pod = builder(fake).singleUserWriteSlots(shared).build()) {
        for (int n = 0; n < 3; n++) {
          member++;
          pod.onPointsChanged(member(member, member, T0), SyncTrigger.POINTS_AWARDED);
          pod.flush().get(20, TimeUnit.SECONDS);
        }
      }
    }

    assertThat(fake.requests(FakeEndpoint.CREATE_OR_UPDATE_USER)).hasSize(6)
        .allSatisfy(request -> assertThat(request.status()).isEqualTo(201));
    assertThat(fake.users()).hasSize(6);
  }

  @Test
  void externalIdIdentityLinksUsersByMemberIdAndCanSkipMissingOnes(FakeZendesk fake)
      throws Exception {
    fake.provision(FieldSchema.standard());
    fake.addUser("Known", "known@example.com", "M-1");
    sync = builder(fake).identity(IdentityPolicy.EXTERNAL_ID)
        .missingUsers(MissingUserPolicy.SKIP).build();

    CompletableFuture<SyncResult> known = sync.onPointsChanged(
        member(1, 5, T0).toBuilder().email(null).build(), SyncTrigger.POINTS_AWARDED);
    CompletableFuture<SyncResult> unknown =
        sync.onPointsChanged(member(2, 5, T0), SyncTrigger.POINTS_AWARDED);
    sync.flush().get(20, TimeUnit.SECONDS);

    assertThat(known.join().outcome()).isEqualTo(SyncResult.Outcome.UPDATED);
    assertThat(unknown.join().outcome()).isEqualTo(SyncResult.Outcome.SKIPPED_NO_USER);
    assertThat(fake).hasUserCount(1).userWithExternalId("M-1")
        .hasField("zrl_member_available_points", 5).hasName("Known");
    assertThat(fake.requests(FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS)).isEmpty();
  }

  @Test
  void theAccountRateLimitIsWaitedOutOnTheClock(FakeZendesk fake) throws Exception {
    fake.provision(FieldSchema.standard());
    fake.requestsPerMinute(4);
    sync = builder(fake).maxBatchSize(10)
        .rateLimits(RateLimits.defaults().toBuilder().requestsPerMinute(100).build()).build();
    TIME.advance(Duration.ofSeconds(60 - TIME.instant().getEpochSecond() % 60));
    Duration sleptBefore = TIME.slept();
    List<LoyaltyMember> members = new ArrayList<>();
    for (int n = 0; n < 50; n++) {
      members.add(member(n, n, T0));
    }

    SyncSummary summary = sync.syncAll(members).get(20, TimeUnit.SECONDS);

    assertThat(summary.isSuccess()).as("%s", summary.failures()).isTrue();
    assertThat(fake).hasUserCount(50);
    assertThat(TIME.slept().minus(sleptBefore)).isGreaterThanOrEqualTo(Duration.ofMinutes(1));
    assertThat(fake.requests().stream().filter(r -> r.status() == 429).count())
        .as("the SDK slows down after Zendesk's headers rather than hammering")
        .isLessThanOrEqualTo(3);
  }

  @Test
  void aBurstForOneMemberNeverTripsThePerUserLimit(FakeZendesk fake) throws Exception {
    fake.provision(FieldSchema.standard());
    sync = builder(fake).build();

    for (int event = 0; event < 12; event++) {
      sync.onPointsChanged(member(1, event, T0.plusSeconds(event)), SyncTrigger.POINTS_AWARDED);
      sync.flush().get(20, TimeUnit.SECONDS);
    }

    assertThat(fake).user("member1@example.com").hasField("zrl_member_available_points", 11);
    assertThat(fake.requests()).noneMatch(request -> request.status() == 429);
    assertThat(fake.requests(FakeEndpoint.CREATE_OR_UPDATE_USER).size()).isLessThanOrEqualTo(5);
  }

  @Test
  void serverErrorsAndResetsAreRetriedUntilTheWriteLands(FakeZendesk fake) throws Exception {
    fake.provision(FieldSchema.standard());
    fake.failNext(2, FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS, FakeFault.status(503));
    fake.failNext(1, FakeEndpoint.SHOW_MANY_JOB_STATUSES, FakeFault.connectionReset());
    fake.failNext(1, FakeEndpoint.SHOW_MANY_JOB_STATUSES,
        FakeFault.tooManyRequestsWithoutRetryAfter());
    sync = builder(fake).build();

    CompletableFuture<SyncResult> one = sync.onPointsChanged(member(1, 1, T0), SyncTrigger.POINTS_AWARDED);
    CompletableFuture<SyncResult> two = sync.onPointsChanged(member(2, 2, T0), SyncTrigger.POINTS_AWARDED);
    sync.flush().get(20, TimeUnit.SECONDS);

    assertThat(one.join().outcome()).isEqualTo(SyncResult.Outcome.CREATED);
    assertThat(two.join().outcome()).isEqualTo(SyncResult.Outcome.CREATED);
    assertThat(fake.requests(FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS)).extracting(
        RecordedRequest::status).containsExactly(503, 503, 200);
    assertThat(fake).hasUserCount(2);
  }

  @Test
  void aValueOfTheWrongTypeFailsThatMemberOnly(FakeZendesk fake) throws Exception {
    fake.provision(FieldSchema.standard().toBuilder().exclude(LoyaltyAttribute.AVAILABLE_POINTS)
        .build());
    fake.addUserField("zrl_member_available_points", ZendeskFieldType.INTEGER, true);
    sync = builder(fake).build();

    assertThat(sync.fields().verify().mismatched()).singleElement()
        .satisfies(mismatch -> assertThat(mismatch.actualType()).isEqualTo("integer"));
    CompletableFuture<SyncResult> bad = sync.onPointsChanged(member(1, 1, T0).toBuilder()
        .availablePoints(new BigDecimal("1.5")).build(), SyncTrigger.POINTS_AWARDED);
    CompletableFuture<SyncResult> good = sync.onPointsChanged(member(2, 2, T0),
        SyncTrigger.POINTS_AWARDED);
    sync.flush().get(20, TimeUnit.SECONDS);

    assertThatThrownBy(bad::join).cause().isInstanceOf(ZendeskValidationException.class)
        .hasMessageContaining("member M-1 in bulk job");
    assertThat(good.join().outcome()).isEqualTo(SyncResult.Outcome.CREATED);
  }

  @Test
  void aDateSchemaFieldIsWrittenAsAZendeskDate(FakeZendesk fake) throws Exception {
    FieldSchema schema = FieldSchema.builder()
        .type(LoyaltyAttribute.ENROLLMENT_DATE, ZendeskFieldType.DATE).build();
    sync = builder(fake).schema(schema).build();
    sync.fields().ensure();

    sync.onPointsChanged(member(1, 1, T0), SyncTrigger.POINTS_AWARDED);
    sync.flush().get(20, TimeUnit.SECONDS);

    assertThat(fake).user("member1@example.com")
        .hasField("zrl_member_enrollment_date", "2025-03-04T00:00:00+00:00");
  }

  @Test
  void anAgentCredentialCannotCreateFields(FakeZendesk fake) {
    sync = builder(fake).credentials(fake.agentCredentials()).build();

    assertThatThrownBy(() -> sync.fields().ensure())
        .isInstanceOf(ZendeskAuthenticationException.class)
        .hasMessageContaining("HTTP 403");
  }

  @Test
  void oauthCredentialsWork(FakeZendesk fake) throws Exception {
    fake.provision(FieldSchema.standard());
    sync = builder(fake).credentials(fake.oauthCredentials()).build();

    assertThat(sync.onPointsChanged(member(1, 1, T0), SyncTrigger.POINTS_AWARDED)
        .thenCombine(sync.flush(), (result, done) -> result).get(20, TimeUnit.SECONDS).outcome())
        .isEqualTo(SyncResult.Outcome.CREATED);
    assertThat(fake.requests().get(0).header("Authorization")).startsWith("Bearer ");
  }

  @Test
  void everyCallCarriesTheSdkUserAgent(FakeZendesk fake) throws Exception {
    fake.provision(FieldSchema.standard());
    sync = builder(fake).build();

    sync.fields().verify();
    sync.onPointsChanged(member(1, 1, T0), SyncTrigger.POINTS_AWARDED);
    sync.flush().get(20, TimeUnit.SECONDS);

    assertThat(fake.requests()).isNotEmpty().allSatisfy(request ->
        assertThat(request.header("User-Agent")).startsWith("zendesk-loyalty-java/"));
  }

  @Test
  void aMemberIsNeverInTwoWritesAtOnce(FakeZendesk fake) throws Exception {
    fake.provision(FieldSchema.standard());
    fake.requestsPerMinute(1_000_000);
    fake.failNextJobs(1, FakeJobFault.STUCK);
    ManualClock sdkTime = new ManualClock();
    sync = builder(fake).clock(sdkTime).sleeper(sdkTime).jobPollInterval(Duration.ofSeconds(1))
        .jobTimeout(Duration.ofDays(365)).build();
    sync.onPointsChanged(member(1, 1, T0), SyncTrigger.POINTS_AWARDED);
    sync.onPointsChanged(member(2, 2, T0), SyncTrigger.POINTS_AWARDED);
    sync.flush();
    while (fake.requests(FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS).isEmpty()) {
      Thread.onSpinWait();
    }

    CompletableFuture<SyncResult> newer =
        sync.onPointsChanged(member(1, 111, T0.plusSeconds(1)), SyncTrigger.POINTS_AWARDED);
    CompletableFuture<SyncResult> other =
        sync.onPointsChanged(member(3, 3, T0), SyncTrigger.POINTS_AWARDED);
    sync.flush();
    assertThat(other.get(20, TimeUnit.SECONDS).outcome()).isEqualTo(SyncResult.Outcome.CREATED);

    assertThat(newer).as("M-1 waits while its first write is still a queued job").isNotDone();
    assertThat(fake.requests()).noneMatch(request -> request.body().contains("\"M-1\"")
        && request.body().contains("111"));
    TIME.advance(Duration.ofHours(1));

    assertThat(newer.get(20, TimeUnit.SECONDS).outcome()).isEqualTo(SyncResult.Outcome.CREATED);
    assertThat(fake).user("member1@example.com").hasField("zrl_member_available_points", 111);
  }

  @Test
  void concurrentOutOfOrderEventsLeaveEveryMemberAtItsNewestSnapshot(FakeZendesk fake)
      throws Exception {
    fake.provision(FieldSchema.standard());
    sync = builder(fake).maxDelay(Duration.ofMillis(5)).jobPollInterval(Duration.ofMillis(5))
        .build();
    int threads = 8;
    int members = 200;
    int eventsPerThread = 1_000;
    List<Thread> producers = new ArrayList<>();
    List<CompletableFuture<SyncResult>> futures =
        java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < threads; t++) {
      Random random = new Random(t);
      producers.add(new Thread(() -> {
        for (int e = 0; e < eventsPerThread; e++) {
          int n = random.nextInt(members);
          int version = random.nextInt(10_000);
          futures.add(sync.onPointsChanged(member(n, version, T0.plusSeconds(version)),
              SyncTrigger.POINTS_AWARDED));
        }
      }));
    }
    producers.forEach(Thread::start);
    for (Thread producer : producers) {
      producer.join();
    }
    sync.flush().get(60, TimeUnit.SECONDS);
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    long[] newest = new long[members];
    java.util.Arrays.fill(newest, -1);
    for (int t = 0; t < threads; t++) {
      Random random = new Random(t);
      for (int e = 0; e < eventsPerThread; e++) {
        int n = random.nextInt(members);
        newest[n] = Math.max(newest[n], random.nextInt(10_000));
      }
    }
    for (int n = 0; n < members; n++) {
      if (newest[n] >= 0) {
        assertThat(fake).user("member" + n + "@example.com")
            .hasField("zrl_member_available_points", newest[n]);
      }
    }
    assertThat(futures).hasSize(threads * eventsPerThread);
  }
}
