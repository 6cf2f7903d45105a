package io.github.zendeskloyalty.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.zendeskloyalty.client.TestMembers.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Nothing a listener throws stops the SDK; if the dispatcher ever stops, nothing hangs. */
class ListenerAndDispatcherSurvivalTest extends WireTestBase {

  /** Throws from every callback, after recording whether the caller's future was done. */
  private static final class ThrowingListener implements SyncListener {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final Supplier<Throwable> what;

    ThrowingListener(Supplier<Throwable> what) {
      this.what = what;
    }

    private void fail(String call) {
      calls.add(call);
      Throwable thrown = what.get();
      if (thrown instanceof Error error) {
        throw error;
      }
      throw (RuntimeException) thrown;
    }

    @Override
    public void onSynced(SyncResult result) {
      fail("onSynced");
    }

    @Override
    public void onFailed(String memberId, ZendeskException failure) {
      fail("onFailed");
    }

    @Override
    public void onRetry(ZendeskOperation operation, int attempt, Duration delay,
        ZendeskException failure) {
      fail("onRetry");
    }

    @Override
    public void onRateLimited(ZendeskOperation operation, Duration wait) {
      fail("onRateLimited");
    }

    @Override
    public void onRequest(ZendeskOperation operation, int status) {
      fail("onRequest");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"AssertionError", "NoSuchMethodError", "IllegalStateException",
      "StackOverflowError"})
  void aListenerThrowingAnythingFromEveryCallbackStopsNothing(String kind) throws Exception {
    Supplier<Throwable> what = switch (kind) {
      case "AssertionError" -> () -> new AssertionError("a test listener's assertion");
      case "NoSuchMethodError" -> () -> new NoSuchMethodError("JsonNode.properties()");
      case "StackOverflowError" -> StackOverflowError::new;
      default -> () -> new IllegalStateException("metrics registry closed");
    };
    zendesk.stubFor(post("/api/v2/users/create_or_update_many").inScenario("limited")
        .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("open")
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")));
    zendesk.stubFor(post("/api/v2/users/create_or_update_many").inScenario("limited")
        .whenScenarioStateIs("open")
        .willReturn(jsonAnswer(200, "{'job_status':{'id':'j1','status':'queued'}}")));
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/job_statuses/show_many")).inScenario("poll")
        .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("done")
        .willReturn(aResponse().withStatus(503)));
    stubJobInScenario();
    ThrowingListener listener = new ThrowingListener(what);
    sync = builder().listener(listener).build();

    List<CompletableFuture<SyncResult>> first = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      first.add(sync.onPointsChanged(member(n), SyncTrigger.POINTS_AWARDED));
    }
    sync.flush().get(10, TimeUnit.SECONDS);
    time.advance(Duration.ofSeconds(2));
    CompletableFuture<SyncResult> later = send(1);

    assertThat(first).allSatisfy(future -> assertThat(future).isCompleted());
    assertThat(first.get(2).join().outcome()).isEqualTo(SyncResult.Outcome.UPDATED);
    assertThat(later.get(10, TimeUnit.SECONDS)).isNotNull();
    assertThat(listener.calls).contains("onRequest", "onRetry", "onRateLimited", "onSynced");
  }

  private static void stubJobInScenario() {
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/job_statuses/show_many")).inScenario("poll")
        .whenScenarioStateIs("done").willReturn(jsonAnswer(200, "{'job_statuses':[{'id':'j1',"
            + "'status':'completed','results':[{'index':0,'id':1,'status':'Updated'},"
            + "{'index':1,'id':2,'status':'Updated'},{'index':2,'id':3,'status':'Updated'}]}]}")));
    zendesk.stubFor(post("/api/v2/users/create_or_update")
        .willReturn(jsonAnswer(200, "{'user':{'id':1}}")));
  }

  @Test
  void futuresAreCompleteBeforeTheListenerHearsOfThem() throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update")
        .willReturn(jsonAnswer(200, "{'user':{'id':1}}")));
    List<CompletableFuture<SyncResult>> futures = new CopyOnWriteArrayList<>();
    List<Boolean> doneWhenHeard = new CopyOnWriteArrayList<>();
    sync = builder().listener(new SyncListener() {
      @Override
      public void onSynced(SyncResult result) {
        doneWhenHeard.add(futures.get(0).isDone());
      }
    }).build();

    futures.add(sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED));
    sync.flush().get(10, TimeUnit.SECONDS);

    assertThat(doneWhenHeard).containsExactly(true);
  }

  /** A clock that fails on the dispatcher thread once told to: the dispatcher cannot go on. */
  private static final class BreakingClock extends Clock {
    final AtomicBoolean broken = new AtomicBoolean();
    final FakeTime time;

    BreakingClock(FakeTime time) {
      this.time = time;
    }

    @Override
    public Instant instant() {
      if (broken.get() && Thread.currentThread().getName().equals("zendesk-loyalty-dispatcher")) {
        throw new OutOfMemoryError("simulated: the dispatcher cannot go on");
      }
      return time.instant();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @Test
  void whenTheDispatcherCannotGoOnEveryOpenFutureFailsAndNewEventsAreRefused() throws Exception {
    BreakingClock clock = new BreakingClock(time);
    RecordingListener listener = new RecordingListener();
    sync = builder().clock(clock).listener(listener).build();
    CompletableFuture<SyncResult> open =
        sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED);

    clock.broken.set(true);
    sync.flush();

    assertThatThrownBy(() -> open.get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOf(ZendeskException.class)
        .hasMessageContaining("stopped after an unexpected failure (java.lang.OutOfMemoryError)");
    assertThatThrownBy(() -> sync.onPointsChanged(member(2), SyncTrigger.POINTS_AWARDED))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("takes no more events");
    assertThat(sync.shutdown(Duration.ofSeconds(1)).unsentMemberIds()).containsExactly("M-1");
    assertThat(listener.failed).containsExactly("M-1");
  }
}
