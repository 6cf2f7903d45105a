package io.github.zendeskloyalty.benchmarks.harness;

import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskOperation;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the calls one SDK instance makes, by operation, and the 429s. */
final class CallCounter implements SyncListener {
  final Map<ZendeskOperation, AtomicLong> calls = new EnumMap<>(ZendeskOperation.class);
  final AtomicLong throttled = new AtomicLong();
  final AtomicLong stale = new AtomicLong();
  final AtomicLong failed = new AtomicLong();

  CallCounter() {
    for (ZendeskOperation operation : ZendeskOperation.values()) {
      calls.put(operation, new AtomicLong());
    }
  }

  @Override
  public void onRequest(ZendeskOperation operation, int status) {
    calls.get(operation).incrementAndGet();
    if (status == 429) {
      throttled.incrementAndGet();
    }
  }

  @Override
  public void onSynced(SyncResult result) {
    if (result.outcome() == SyncResult.Outcome.IGNORED_STALE) {
      stale.incrementAndGet();
    }
  }

  @Override
  public void onFailed(String memberId, ZendeskException failure) {
    failed.incrementAndGet();
  }

  long calls(ZendeskOperation... operations) {
    long sum = 0;
    for (ZendeskOperation operation : operations) {
      sum += calls.get(operation).get();
    }
    return sum;
  }
}
