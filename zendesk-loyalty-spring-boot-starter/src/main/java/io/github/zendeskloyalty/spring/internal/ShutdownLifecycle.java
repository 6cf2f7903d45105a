package io.github.zendeskloyalty.spring.internal;

import io.github.zendeskloyalty.client.ShutdownReport;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import java.time.Duration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Shuts the SDK down when the context stops: after the web server has stopped taking requests
 * (a later phase than its graceful shutdown), so events from requests still being answered are
 * sent, and before beans are destroyed. Logs the {@link ShutdownReport}. Not part of the API.
 */
public final class ShutdownLifecycle implements SmartLifecycle {

  /** Below the web server's phases: it stops after them. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private static final Log LOG = LogFactory.getLog(ShutdownLifecycle.class);

  private final ZendeskLoyaltySync sync;
  private final SyncHealth health;
  private final Duration deadline;
  private volatile boolean running;
  private volatile ShutdownReport report;

  /**
   * Shuts {@code sync} down, waiting up to {@code deadline} for Zendesk; {@code health} (a
   * listener of {@code sync}) counts the updates that failed before.
   */
  public ShutdownLifecycle(ZendeskLoyaltySync sync, SyncHealth health, Duration deadline) {
    this.sync = sync;
    this.health = health;
    this.deadline = deadline;
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    report = sync.shutdown(deadline);
    running = false;
    // once the SDK has stopped every listener call is made: those of the members the shutdown
    // failed (one each) are not earlier failures
    long failedBefore = Math.max(0, health.failedUpdates() - report.unsentMemberIds().size());
    String failures = failedBefore == 0 ? "" : "; " + failedBefore + " updates failed earlier"
        + " (each failed its future and reached SyncListener.onFailed)";
    if (report.isClean() && failedBefore == 0) {
      LOG.info("Zendesk loyalty sync stopped: every update was confirmed by Zendesk");
    } else if (report.isClean()) {
      LOG.warn("Zendesk loyalty sync stopped with nothing pending" + failures);
    } else {
      LOG.warn("Zendesk loyalty sync stopped with " + report.unsentMemberIds().size()
          + " members not confirmed by Zendesk" + (report.finishedInTime() ? ""
              : " within " + deadline.toSeconds() + " s") + "; their member ids are logged at"
          + " DEBUG by io.github.zendeskloyalty.client" + failures);
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  /** The report of the shutdown, or null before it. */
  public ShutdownReport report() {
    return report;
  }
}
