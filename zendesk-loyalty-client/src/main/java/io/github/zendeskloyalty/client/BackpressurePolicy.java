package io.github.zendeskloyalty.client;

/**
 * What an event call does when the pending buffer is full: it already holds
 * {@code maxPendingMembers} different members, or ten times as many events wait for their outcome.
 * An event for a member that is already pending replaces its snapshot and takes no member's room;
 * it waits only when the events are at their bound (each keeps its caller's future until the
 * member's write ends, which a caller faster than Zendesk would otherwise pile up).
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
