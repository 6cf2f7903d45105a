package io.github.zendeskloyalty.client;

/**
 * What an event call does when the pending buffer already holds
 * {@code maxPendingMembers} different members. Events for a member that is already pending never
 * wait: they replace its snapshot.
 *
 * <pre>{@code
 * ZendeskLoyaltySync.builder().maxPendingMembers(50_000).backpressure(BackpressurePolicy.FAIL) ...
 * }</pre>
 */
public enum BackpressurePolicy {
  /** The calling thread waits until the SDK has sent enough to make room (the default). */
  BLOCK,
  /**
   * The call returns at once with a future failed with
   * {@link java.util.concurrent.RejectedExecutionException}; the caller may retry later.
   */
  FAIL
}
