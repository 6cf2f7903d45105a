package io.github.zendeskloyalty.spring.internal;

import io.github.zendeskloyalty.client.MemberSource;
import io.github.zendeskloyalty.client.ReconcileOptions;
import io.github.zendeskloyalty.client.ReconcileReport;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.support.CronExpression;

/**
 * Runs {@link ZendeskLoyaltySync#reconcile} on a cron, one run at a time on a thread of its own,
 * and tells the health and the meters each report (or what stopped the run). Stopped before the
 * SDK closes. Not part of the API.
 */
public final class ReconcileSchedule implements SmartLifecycle {

  /** Hears each report (the meters). */
  @FunctionalInterface
  public interface Listener {
    /** A scheduled reconcile ended with {@code report}. */
    void reconciled(ReconcileReport report);
  }

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.spring");

  private final ZendeskLoyaltySync sync;
  private final MemberSource source;
  private final CronExpression cron;
  private final ZoneId zone;
  private final ReconcileOptions options;
  private final Clock clock;
  private final SyncHealth health;
  private final List<Listener> reports;
  private ScheduledExecutorService executor;

  /**
   * @throws IllegalStateException naming the property when the cron expression is not one
   */
  public ReconcileSchedule(ZendeskLoyaltySync sync, MemberSource source, String cron, ZoneId zone,
      ReconcileOptions options, Clock clock, SyncHealth health,
      List<Listener> reports) {
    try {
      this.cron = CronExpression.parse(cron);
    } catch (IllegalArgumentException notACron) {
      throw new IllegalStateException("zendesk.loyalty.reconcile.cron is not a cron expression"
          + " ('" + cron + "'): " + notACron.getMessage() + "; for example 0 0 3 * * * (03:00)",
          notACron);
    }
    this.sync = sync;
    this.source = source;
    this.zone = zone;
    this.options = options;
    this.clock = clock;
    this.health = health;
    this.reports = reports;
  }

  @Override
  public synchronized void start() {
    executor = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "zendesk-loyalty-reconcile");
      thread.setDaemon(true);
      return thread;
    });
    scheduleNext();
  }

  private synchronized void scheduleNext() {
    if (executor == null || executor.isShutdown()) {
      return;
    }
    ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone));
    ZonedDateTime next = cron.next(now);
    if (next == null) {
      return;
    }
    executor.schedule(this::runOnce, Math.max(0, Duration.between(now, next).toMillis()),
        TimeUnit.MILLISECONDS);
  }

  private void runOnce() {
    try {
      ReconcileReport report = sync.reconcile(source, options);
      health.reconciled(report);
      for (Listener listener : reports) {
        try {
          listener.reconciled(report);
        } catch (RuntimeException | LinkageError listenerBug) {
          LOG.log(Level.WARNING, "a reconcile report listener threw", listenerBug);
        }
      }
      LOG.log(Level.INFO, () -> "reconcile: " + report.drifted() + " members drifted, "
          + report.written() + (report.dryRun() ? " to write (dry run)" : " written") + ", "
          + report.orphans() + " orphans");
    } catch (InterruptedException stopping) {
      Thread.currentThread().interrupt();
      return;
    } catch (RuntimeException | Error failed) {
      // on this thread nothing else would see it, and the next run would never be scheduled
      health.reconcileFailed(failed);
      LOG.log(Level.WARNING, "the scheduled reconcile stopped; the next runs on schedule"
          + (options.checkpoint() != null ? " and goes on from its checkpoint" : ""), failed);
    }
    scheduleNext();
  }

  @Override
  public synchronized void stop() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return executor != null;
  }

  /** Before the SDK's shutdown, so no reconcile writes into a closing SDK. */
  @Override
  public int getPhase() {
    return ShutdownLifecycle.PHASE + 100;
  }
}
