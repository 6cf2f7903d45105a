package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.ZendeskException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the writer learnt about each member of a batch or job. The writer and the user directory
 * only record outcomes here; the engine alone turns them into completed futures and listener
 * calls. The first outcome recorded for an update wins. Used by one thread. Not part of the API.
 */
final class Outcomes {

  /** The fate of one member's update. */
  sealed interface MemberOutcome permits Written, Failed, Deferred {}

  /** Zendesk confirmed the write, or none was needed ({@code SKIPPED_NO_USER}). */
  record Written(SyncResult.Outcome outcome, Long zendeskUserId) implements MemberOutcome {}

  /** The update failed for good. */
  record Failed(ZendeskException failure) implements MemberOutcome {}

  /**
   * Not sent: its Zendesk user id is still being read from the export. The engine puts it back
   * among the pending updates; nothing completes.
   */
  record Deferred() implements MemberOutcome {}

  private static final Deferred DEFERRED = new Deferred();

  private final Map<PendingUpdate, MemberOutcome> outcomes = new LinkedHashMap<>();

  /** Zendesk confirmed the update (or it needed no write). */
  void succeeded(PendingUpdate update, SyncResult.Outcome outcome, Long zendeskUserId) {
    outcomes.putIfAbsent(update, new Written(outcome, zendeskUserId));
  }

  /** The update failed for good. */
  void failed(PendingUpdate update, ZendeskException failure) {
    outcomes.putIfAbsent(update, new Failed(failure));
  }

  /** The update was not sent and goes back to pending (see {@link Deferred}). */
  void deferred(PendingUpdate update) {
    outcomes.putIfAbsent(update, DEFERRED);
  }

  /** Fails every update of {@code updates} that has no outcome yet. */
  void failUnsettled(Collection<PendingUpdate> updates, ZendeskException failure) {
    updates.forEach(update -> failed(update, failure));
  }

  /** Whether the update has an outcome. */
  boolean has(PendingUpdate update) {
    return outcomes.containsKey(update);
  }

  /** Every outcome, in the order recorded. */
  Map<PendingUpdate, MemberOutcome> all() {
    return outcomes;
  }
}
