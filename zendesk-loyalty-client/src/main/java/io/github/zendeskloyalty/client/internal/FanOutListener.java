package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.ZendeskAuthenticationException;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskOperation;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.time.Duration;
import java.util.List;

/** Tells each listener in turn; {@code SyncListeners.all} guards each one. Not part of the API. */
public final class FanOutListener implements SyncListener {

  private final List<SyncListener> listeners;

  /** Tells {@code listeners}, in order. */
  public FanOutListener(List<SyncListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void onAccepted(SyncTrigger trigger) {
    listeners.forEach(listener -> listener.onAccepted(trigger));
  }

  @Override
  public void onBulkJobEnded(Duration duration) {
    listeners.forEach(listener -> listener.onBulkJobEnded(duration));
  }

  @Override
  public void onSynced(SyncResult result) {
    listeners.forEach(listener -> listener.onSynced(result));
  }

  @Override
  public void onFailed(String memberId, ZendeskException failure) {
    listeners.forEach(listener -> listener.onFailed(memberId, failure));
  }

  @Override
  public void onRetry(ZendeskOperation operation, int attempt, Duration delay,
      ZendeskException failure) {
    listeners.forEach(listener -> listener.onRetry(operation, attempt, delay, failure));
  }

  @Override
  public void onRateLimited(ZendeskOperation operation, Duration wait) {
    listeners.forEach(listener -> listener.onRateLimited(operation, wait));
  }

  @Override
  public void onRequest(ZendeskOperation operation, int status) {
    listeners.forEach(listener -> listener.onRequest(operation, status));
  }

  @Override
  public void onWriteSlotsUnavailable(Throwable failure) {
    listeners.forEach(listener -> listener.onWriteSlotsUnavailable(failure));
  }

  @Override
  public void onExportPagesUnavailable(Throwable failure) {
    listeners.forEach(listener -> listener.onExportPagesUnavailable(failure));
  }

  @Override
  public void onCredentialsNeedReconnect(ZendeskAuthenticationException failure) {
    listeners.forEach(listener -> listener.onCredentialsNeedReconnect(failure));
  }

  @Override
  public void onTokenRenewed(java.time.Instant expiresAt) {
    listeners.forEach(listener -> listener.onTokenRenewed(expiresAt));
  }
}
