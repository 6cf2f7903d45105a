package io.github.zendeskloyalty.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.github.zendeskloyalty.client.TestMembers.T0;
import static io.github.zendeskloyalty.client.TestMembers.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.zendeskloyalty.core.LoyaltyEvent;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Coalescing, ordering, back-pressure and shutdown of the pending buffer. */
class EngineTest {

  @RegisterExtension
  static WireMockExtension zendesk =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static final ObjectMapper JSON = new ObjectMapper();
  private final FakeTime time = new FakeTime();
  private final RecordingListener listener = new RecordingListener();
  private ZendeskLoyaltySync sync;

  @BeforeEach
  void stubZendesk() {
    StringBuilder results = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      results.append(i == 0 ? "" : ",").append("{\"index\":").append(i)
          .append(",\"id\":").append(1000 + i).append(",\"status\":\"Updated\",\"success\":true}");
    }
    zendesk.stubFor(post("/api/v2/users/create_or_update_many").willReturn(aResponse()
        .withHeader("Content-Type", "application/json")
        .withBody("{\"job_status\":{\"id\":\"j1\",\"status\":\"queued\"}}")));
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/job_statuses/show_many")).willReturn(aResponse()
        .withHeader("Content-Type", "application/json")
        .withBody("{\"job_statuses\":[{\"id\":\"j1\",\"status\":\"completed\",\"results\":["
            + results + "]}]}")));
    zendesk.stubFor(post("/api/v2/users/create_or_update").willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody("{\"user\":{\"id\":77}}")));
  }

  private ZendeskLoyaltySync.Builder builder() {
    return ZendeskLoyaltySync.builder()
        .baseUri(URI.create(zendesk.baseUrl()))
        .credentials(ZendeskCredentials.oauth("oauth-token"))
        .clock(time)
        .sleeper(time)
        .random(new Random(3))
        .listener(listener)
        .maxDelay(Duration.ofHours(1))
        .jobPollInterval(Duration.ZERO)
        .closeTimeout(Duration.ofSeconds(10));
  }

  @AfterEach
  void closeSync() {
    if (sync != null) {
      sync.close();
    }
  }

  private List<JsonNode> bulkBodies() throws Exception {
    List<JsonNode> bodies = new ArrayList<>();
    for (var request : zendesk.findAll(postRequestedFor(
        urlPathEqualTo("/api/v2/users/create_or_update_many")))) {
      bodies.add(JSON.readTree(request.getBodyAsString()));
    }
    return bodies;
  }

  @Test
  void aThousandEventsOverFiftyMembersBecomeOneBulkCallWithTheNewestSnapshots() throws Exception {
    sync = builder().build();
    List<CompletableFuture<SyncResult>> futures = new ArrayList<>();
    for (int event = 0; event < 1000; event++) {
      int n = event % 50;
      SyncTrigger trigger = event % 2 == 0 ? SyncTrigger.POINTS_AWARDED : SyncTrigger.POINTS_REDEEMED;
      futures.add(sync.onPointsChanged(member(n, event, T0.plusSeconds(event)), trigger));
    }

    sync.flush().get(10, TimeUnit.SECONDS);

    List<JsonNode> bodies = bulkBodies();
    assertThat(bodies).hasSize(1);
    JsonNode users = bodies.get(0).path("users");
    assertThat(users).hasSize(50);
    Map<String, Long> points = new HashMap<>();
    users.forEach(user -> points.put(user.path("user_fields").path("zrl_member_member_id").asText(),
        user.path("user_fields").path("zrl_member_available_points").asLong()));
    assertThat(points).containsEntry("M-0", 950L).containsEntry("M-49", 999L);
    assertThat(futures).allSatisfy(future -> assertThat(future).isCompleted());
    assertThat(futures.get(0).join().outcome()).isEqualTo(SyncResult.Outcome.UPDATED);
    assertThat(listener.synced).hasSize(50);
    assertThat(listener.requests).containsExactly(ZendeskOperation.CREATE_OR_UPDATE_MANY_USERS,
        ZendeskOperation.SHOW_MANY_JOB_STATUSES);
  }

  @Test
  void moreMembersThanABatchAreSplitIntoBatchesOfAtMostTheLimit() throws Exception {
    sync = builder().maxBatchSize(40).build();
    for (int n = 0; n < 100; n++) {
      sync.onPointsChanged(member(n), SyncTrigger.POINTS_AWARDED);
    }

    sync.flush().get(10, TimeUnit.SECONDS);

    assertThat(bulkBodies()).extracting(body -> body.path("users").size())
        .containsExactly(40, 40, 20);
  }

  @Test
  void anOlderSnapshotNeverReplacesANewerPendingOne() throws Exception {
    sync = builder().build();
    CompletableFuture<SyncResult> newer =
        sync.onPointsChanged(member(1, 500, T0.plusSeconds(10)), SyncTrigger.POINTS_AWARDED);
    CompletableFuture<SyncResult> older =
        sync.onPointsChanged(member(1, 100, T0), SyncTrigger.POINTS_DEDUCTED);
    sync.onPointsChanged(member(2), SyncTrigger.POINTS_AWARDED);

    assertThat(older).isCompletedWithValue(new SyncResult("M-1",
        SyncResult.Outcome.IGNORED_STALE, null, SyncTrigger.POINTS_DEDUCTED));
    sync.flush().get(10, TimeUnit.SECONDS);

    JsonNode first = bulkBodies().get(0).path("users").get(0);
    assertThat(first.path("user_fields").path("zrl_member_available_points").asLong())
        .isEqualTo(500);
    assertThat(newer.join().outcome()).isEqualTo(SyncResult.Outcome.UPDATED);
  }

  @Test
  void anOlderSnapshotNeverOverwritesANewerOneAlreadySent() throws Exception {
    sync = builder().build();
    sync.onPointsChanged(member(1, 500, T0.plusSeconds(10)), SyncTrigger.POINTS_AWARDED);
    sync.flush().get(10, TimeUnit.SECONDS);
    zendesk.resetRequests();

    CompletableFuture<SyncResult> late = sync.submit(
        new LoyaltyEvent(SyncTrigger.POINTS_EXPIRED, member(1, 100, T0), time.instant()));
    sync.flush().get(10, TimeUnit.SECONDS);

    assertThat(late).isCompletedWithValue(new SyncResult("M-1",
        SyncResult.Outcome.IGNORED_STALE, null, SyncTrigger.POINTS_EXPIRED));
    assertThat(zendesk.getAllServeEvents()).isEmpty();
  }

  @Test
  void snapshotsWithoutLastModifiedDateAreOrderedByArrival() throws Exception {
    sync = builder().build();
    var base = member(1).toBuilder().lastModifiedDate(null);
    sync.onPointsChanged(base.availablePoints(java.math.BigDecimal.ONE).build(),
        SyncTrigger.POINTS_AWARDED);
    time.advance(Duration.ofSeconds(1));
    sync.onPointsChanged(base.availablePoints(java.math.BigDecimal.TEN).build(),
        SyncTrigger.POINTS_AWARDED);
    sync.onPointsChanged(member(2), SyncTrigger.POINTS_AWARDED);

    sync.flush().get(10, TimeUnit.SECONDS);

    assertThat(bulkBodies().get(0).path("users").get(0).path("user_fields")
        .path("zrl_member_available_points").asLong()).isEqualTo(10);
  }

  @Test
  void aFullBufferRejectsNewMembersUnderTheFailPolicyButStillCoalesces() throws Exception {
    sync = builder().maxPendingMembers(2).backpressure(BackpressurePolicy.FAIL).build();
    sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED);
    sync.onPointsChanged(member(2), SyncTrigger.POINTS_AWARDED);

    CompletableFuture<SyncResult> rejected = sync.onPointsChanged(member(3), SyncTrigger.POINTS_AWARDED);
    CompletableFuture<SyncResult> coalesced = sync.onPointsChanged(
        member(2, 999, T0.plusSeconds(1)), SyncTrigger.POINTS_AWARDED);

    assertThatThrownBy(rejected::join).hasCauseInstanceOf(RejectedExecutionException.class)
        .cause().hasMessageContaining("pending buffer is full (2 members")
        .hasMessageContaining("member M-3 was not queued");
    sync.flush().get(10, TimeUnit.SECONDS);
    assertThat(coalesced.join().outcome()).isEqualTo(SyncResult.Outcome.UPDATED);
    assertThat(bulkBodies().get(0).path("users")).hasSize(2);
  }

  @Test
  void eventsWaitingForAnOutcomeAreBoundedTooTenPerMemberOfTheBuffer() throws Exception {
    sync = builder().maxPendingMembers(2).backpressure(BackpressurePolicy.FAIL).build();
    List<CompletableFuture<SyncResult>> accepted = new ArrayList<>();
    for (int version = 1; version <= 20; version++) {
      accepted.add(sync.onPointsChanged(member(1, version, T0.plusSeconds(version)),
          SyncTrigger.POINTS_AWARDED));
    }

    CompletableFuture<SyncResult> rejected = sync.onPointsChanged(
        member(1, 21, T0.plusSeconds(21)), SyncTrigger.POINTS_AWARDED);

    assertThatThrownBy(rejected::join).hasCauseInstanceOf(RejectedExecutionException.class)
        .cause().hasMessageContaining("pending buffer is full (20 events waiting for Zendesk,"
            + " 10 per member of maxPendingMembers)").hasMessageContaining("member M-1");
    sync.flush().get(10, TimeUnit.SECONDS);
    assertThat(accepted).allSatisfy(future ->
        assertThat(future.join().outcome()).isEqualTo(SyncResult.Outcome.UPDATED));
    assertThat(sync.onPointsChanged(member(1, 22, T0.plusSeconds(22)),
        SyncTrigger.POINTS_AWARDED)).isNotCompletedExceptionally();
  }

  @Test
  void aFullBufferBlocksTheCallerUntilThereIsRoomUnderTheBlockPolicy() throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update").inScenario("slow")
        .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("ok")
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));
    zendesk.stubFor(post("/api/v2/users/create_or_update").inScenario("slow")
        .whenScenarioStateIs("ok").willReturn(aResponse().withStatus(200)
            .withHeader("Content-Type", "application/json").withBody("{\"user\":{\"id\":77}}")));
    CountDownLatch gate = new CountDownLatch(1);
    sync = builder().maxPendingMembers(1).sleeper(duration -> {
      gate.await();
      time.sleep(duration);
    }).build();
    CompletableFuture<SyncResult> first = sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED);
    sync.flush();
    while (sync.backlog() != 1 || !zendesk.getAllServeEvents().iterator().hasNext()) {
      Thread.onSpinWait();
    }
    sync.onPointsChanged(member(2), SyncTrigger.POINTS_AWARDED);
    CompletableFuture<CompletableFuture<SyncResult>> third = new CompletableFuture<>();
    Thread caller = new Thread(() ->
        third.complete(sync.onPointsChanged(member(3), SyncTrigger.POINTS_AWARDED)));
    caller.start();
    awaitState(caller, Thread.State.WAITING);
    assertThat(third).isNotDone();

    gate.countDown();
    CompletableFuture<SyncResult> queued = third.get(10, TimeUnit.SECONDS);
    sync.flush().get(10, TimeUnit.SECONDS);

    assertThat(first.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(SyncResult.Outcome.UPDATED);
    assertThat(queued.get(10, TimeUnit.SECONDS).memberId()).isEqualTo("M-3");
  }

  @Test
  void closeWakesBlockedCallersWithAnError() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    zendesk.stubFor(post("/api/v2/users/create_or_update").willReturn(aResponse()
        .withStatus(503)));
    sync = builder().maxPendingMembers(1).sleeper(duration -> never.await()).build();
    sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED);
    sync.flush();
    while (sync.backlog() != 1 || !zendesk.getAllServeEvents().iterator().hasNext()) {
      Thread.onSpinWait();
    }
    sync.onPointsChanged(member(2), SyncTrigger.POINTS_AWARDED);
    CompletableFuture<Throwable> blocked = new CompletableFuture<>();
    Thread caller = new Thread(() -> {
      try {
        sync.onPointsChanged(member(3), SyncTrigger.POINTS_AWARDED);
        blocked.complete(null);
      } catch (RuntimeException e) {
        blocked.complete(e);
      }
    });
    caller.start();
    awaitState(caller, Thread.State.WAITING);

    ShutdownReport report = sync.shutdown(Duration.ofMillis(100));

    assertThat(blocked.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThat(report.unsentMemberIds()).containsExactlyInAnyOrder("M-1", "M-2");
  }

  private static void awaitState(Thread thread, Thread.State state) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (thread.getState() != state) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(thread.getName() + " never reached " + state);
      }
      Thread.onSpinWait();
    }
  }

  @Test
  void aNonFullBatchIsSentAfterTheMaxDelayWithoutAFlush() throws Exception {
    sync = builder().maxDelay(Duration.ofSeconds(20)).build();

    CompletableFuture<SyncResult> future =
        sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED);
    time.advance(Duration.ofSeconds(19));
    assertThat(sync.backlog()).isEqualTo(1);
    time.advance(Duration.ofSeconds(1));
    SyncResult result = future.get(10, TimeUnit.SECONDS);

    assertThat(result).isEqualTo(new SyncResult("M-1", SyncResult.Outcome.UPDATED, 77L,
        SyncTrigger.POINTS_AWARDED));
  }

  @Test
  void aFullBatchIsSentWithoutWaitingForTheMaxDelay() throws Exception {
    sync = builder().maxBatchSize(3).build();
    List<CompletableFuture<SyncResult>> futures = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      futures.add(sync.onPointsChanged(member(n), SyncTrigger.POINTS_AWARDED));
    }

    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

    assertThat(bulkBodies()).hasSize(1);
  }

  @Test
  void closeSendsWhatIsPendingAndReportsCleanly() throws Exception {
    sync = builder().build();
    CompletableFuture<SyncResult> one = sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED);
    CompletableFuture<SyncResult> two = sync.onPointsChanged(member(2), SyncTrigger.POINTS_AWARDED);

    ShutdownReport report = sync.shutdown(Duration.ofSeconds(10));

    assertThat(report.isClean()).isTrue();
    assertThat(one.join().outcome()).isEqualTo(SyncResult.Outcome.UPDATED);
    assertThat(two.join().outcome()).isEqualTo(SyncResult.Outcome.UPDATED);
    assertThat(sync.shutdown(Duration.ZERO)).isSameAs(report);
    assertThatThrownBy(() -> sync.onPointsChanged(member(3), SyncTrigger.POINTS_AWARDED))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void closeReportsWhatZendeskDidNotConfirmInTime() throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update_many").willReturn(aResponse()
        .withStatus(503)));
    CountDownLatch never = new CountDownLatch(1);
    sync = builder().sleeper(duration -> never.await()).build();
    CompletableFuture<SyncResult> one = sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED);
    CompletableFuture<SyncResult> two = sync.onPointsChanged(member(2), SyncTrigger.POINTS_AWARDED);
    sync.flush();

    ShutdownReport report = sync.shutdown(Duration.ofMillis(200));

    assertThat(report.isClean()).isFalse();
    assertThat(report.unsentMemberIds()).containsExactlyInAnyOrder("M-1", "M-2");
    assertThatThrownBy(one::join).cause().isInstanceOf(ZendeskException.class)
        .hasMessageContaining("member M-1 was not confirmed by Zendesk before"
            + " ZendeskLoyaltySync closed");
    assertThat(two).isCompletedExceptionally();
    assertThat(listener.failed).containsExactlyInAnyOrder("M-1", "M-2");
  }

  @Test
  void syncAllBackfillsAndSummarises() throws Exception {
    sync = builder().maxPendingMembers(30).backpressure(BackpressurePolicy.FAIL).build();
    List<io.github.zendeskloyalty.core.LoyaltyMember> members = new ArrayList<>();
    for (int n = 0; n < 120; n++) {
      members.add(member(n));
    }
    members.add(io.github.zendeskloyalty.core.LoyaltyMember.builder().memberId("NO-MAIL").build());
    members.add(null);

    SyncSummary summary = sync.syncAll(members).get(10, TimeUnit.SECONDS);

    assertThat(summary.submitted()).isEqualTo(122);
    assertThat(summary.updated()).isEqualTo(120);
    assertThat(summary.failures()).containsOnlyKeys("NO-MAIL", "<null member at position 121>");
    assertThat(summary.failures().get("NO-MAIL")).hasMessageContaining("has no email");
    assertThat(summary.isSuccess()).isFalse();
    assertThat(bulkBodies()).allSatisfy(body -> assertThat(body.path("users").size())
        .isLessThanOrEqualTo(100));
  }

  @Test
  void aYoungJobIsPolledSoonOnTheInjectedSleeperNotInRealTime() throws Exception {
    sync = builder().jobPollInterval(Duration.ofMinutes(5)).build();
    sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED);
    sync.onPointsChanged(member(2), SyncTrigger.POINTS_AWARDED);

    sync.flush().get(10, TimeUnit.SECONDS);

    assertThat(time.slept()).isEqualTo(Duration.ofMillis(ZendeskLoyaltySync.MIN_JOB_POLL_MILLIS));
    assertThat(listener.requests).containsExactly(ZendeskOperation.CREATE_OR_UPDATE_MANY_USERS,
        ZendeskOperation.SHOW_MANY_JOB_STATUSES);
  }

  @Test
  void theTriggerOfEachEventReachesItsResultAndTheWrittenOneTheListener() throws Exception {
    sync = builder().build();
    CompletableFuture<SyncResult> awarded =
        sync.onPointsChanged(member(1, 1, T0), SyncTrigger.POINTS_AWARDED);
    CompletableFuture<SyncResult> upgraded =
        sync.onTierChanged(member(1, 2, T0.plusSeconds(1)), SyncTrigger.TIER_UPGRADED);
    sync.onPointsChanged(member(2), SyncTrigger.POINTS_EXPIRED);

    sync.flush().get(10, TimeUnit.SECONDS);

    assertThat(awarded.join().trigger()).isEqualTo(SyncTrigger.POINTS_AWARDED);
    assertThat(upgraded.join().trigger()).isEqualTo(SyncTrigger.TIER_UPGRADED);
    assertThat(listener.synced).extracting(SyncResult::trigger)
        .containsExactlyInAnyOrder(SyncTrigger.TIER_UPGRADED, SyncTrigger.POINTS_EXPIRED);
  }
}
