package io.github.zendeskloyalty.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.core.SyncTrigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncListenersTest {

  @Test
  void everyListenerHearsEveryCallbackEvenAfterAnEarlierOneThrows() {
    List<String> heard = new ArrayList<>();
    SyncListener throwing = new SyncListener() {
      @Override
      public void onAccepted(SyncTrigger trigger) {
        throw new AssertionError("an Error from the first listener");
      }

      @Override
      public void onSynced(SyncResult result) {
        throw new IllegalStateException("and an exception");
      }
    };
    SyncListener recording = new SyncListener() {
      @Override
      public void onAccepted(SyncTrigger trigger) {
        heard.add("accepted " + trigger);
      }

      @Override
      public void onBulkJobEnded(Duration duration) {
        heard.add("job " + duration.toMillis());
      }

      @Override
      public void onSynced(SyncResult result) {
        heard.add("synced " + result.memberId());
      }

      @Override
      public void onFailed(String memberId, ZendeskException failure) {
        heard.add("failed " + memberId);
      }

      @Override
      public void onRetry(ZendeskOperation operation, int attempt, Duration delay,
          ZendeskException failure) {
        heard.add("retry " + attempt);
      }

      @Override
      public void onRateLimited(ZendeskOperation operation, Duration wait) {
        heard.add("limited " + wait.toSeconds());
      }

      @Override
      public void onRequest(ZendeskOperation operation, int status) {
        heard.add("request " + status);
      }
    };

    SyncListener both = SyncListeners.all(List.of(throwing, recording));
    both.onAccepted(SyncTrigger.POINTS_AWARDED);
    both.onBulkJobEnded(Duration.ofMillis(1500));
    both.onSynced(new SyncResult("M-1", SyncResult.Outcome.UPDATED, 7L, null));
    both.onFailed("M-2", new ZendeskException("no"));
    both.onRetry(ZendeskOperation.UPDATE_USER, 2, Duration.ZERO, new ZendeskException("again"));
    both.onRateLimited(ZendeskOperation.UPDATE_USER, Duration.ofSeconds(3));
    both.onRequest(ZendeskOperation.UPDATE_USER, 429);

    assertThat(heard).containsExactly("accepted POINTS_AWARDED", "job 1500", "synced M-1",
        "failed M-2", "retry 2", "limited 3", "request 429");
  }
}
