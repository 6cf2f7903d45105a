package io.github.zendeskloyalty.spring.internal;

import io.github.zendeskloyalty.client.FieldReport;
import io.github.zendeskloyalty.client.ReconcileReport;
import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.ZendeskAuthenticationException;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskOperation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the health indicator reports, heard from the SDK: the last failure (and whether it was
 * Zendesk refusing the credentials), how long Zendesk asked to wait, and the last field check.
 * Thread-safe. Not part of the API.
 */
public final class SyncHealth implements SyncListener {

  /** The last failure: its type, when, and whether it was an authentication failure. */
  public record LastError(String type, Instant at, boolean authentication) {}

  /** The last field check: when, and its report or why it could not be made. */
  public record FieldCheck(Instant at, FieldReport report, ZendeskException failure) {}

  /** The last scheduled reconcile: when it ended, its report, or the type of what stopped it. */
  public record LastReconcile(Instant at, ReconcileReport report, String failure) {}

  private final Clock clock;
  private volatile LastError lastError;
  private volatile Instant rateLimitedUntil;
  private volatile FieldCheck fieldCheck;
  private volatile LastReconcile lastReconcile;
  private final LongAdder failedUpdates = new LongAdder();

  /** Health on {@code clock}. */
  public SyncHealth(Clock clock) {
    this.clock = clock;
  }

  /** The clock the states are read on. */
  public Clock clock() {
    return clock;
  }

  /** The last failure, or null. */
  public LastError lastError() {
    return lastError;
  }

  /** Until when Zendesk asked to wait, or null. */
  public Instant rateLimitedUntil() {
    return rateLimitedUntil;
  }

  /** The last field check, or null. */
  public FieldCheck fieldCheck() {
    return fieldCheck;
  }

  /** The last scheduled reconcile, or null. */
  public LastReconcile lastReconcile() {
    return lastReconcile;
  }

  /** Records a scheduled reconcile that ended. */
  public void reconciled(ReconcileReport report) {
    lastReconcile = new LastReconcile(clock.instant(), report, null);
  }

  /** Records a scheduled reconcile that stopped on {@code failure}. */
  public void reconcileFailed(Throwable failure) {
    lastReconcile = new LastReconcile(clock.instant(), null, failure.getClass().getSimpleName());
  }

  /** Records a field check (at startup or by the health indicator). */
  public void fieldsChecked(FieldReport report) {
    fieldCheck = new FieldCheck(clock.instant(), report, null);
  }

  /** Records a field check that could not be made. */
  public void fieldsUnchecked(ZendeskException failure) {
    fieldCheck = new FieldCheck(clock.instant(), fieldCheck == null ? null : fieldCheck.report(),
        failure);
    failed(failure);
  }

  @Override
  public void onSynced(SyncResult result) {
    LastError error = lastError;
    if (error != null && error.authentication()
        && (result.outcome() == SyncResult.Outcome.CREATED
            || result.outcome() == SyncResult.Outcome.UPDATED)) {
      // Zendesk took a write since: the credentials work again
      lastError = new LastError(error.type(), error.at(), false);
    }
  }

  /** Members' updates that failed for good since the start (each heard once). */
  public long failedUpdates() {
    return failedUpdates.sum();
  }

  @Override
  public void onFailed(String memberId, ZendeskException failure) {
    failedUpdates.increment();
    failed(failure);
  }

  @Override
  public void onRateLimited(ZendeskOperation operation, Duration wait) {
    Instant until = clock.instant().plus(wait);
    Instant before = rateLimitedUntil;
    if (before == null || until.isAfter(before)) {
      rateLimitedUntil = until;
    }
  }

  private void failed(ZendeskException failure) {
    lastError = new LastError(failure.getClass().getSimpleName(), clock.instant(),
        failure instanceof ZendeskAuthenticationException);
  }
}
