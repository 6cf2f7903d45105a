package io.github.zendeskloyalty.client;

/**
 * What happens when a member has no Zendesk user yet.
 *
 * <pre>{@code
 * ZendeskLoyaltySync.builder().missingUsers(MissingUserPolicy.SKIP) ...
 * }</pre>
 */
public enum MissingUserPolicy {
  /**
   * Create the user (the default). Bulk writes use {@code create_or_update_many}; when bulk
   * import is off, missing users are created one at a time with {@code create_or_update}, held to
   * Zendesk's limit of one such call per second.
   */
  CREATE,
  /**
   * Only update users that exist: the SDK resolves user ids and uses {@code update_many}. A
   * member without a user completes with {@link SyncResult.Outcome#SKIPPED_NO_USER}.
   */
  SKIP
}
