package io.github.zendeskloyalty.client;

import java.util.Map;
import java.util.Objects;

/**
 * The outcome of a backfill with {@link ZendeskLoyaltySync#syncAll(Iterable)}.
 *
 * <pre>{@code
 * SyncSummary summary = sync.syncAll(members).join();
 * summary.failures().forEach((memberId, failure) -> log.warn(memberId + ": " + failure.getMessage()));
 * }</pre>
 *
 * @param submitted members submitted
 * @param created members whose Zendesk user was created
 * @param updated members whose Zendesk user was updated
 * @param ignoredStale members skipped because a newer snapshot was already pending or sent
 * @param skippedNoUser members without a Zendesk user under {@link MissingUserPolicy#SKIP}
 * @param failures why each member could not be synced, by member id: a
 *     {@link ZendeskException}, or an {@link IllegalArgumentException} for a member the identity
 *     policy cannot match (no email under {@link IdentityPolicy#EMAIL})
 */
public record SyncSummary(int submitted, int created, int updated, int ignoredStale,
    int skippedNoUser, Map<String, RuntimeException> failures) {

  /** Copies the failures. */
  public SyncSummary {
    failures = Map.copyOf(Objects.requireNonNull(failures, "failures"));
  }

  /** Whether every member was synced, ignored as stale or skipped, and none failed. */
  public boolean isSuccess() {
    return failures.isEmpty();
  }
}
