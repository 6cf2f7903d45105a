package io.github.zendeskloyalty.client.internal;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A bulk job Zendesk accepted and the updates it carries, in request order. Not part of the API.
 *
 * @param id Zendesk's job id
 * @param items the updates, at their index in the request
 * @param userIds the Zendesk user id of each item when known (update_many), else null entries
 * @param submittedAt when the job was accepted, on the SDK's clock
 * @param byExternalId the items addressed by external id, not by user id: a failure of one of
 *     them may only mean Zendesk has no such user, so it is checked before it counts
 */
record SubmittedJob(String id, List<PendingUpdate> items, List<Long> userIds,
    Instant submittedAt, Set<PendingUpdate> byExternalId) {

  /** A job whose items are all addressed by user id or matched by Zendesk. */
  public SubmittedJob(String id, List<PendingUpdate> items, List<Long> userIds,
      Instant submittedAt) {
    this(id, items, userIds, submittedAt, Set.of());
  }
}
