package io.github.zendeskloyalty.client;

import java.util.List;
import java.util.Objects;

/**
 * What {@link ZendeskLoyaltySync#shutdown(java.time.Duration)} could not finish. Every member
 * listed here also had its future failed and {@link SyncListener#onFailed} called.
 *
 * <pre>{@code
 * ShutdownReport report = sync.shutdown(Duration.ofSeconds(30));
 * if (!report.isClean()) {
 *   requeue(report.unsentMemberIds());
 * }
 * }</pre>
 *
 * @param finishedInTime whether every pending update got an outcome before the deadline
 * @param unsentMemberIds members whose latest update Zendesk did not confirm
 */
public record ShutdownReport(boolean finishedInTime, List<String> unsentMemberIds) {

  /** Copies the list. */
  public ShutdownReport {
    unsentMemberIds = List.copyOf(Objects.requireNonNull(unsentMemberIds, "unsentMemberIds"));
  }

  /** Whether nothing was left unsent. */
  public boolean isClean() {
    return finishedInTime && unsentMemberIds.isEmpty();
  }
}
