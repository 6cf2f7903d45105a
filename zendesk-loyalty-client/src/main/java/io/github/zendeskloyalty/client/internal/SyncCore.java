package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.client.BackfillProgress;
import io.github.zendeskloyalty.client.BackpressurePolicy;
import io.github.zendeskloyalty.client.CurrentUser;
import io.github.zendeskloyalty.client.FieldProvisioning;
import io.github.zendeskloyalty.client.ShutdownReport;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.SyncSummary;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The wired SDK behind {@code ZendeskLoyaltySync}: what each of its calls does. Built by
 * {@link SyncAssembly}. Not part of the API.
 */
public final class SyncCore {

  private final SyncEngine engine;
  private final UserWriter writer;
  private final UserDirectory directory;
  private final FieldProvisioner fields;
  private final Reconciliation reconciliation;
  private final TicketNotes ticketNotes;
  private final AgentActionsInstaller agentActionsInstaller;
  private final Clock clock;

  SyncCore(SyncEngine engine, UserWriter writer, UserDirectory directory,
      FieldProvisioner fields, Reconciliation reconciliation, ZendeskHttp http, Clock clock) {
    this.reconciliation = reconciliation;
    this.ticketNotes = new TicketNotes(http);
    this.agentActionsInstaller = new AgentActionsInstaller(http);
    this.engine = engine;
    this.writer = writer;
    this.directory = directory;
    this.fields = fields;
    this.clock = clock;
  }

  /**
   * Queues a member's snapshot of {@code version} for the profile {@code profileKey}, with the
   * configured back-pressure policy when {@code backpressure} is null.
   */
  public CompletableFuture<SyncResult> submit(LoyaltyMember member, Instant version,
      SyncTrigger trigger, String profileKey, BackpressurePolicy backpressure) {
    return engine.submit(member, version, trigger, profileKey, backpressure);
  }

  /**
   * Starts a backfill on its own thread: each member queued as {@code profileKey} says (or
   * refused, when it throws), waiting for room whatever the back-pressure policy, then a flush.
   *
   * @throws IllegalStateException when the SDK is closed
   */
  public CompletableFuture<SyncSummary> syncAll(Iterable<LoyaltyMember> members,
      BackfillProgress progress, Function<LoyaltyMember, String> profileKey) {
    if (engine.isClosing()) {
      throw new IllegalStateException("ZendeskLoyaltySync is closed; no backfill can start");
    }
    BackfillTally tally = new BackfillTally(progress);
    long announced = members instanceof Collection<?> collection ? collection.size() : 0;
    directory.expect(announced);
    Thread backfill = new Thread(() -> {
      long toCome = announced;
      try {
        int position = 0;
        for (LoyaltyMember member : members) {
          if (member == null) {
            tally.reject("<null member at position " + position + ">",
                new IllegalArgumentException("member at position " + position + " is null"));
          } else {
            tally.track(member, queued -> engine.submit(queued,
                queued.lastModifiedDate() != null ? queued.lastModifiedDate() : clock.instant(),
                null, profileKey.apply(queued), BackpressurePolicy.BLOCK));
          }
          position++;
          if (toCome > 0) {
            toCome--;
            directory.expect(-1);
          }
        }
        engine.flush();
      } catch (RuntimeException | Error unreadable) {
        tally.reject("<members after the last one read>", new IllegalStateException(
            "reading the members failed: " + unreadable, unreadable));
      } finally {
        directory.expect(-toCome);
        tally.finish();
      }
    }, "zendesk-loyalty-backfill");
    backfill.setDaemon(true);
    backfill.start();
    return tally.summary();
  }

  /** Sends everything pending now; completes when all of it has an outcome. */
  public CompletableFuture<Void> flush() {
    return engine.flush();
  }

  /** The field checks and creation. */
  public FieldProvisioning fields() {
    return fields;
  }

  /** What agent actions need in Zendesk, installed. */
  public AgentActionsInstaller agentActionsInstaller() {
    return agentActionsInstaller;
  }

  /** Notes on tickets, for agent actions. */
  public TicketNotes ticketNotes() {
    return ticketNotes;
  }

  /** The account's drift from the source, repaired through this SDK's pipeline. */
  public Reconciliation reconciliation() {
    return reconciliation;
  }

  /** Who the credentials are ({@code GET /api/v2/users/me}). */
  public CurrentUser currentUser() {
    return fields.currentUser();
  }

  /** Members with an update not yet confirmed by Zendesk. */
  public int backlog() {
    return engine.backlog();
  }

  /** Bulk jobs submitted and not yet ended. */
  public int runningJobs() {
    return engine.runningJobs();
  }

  /** Whether the account takes {@code create_or_update_many} (bulk import on), as last seen. */
  public boolean usesBulkImport() {
    return writer.usesBulkImport();
  }

  /** Stops taking events and waits up to {@code deadline} for Zendesk. */
  public ShutdownReport shutdown(Duration deadline) {
    return engine.shutdown(deadline);
  }
}
