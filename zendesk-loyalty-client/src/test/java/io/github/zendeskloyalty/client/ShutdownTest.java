package io.github.zendeskloyalty.client;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.zendeskloyalty.client.TestMembers.T0;
import static io.github.zendeskloyalty.client.TestMembers.member;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** Shutdown reports each unsent member once, to every caller; syncAll never blocks its caller. */
class ShutdownTest extends WireTestBase {

  /** A job that never finishes, so its members are in flight when the SDK closes. */
  private static void stubStuckJob() {
    zendesk.stubFor(post("/api/v2/users/create_or_update_many")
        .willReturn(jsonAnswer(200, "{'job_status':{'id':'stuck','status':'queued'}}")));
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/job_statuses/show_many"))
        .willReturn(jsonAnswer(200, "{'job_statuses':[{'id':'stuck','status':'queued'}]}")));
  }

  private ZendeskLoyaltySync inFlightAndQueued(RecordingListener listener,
      List<CompletableFuture<SyncResult>> futures) throws Exception {
    stubStuckJob();
    ZendeskLoyaltySync sdk = builder().listener(listener).jobPollInterval(Duration.ofSeconds(10))
        .jobTimeout(Duration.ofHours(1)).build();
    futures.add(sdk.onPointsChanged(member(1, 1, T0), SyncTrigger.POINTS_AWARDED));
    futures.add(sdk.onPointsChanged(member(2, 1, T0), SyncTrigger.POINTS_AWARDED));
    sdk.flush();
    while (zendesk.getAllServeEvents().isEmpty()) {
      Thread.onSpinWait();
    }
    futures.add(sdk.onPointsChanged(member(1, 2, T0.plusSeconds(1)), SyncTrigger.POINTS_AWARDED));
    return sdk;
  }

  @Test
  void aMemberInFlightWithANewerUpdateQueuedIsReportedAndFailedOnce() throws Exception {
    RecordingListener listener = new RecordingListener();
    List<CompletableFuture<SyncResult>> futures = new ArrayList<>();
    sync = inFlightAndQueued(listener, futures);

    ShutdownReport report = sync.shutdown(Duration.ofMinutes(1));

    assertThat(report.unsentMemberIds()).containsExactly("M-1", "M-2");
    assertThat(report.isClean()).isFalse();
    assertThat(listener.failed).containsExactlyInAnyOrder("M-1", "M-2");
    assertThat(futures).allSatisfy(future -> assertThat(future).isCompletedExceptionally());
  }

  @Test
  void concurrentClosesAllGetTheSameCompleteReport() throws Exception {
    List<CompletableFuture<SyncResult>> futures = new ArrayList<>();
    sync = inFlightAndQueued(new RecordingListener(), futures);
    ExecutorService callers = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<ShutdownReport>> reports = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      reports.add(callers.submit(() -> {
        start.await();
        return sync.shutdown(Duration.ofMinutes(1));
      }));
    }
    start.countDown();

    List<ShutdownReport> answers = new ArrayList<>();
    for (Future<ShutdownReport> report : reports) {
      answers.add(report.get(10, TimeUnit.SECONDS));
    }
    callers.shutdown();

    assertThat(answers).allSatisfy(answer ->
        assertThat(answer.unsentMemberIds()).containsExactly("M-1", "M-2"));
    assertThat(sync.shutdown(Duration.ZERO)).isEqualTo(answers.get(0));
  }

  @Test
  void closeLogsOneWarningForAnyNumberOfUnsentMembers() throws Exception {
    stubStuckJob();
    try (LogCapture log = new LogCapture()) {
      sync = builder().jobPollInterval(Duration.ofSeconds(10)).closeTimeout(Duration.ofMinutes(1))
          .build();
      for (int n = 1; n <= 25; n++) {
        sync.onPointsChanged(member(n), SyncTrigger.POINTS_AWARDED);
      }

      sync.close();

      assertThat(log.at(Level.WARNING)).as("besides the API token's retirement notice")
          .filteredOn(line -> !line.contains("API tokens stop working")).hasSize(1).first()
          .asString().contains("closed with 25 member updates");
      assertThat(log.at(Level.FINE)).anySatisfy(line -> assertThat(line).contains("M-25"));
    }
  }

  @Test
  void syncAllReturnsAtOnceAndReadsTheMembersInTheBackground() throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update")
        .willReturn(jsonAnswer(201, "{'user':{'id':1}}")));
    sync = builder().build();
    CountDownLatch release = new CountDownLatch(1);
    Iterable<LoyaltyMember> slowSource = () -> new Iterator<>() {
      private boolean given;

      @Override
      public boolean hasNext() {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return !given;
      }

      @Override
      public LoyaltyMember next() {
        given = true;
        return member(1);
      }
    };

    CompletableFuture<SyncSummary> summary = sync.syncAll(slowSource);
    assertThat(summary).isNotDone();
    release.countDown();

    SyncSummary done = summary.get(10, TimeUnit.SECONDS);
    assertThat(done.submitted()).isEqualTo(1);
    assertThat(done.created()).isEqualTo(1);
  }
}
