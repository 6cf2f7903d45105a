package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.ZendeskException;

/** How the writer reports each member's fate to the engine. Not part of the API. */
public interface Completion {

  /** Zendesk confirmed the update, or it needed no write. */
  void succeeded(PendingUpdate update, SyncResult.Outcome outcome, Long zendeskUserId);

  /** The update failed for good. */
  void failed(PendingUpdate update, ZendeskException failure);
}
