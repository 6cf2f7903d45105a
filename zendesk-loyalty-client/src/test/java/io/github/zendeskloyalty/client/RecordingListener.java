package io.github.zendeskloyalty.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a SyncListener hears. */
final class RecordingListener implements SyncListener {

  final List<SyncResult> synced = new CopyOnWriteArrayList<>();
  final List<String> failed = new CopyOnWriteArrayList<>();
  final List<Duration> rateLimited = new CopyOnWriteArrayList<>();
  final List<ZendeskOperation> requests = new CopyOnWriteArrayList<>();
  final List<Duration> retryDelays = new CopyOnWriteArrayList<>();
  volatile int retries;

  @Override
  public void onSynced(SyncResult result) {
    synced.add(result);
  }

  @Override
  public void onFailed(String memberId, ZendeskException failure) {
    failed.add(memberId);
  }

  @Override
  public synchronized void onRetry(ZendeskOperation operation, int attempt, Duration delay,
      ZendeskException failure) {
    retries++;
    retryDelays.add(delay);
  }

  @Override
  public void onRateLimited(ZendeskOperation operation, Duration wait) {
    rateLimited.add(wait);
  }

  @Override
  public void onRequest(ZendeskOperation operation, int status) {
    requests.add(operation);
  }
}
