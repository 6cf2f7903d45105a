package io.github.zendeskloyalty.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.zendeskloyalty.client.TestMembers.T0;
import static io.github.zendeskloyalty.client.TestMembers.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A snapshot is written only when it is newer than every snapshot Zendesk confirmed or may have
 * applied; a failure never lowers that mark, and no wait outlives the retry deadline.
 */
class NewestSnapshotWinsTest extends WireTestBase {

  /** How the write of the newer snapshot goes wrong. */
  enum Fault { SERVER_ERROR, TIMEOUT, BULK_JOB_TIMEOUT }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void afterTheNewestWriteFailsALateOlderSnapshotIsIgnoredNotWritten(Fault fault)
      throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update").inScenario("v")
        .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("failing")
        .willReturn(jsonAnswer(200, "{'user':{'id':5}}")));
    switch (fault) {
      case SERVER_ERROR -> zendesk.stubFor(post("/api/v2/users/create_or_update")
          .inScenario("v").whenScenarioStateIs("failing")
          .willReturn(aResponse().withStatus(503).withBody("<html>down</html>")));
      case TIMEOUT -> zendesk.stubFor(post("/api/v2/users/create_or_update")
          .inScenario("v").whenScenarioStateIs("failing")
          .willReturn(jsonAnswer(200, "{'user':{'id':5}}").withFixedDelay(2_000)));
      case BULK_JOB_TIMEOUT -> {
        zendesk.stubFor(post("/api/v2/users/create_or_update_many")
            .willReturn(jsonAnswer(200, "{'job_status':{'id':'stuck','status':'queued'}}")));
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/job_statuses/show_many")).willReturn(
            jsonAnswer(200, "{'job_statuses':[{'id':'stuck','status':'queued'}]}")));
      }
    }
    RecordingListener listener = new RecordingListener();
    sync = builder().retryPolicy(RetryPolicy.none()).requestTimeout(Duration.ofMillis(300))
        .jobPollInterval(Duration.ofSeconds(10)).jobTimeout(Duration.ofMinutes(1))
        .listener(listener).build();

    CompletableFuture<SyncResult> v5 =
        sync.onPointsChanged(member(1, 500, T0.plusSeconds(5)), SyncTrigger.POINTS_AWARDED);
    sync.flush().get(10, TimeUnit.SECONDS);
    assertThat(v5.join().outcome()).isEqualTo(SyncResult.Outcome.UPDATED);
    time.advance(Duration.ofSeconds(2));

    CompletableFuture<SyncResult> v6 =
        sync.onPointsChanged(member(1, 600, T0.plusSeconds(6)), SyncTrigger.POINTS_AWARDED);
    if (fault == Fault.BULK_JOB_TIMEOUT) {
      sync.onPointsChanged(member(2), SyncTrigger.POINTS_AWARDED);
    }
    sync.flush().get(10, TimeUnit.SECONDS);
    assertThatThrownBy(v6::join).hasCauseInstanceOf(ZendeskException.class);
    int callsBefore = zendesk.getAllServeEvents().size();

    CompletableFuture<SyncResult> v4 =
        sync.onPointsChanged(member(1, 400, T0.plusSeconds(4)), SyncTrigger.POINTS_DEDUCTED);
    sync.flush().get(10, TimeUnit.SECONDS);

    assertThat(v4).isCompletedWithValue(new SyncResult("M-1", SyncResult.Outcome.IGNORED_STALE,
        null, SyncTrigger.POINTS_DEDUCTED));
    assertThat(zendesk.getAllServeEvents()).hasSize(callsBefore);
    assertThat(listener.failed).containsOnlyOnce("M-1");
  }

  @Test
  void theSameSnapshotMayBeSentAgainAfterAFailureAndANewerOneAlways() throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update").inScenario("v")
        .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("up")
        .willReturn(aResponse().withStatus(503)));
    zendesk.stubFor(post("/api/v2/users/create_or_update").inScenario("v")
        .whenScenarioStateIs("up").willReturn(jsonAnswer(200, "{'user':{'id':5}}")));
    sync = builder().retryPolicy(RetryPolicy.none()).build();

    CompletableFuture<SyncResult> first =
        sync.onPointsChanged(member(1, 600, T0.plusSeconds(6)), SyncTrigger.POINTS_AWARDED);
    sync.flush().get(10, TimeUnit.SECONDS);
    time.advance(Duration.ofSeconds(2));
    CompletableFuture<SyncResult> again =
        sync.onPointsChanged(member(1, 600, T0.plusSeconds(6)), SyncTrigger.POINTS_AWARDED);
    sync.flush().get(10, TimeUnit.SECONDS);

    assertThat(first).isCompletedExceptionally();
    assertThat(again.join().outcome()).isEqualTo(SyncResult.Outcome.UPDATED);
  }

  @Test
  void aRetryAfterBeyondTheDeadlineFailsAtOnceAndHoldsNobodyElse() throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update")
        .withRequestBody(containing("member1@example.com"))
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "600")));
    zendesk.stubFor(post("/api/v2/users/create_or_update")
        .withRequestBody(containing("member2@example.com"))
        .willReturn(jsonAnswer(200, "{'user':{'id':2}}")));
    sync = builder().retryPolicy(RetryPolicy.builder().deadline(Duration.ofSeconds(5)).build())
        .build();

    CompletableFuture<SyncResult> first = send(1);
    assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOf(ZendeskRateLimitException.class)
        .hasMessageContaining("retry deadline of PT5S");
    time.advance(Duration.ofSeconds(2));
    SyncResult second = send(2).get(10, TimeUnit.SECONDS);

    assertThat(second.outcome()).isEqualTo(SyncResult.Outcome.UPDATED);
    assertThat(time.slept()).isLessThan(Duration.ofSeconds(5));
    zendesk.verify(2, postRequestedFor(urlPathEqualTo("/api/v2/users/create_or_update")));
  }

  @Test
  void waitingForARateLimitDoesNotUseUpAttempts() throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update").inScenario("limited")
        .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("2")
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")));
    zendesk.stubFor(post("/api/v2/users/create_or_update").inScenario("limited")
        .whenScenarioStateIs("2").willSetStateTo("3")
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")));
    zendesk.stubFor(post("/api/v2/users/create_or_update").inScenario("limited")
        .whenScenarioStateIs("3").willReturn(jsonAnswer(200, "{'user':{'id':2}}")));
    sync = builder().retryPolicy(RetryPolicy.builder().maxAttempts(1).build()).build();

    SyncResult result = send(1).get(10, TimeUnit.SECONDS);

    assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.UPDATED);
    assertThat(time.slept()).isGreaterThanOrEqualTo(Duration.ofSeconds(6));
  }
}
