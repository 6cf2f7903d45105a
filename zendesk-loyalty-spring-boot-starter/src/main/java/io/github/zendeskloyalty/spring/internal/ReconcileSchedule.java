package io.github.zendeskloyalty.spring.internal;

import io.github.zendeskloyalty.client.MemberSource;
import io.github.zendeskloyalty.client.OAuthTokenStore;
import io.github.zendeskloyalty.client.ReconcileOptions;
import io.github.zendeskloyalty.client.ReconcileReport;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.support.CronExpression;

/**
 * Runs {@link ZendeskLoyaltySync#reconcile} on a cron, one run at a time on a thread of its own,
 * and tells the health and the meters each report (or what stopped the run). With a shared
 * store, each tick runs on one replica: the first to take the tick's lease (never released; it
 * ends with the tick's hours), the others skip it. Stopped before the SDK closes. Not part of
 * the API.
 */
public final class ReconcileSchedule implements SmartLifecycle {

  /** Hears each report (the meters). */
  @FunctionalInterface
  public interface Listener {
    /** A scheduled reconcile ended with {@code report}. */
    void reconciled(ReconcileReport report);

    /** Another replica runs this tick's reconcile: this one skipped it. */
    default void skipped() {}
  }

  /** How long a tick's lease is kept at most (a tick's run is one, whatever the cron). */
  static final Duration LONGEST_LEASE = Duration.ofHours(24);

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.spring");

  private final ZendeskLoyaltySync sync;
  private final MemberSource source;
  private final CronExpression cron;
  private final ZoneId zone;
  private final ReconcileOptions options;
  private final Clock clock;
  private final SyncHealth health;
  private final List<Listener> reports;
  private final OAuthTokenStore leases;
  private ScheduledExecutorService executor;

  /**
   * @throws IllegalStateException naming the property when the cron expression is not one
   */
  /**
   * @param leases where the replicas take each tick's lease (the shared-limits store), or null:
   *     every instance runs every tick
   * @throws IllegalStateException naming the property when the cron expression is not one
   */
  public ReconcileSchedule(ZendeskLoyaltySync sync, MemberSource source, String cron, ZoneId zone,
      ReconcileOptions options, Clock clock, SyncHealth health,
      List<Listener> reports, OAuthTokenStore leases) {
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
    this.leases = leases;
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
    executor.schedule(() -> {
      runTick(next.toInstant());
      scheduleNext();
    }, Math.max(0, Duration.between(now, next).toMillis()), TimeUnit.MILLISECONDS);
  }

  /**
   * Runs the reconcile of the tick due at {@code tick}, unless another replica took it
   * ({@link ZendeskLoyaltySync#reconcileOnce}, its lease kept until the next tick, a day at most).
   *
   * @return whether this instance ran it
   */
  public boolean runTick(Instant tick) {
    try {
      Optional<ReconcileReport> ran = leases == null
          ? Optional.of(sync.reconcile(source, options))
          : sync.reconcileOnce(source, options, leases, tick.toString(), kept(tick));
      if (ran.isEmpty()) {
        LOG.log(Level.INFO, () -> "reconcile of " + tick + ": another replica runs it; skipped");
        reports.forEach(listener -> tell(listener::skipped));
        return false;
      }
      ReconcileReport report = ran.get();
      health.reconciled(report);
      reports.forEach(listener -> tell(() -> listener.reconciled(report)));
      LOG.log(Level.INFO, () -> "reconcile: " + report.drifted() + " members drifted, "
          + report.written() + (report.dryRun() ? " to write (dry run)" : " written") + ", "
          + report.orphans() + " orphans");
      return true;
    } catch (InterruptedException stopping) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception | Error failed) {
      // on this thread nothing else would see it, and the next run would never be scheduled
      health.reconcileFailed(failed);
      LOG.log(Level.WARNING, "the scheduled reconcile stopped; the next runs on schedule"
          + (options.checkpoint() != null ? " and goes on from its checkpoint" : ""), failed);
      return true;
    }
  }

  /** How long a tick's lease is kept: until the next tick, a day at most. */
  private Duration kept(Instant tick) {
    ZonedDateTime after = cron.next(tick.atZone(zone));
    Duration untilNext = after == null ? LONGEST_LEASE : Duration.between(tick, after.toInstant());
    return untilNext.isNegative() || untilNext.isZero() || untilNext.compareTo(LONGEST_LEASE) > 0
        ? LONGEST_LEASE : untilNext;
  }

  private static void tell(Runnable listener) {
    try {
      listener.run();
    } catch (Exception | LinkageError listenerBug) {
      LOG.log(Level.WARNING, "a reconcile report listener threw", listenerBug);
    }
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
