package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.ZendeskAuthenticationException;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskOperation;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls the user's {@link SyncListener} so that nothing it throws, not even an {@link Error},
 * reaches the SDK's threads. The first failure of each callback is logged at WARNING with its
 * stack trace, later ones at DEBUG, so a listener that always throws cannot flood the log. Not
 * part of the API.
 */
public final class SafeListener implements SyncListener {

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.client");

  private final SyncListener delegate;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  /** Guards {@code delegate}. */
  public SafeListener(SyncListener delegate) {
    this.delegate = delegate;
  }

  @Override
  public void onAccepted(SyncTrigger trigger) {
    guard("onAccepted", () -> delegate.onAccepted(trigger));
  }

  @Override
  public void onBulkJobEnded(Duration duration) {
    guard("onBulkJobEnded", () -> delegate.onBulkJobEnded(duration));
  }

  @Override
  public void onSynced(SyncResult result) {
    guard("onSynced", () -> delegate.onSynced(result));
  }

  @Override
  public void onFailed(String memberId, ZendeskException failure) {
    guard("onFailed", () -> delegate.onFailed(memberId, failure));
  }

  @Override
  public void onRetry(ZendeskOperation operation, int attempt, Duration delay,
      ZendeskException failure) {
    guard("onRetry", () -> delegate.onRetry(operation, attempt, delay, failure));
  }

  @Override
  public void onRateLimited(ZendeskOperation operation, Duration wait) {
    guard("onRateLimited", () -> delegate.onRateLimited(operation, wait));
  }

  @Override
  public void onRequest(ZendeskOperation operation, int status) {
    guard("onRequest", () -> delegate.onRequest(operation, status));
  }

  @Override
  public void onWriteSlotsUnavailable(Throwable failure) {
    guard("onWriteSlotsUnavailable", () -> delegate.onWriteSlotsUnavailable(failure));
  }

  @Override
  public void onExportPagesUnavailable(Throwable failure) {
    guard("onExportPagesUnavailable", () -> delegate.onExportPagesUnavailable(failure));
  }

  @Override
  public void onCredentialsNeedReconnect(ZendeskAuthenticationException failure) {
    guard("onCredentialsNeedReconnect", () -> delegate.onCredentialsNeedReconnect(failure));
  }

  @Override
  public void onTokenRenewed(java.time.Instant expiresAt) {
    guard("onTokenRenewed", () -> delegate.onTokenRenewed(expiresAt));
  }

  private void guard(String callback, Runnable call) {
    try {
      call.run();
    } catch (Throwable thrown) {
      boolean first = warned.add(callback);
      LOG.log(first ? Level.WARNING : Level.DEBUG, "SyncListener." + callback + " threw "
          + thrown.getClass().getName() + "; the SDK carries on"
          + (first ? " (later failures of this callback are logged at DEBUG)" : ""), thrown);
    }
  }
}
