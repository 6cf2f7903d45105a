package io.github.zendeskloyalty.client;

import io.github.zendeskloyalty.core.SyncTrigger;
import java.time.Duration;

/**
 * Hears what the SDK does, for metrics and alerts. Every method has an empty default; override
 * what you need. Methods are called on the SDK's threads and must return quickly and not throw.
 * Nothing passed here contains a credential; member ids are passed, emails are not.
 *
 * <pre>{@code
 * SyncListener metrics = new SyncListener() {
 *   public void onSynced(SyncResult result) { synced.increment(); }
 *   public void onFailed(String memberId, ZendeskException failure) { failed.increment(); }
 *   public void onRateLimited(ZendeskOperation operation, Duration wait) { throttled.increment(); }
 * };
 * ZendeskLoyaltySync.builder().listener(metrics) ...
 * }</pre>
 */
public interface SyncListener {

  /**
   * An event was taken (queued, merged into the member's pending update, or ignored as stale),
   * on the caller's thread; keep it quick. Not called for an event refused for lack of room.
   *
   * @param trigger the event's trigger; {@code null} for a member of a {@code syncAll} backfill
   */
  default void onAccepted(SyncTrigger trigger) {}

  /** A bulk job ended (completed, failed or given up on), {@code duration} after it was submitted. */
  default void onBulkJobEnded(Duration duration) {}

  /** A member's update was confirmed by Zendesk, ignored as stale, or skipped. */
  default void onSynced(SyncResult result) {}

  /** A member's update failed for good; its future failed with the same exception. */
  default void onFailed(String memberId, ZendeskException failure) {}

  /** A call failed in a retryable way and will be retried after {@code delay}. */
  default void onRetry(ZendeskOperation operation, int attempt, Duration delay,
      ZendeskException failure) {}

  /** Zendesk asked the SDK to slow down (429, 503 with Retry-After, or TooManyJobs). */
  default void onRateLimited(ZendeskOperation operation, Duration wait) {}

  /** A call got an HTTP answer; {@code status} is its status code. */
  default void onRequest(ZendeskOperation operation, int status) {}

  /**
   * The shared {@link SingleUserWriteSlots} threw or answered null (its store down, slow or
   * answering nonsense): this single-user write keeps the instance's own pace, and the next one
   * asks the store again.
   *
   * @param failure what the store threw, or an {@code IllegalStateException} for a null answer
   */
  default void onWriteSlotsUnavailable(Throwable failure) {}

  /**
   * The shared {@link SharedExportPages} threw or answered what cannot be read: this instance
   * fetches that page of the export itself, and asks the store again for the next one.
   *
   * @param failure what the store threw, or what could not be read in its answer
   */
  default void onExportPagesUnavailable(Throwable failure) {}

  /**
   * The OAuth credentials need reconnecting (Zendesk refused the grant for good: the client
   * deleted, the grant revoked, the refresh token expired): every update fails at once with a
   * {@link ZendeskAuthenticationException} that says what to do, until new credentials work.
   * Called once per outage.
   *
   * @param failure what every update fails with meanwhile
   */
  default void onCredentialsNeedReconnect(ZendeskAuthenticationException failure) {}

  /**
   * This instance got a new OAuth access token from Zendesk (not one another instance stored).
   *
   * @param expiresAt when the new token expires, or null when it does not
   */
  default void onTokenRenewed(java.time.Instant expiresAt) {}

  /** A listener that ignores everything. */
  static SyncListener none() {
    return new SyncListener() {};
  }
}
