package io.github.zendeskloyalty.spring;

import io.github.zendeskloyalty.client.FieldReport;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.spring.internal.SyncHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * The {@code zendeskLoyalty} health: DOWN when Zendesk refused the credentials or user fields
 * are missing or of another type; OUT_OF_SERVICE while Zendesk has asked to wait longer than
 * {@code zendesk.loyalty.health.rate-limited-threshold}; UP otherwise. Details: pending members,
 * running bulk jobs, the last error's type and time, fields missing or mismatched (keys only),
 * when the rate limit ends. No secret, email or member id.
 *
 * <pre>
 * GET /actuator/health/zendeskLoyalty
 * {"status":"UP","details":{"pendingMembers":12,"runningJobs":1,"fields":"21 present"}}
 * </pre>
 *
 * <p>The fields are re-checked at most every {@code zendesk.loyalty.health.fields-check-interval}
 * (one call); between checks the last result is shown.
 */
public class ZendeskLoyaltyHealthIndicator extends AbstractHealthIndicator {

  private final ZendeskLoyaltySync sync;
  private final SyncHealth health;
  private final ZendeskLoyaltyProperties.Health settings;

  /** Health of {@code sync}, from what {@code health} heard. */
  public ZendeskLoyaltyHealthIndicator(ZendeskLoyaltySync sync, SyncHealth health,
      ZendeskLoyaltyProperties.Health settings) {
    super("Zendesk loyalty health check failed");
    this.sync = sync;
    this.health = health;
    this.settings = settings;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    Instant now = health.clock().instant();
    recheckFields(now);
    builder.up().withDetail("pendingMembers", sync.backlog())
        .withDetail("runningJobs", sync.runningJobs());
    SyncHealth.LastError error = health.lastError();
    if (error != null) {
      builder.withDetail("lastError", error.type()).withDetail("lastErrorAt", error.at());
    }
    SyncHealth.FieldCheck check = health.fieldCheck();
    if (check != null && check.report() != null) {
      fields(builder, check.report());
    }
    Instant until = health.rateLimitedUntil();
    boolean limited = until != null && until.isAfter(now);
    if (limited) {
      builder.withDetail("rateLimitedUntil", until);
    }
    if (error != null && error.authentication()) {
      builder.status(Status.DOWN).withDetail("reason", "Zendesk refused the credentials ("
          + error.type() + "); check zendesk.loyalty.email, api-token or oauth-token");
    } else if (check != null && check.report() != null && !check.report().isReady()) {
      builder.status(Status.DOWN).withDetail("reason", "user fields are missing or of another"
          + " type; set zendesk.loyalty.fields-on-startup=ensure or run 'zendesk-loyalty fields"
          + " ensure'");
    } else if (limited && Duration.between(now, until)
        .compareTo(settings.getRateLimitedThreshold()) > 0) {
      builder.status(Status.OUT_OF_SERVICE).withDetail("reason", "Zendesk asked to wait until "
          + until);
    }
  }

  private void recheckFields(Instant now) {
    SyncHealth.FieldCheck check = health.fieldCheck();
    if (check != null && check.at().plus(settings.getFieldsCheckInterval()).isAfter(now)) {
      return;
    }
    try {
      health.fieldsChecked(sync.fields().verify());
    } catch (ZendeskException failure) {
      health.fieldsUnchecked(failure);
    }
  }

  private static void fields(Health.Builder builder, FieldReport report) {
    if (report.isReady()) {
      builder.withDetail("fields", report.present().size() + " present");
      return;
    }
    List<String> missing = report.missing().stream().map(FieldSchema.Field::key).toList();
    List<String> mismatched = report.mismatched().stream()
        .map(mismatch -> mismatch.expected().key() + " is " + mismatch.actualType()).toList();
    builder.withDetail("fieldsMissing", missing).withDetail("fieldsOfAnotherType", mismatched);
  }
}
