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
  private final Duration deadline;
  private volatile boolean running;
  private volatile ShutdownReport report;

  /** Shuts {@code sync} down, waiting up to {@code deadline} for Zendesk. */
  public ShutdownLifecycle(ZendeskLoyaltySync sync, Duration deadline) {
    this.sync = sync;
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
    if (report.isClean()) {
      LOG.info("Zendesk loyalty sync stopped: every update was confirmed by Zendesk");
    } else {
      LOG.warn("Zendesk loyalty sync stopped with " + report.unsentMemberIds().size()
          + " members not confirmed by Zendesk" + (report.finishedInTime() ? ""
              : " within " + deadline.toSeconds() + " s") + "; their member ids are logged at"
          + " DEBUG by io.github.zendeskloyalty.client");
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
