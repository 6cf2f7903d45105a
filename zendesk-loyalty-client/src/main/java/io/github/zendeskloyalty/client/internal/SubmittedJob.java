package io.github.zendeskloyalty.client.internal;

import java.time.Instant;
import java.util.List;

/**
 * A bulk job Zendesk accepted and the updates it carries, in request order. Not part of the API.
 *
 * @param id Zendesk's job id
 * @param items the updates, at their index in the request
 * @param userIds the Zendesk user id of each item when known (update_many), else null entries
 * @param submittedAt when the job was accepted, on the SDK's clock
 */
public record SubmittedJob(String id, List<PendingUpdate> items, List<Long> userIds,
    Instant submittedAt) {}
