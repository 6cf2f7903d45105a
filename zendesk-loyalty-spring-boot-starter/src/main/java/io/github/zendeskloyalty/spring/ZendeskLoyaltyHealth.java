package io.github.zendeskloyalty.spring;

import io.github.zendeskloyalty.client.FieldReport;
import io.github.zendeskloyalty.client.ZendeskCredentials;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.spring.internal.SyncHealth;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code zendeskLoyalty} health, on every supported Spring Boot line: DOWN when the OAuth
 * credentials need reconnecting (the reason says what to do), Zendesk refused the credentials,
 * or user fields are missing or of another type; OUT_OF_SERVICE while
 * Zendesk has asked to wait longer than {@code zendesk.loyalty.health.rate-limited-threshold};
 * UP otherwise. Details: the credential kind, the access token's expiry (never the token), for
 * an API token the days until it stops working, pending members, running bulk jobs, the last
 * error's type and time, fields missing or mismatched (keys only), when the rate limit ends. No secret, email or member
 * id. The starter shows it through Actuator's health endpoint with the health API of the Boot line
 * on the classpath (Boot 4's {@code org.springframework.boot.health.contributor} or Boot 3's
 * {@code org.springframework.boot.actuate.health}).
 *
 * <pre>
 * GET /actuator/health/zendeskLoyalty
 * {"status":"UP","details":{"pendingMembers":12,"runningJobs":1,"fields":"21 present"}}
 * </pre>
 *
 * <p>In code, the same report without Actuator:
 *
 * <pre>{@code
 * ZendeskLoyaltyHealth.Report report = health.check();
 * if (!report.status().equals(ZendeskLoyaltyHealth.UP)) {
 *   log.warn("Zendesk loyalty sync is " + report.status() + ": " + report.details());
 * }
 * }</pre>
 *
 * <p>The fields are re-checked at most every {@code zendesk.loyalty.health.fields-check-interval}
 * (one call); between checks the last result is shown.
 */
public class ZendeskLoyaltyHealth {

  /** Status code: all is well. */
  public static final String UP = "UP";
  /** Status code: Zendesk refused the credentials, or the user fields are not ready. */
  public static final String DOWN = "DOWN";
  /** Status code: Zendesk asked to wait longer than the threshold. */
  public static final String OUT_OF_SERVICE = "OUT_OF_SERVICE";

  /**
   * One health check: a status code ({@link #UP}, {@link #DOWN}, {@link #OUT_OF_SERVICE}) and
   * its details, in the order Actuator shows them.
   *
   * @param status the status code
   * @param details what the check saw; never a secret, email or member id
   */
  public record Report(String status, Map<String, Object> details) {
    /** A report; the details are copied. */
    public Report {
      Objects.requireNonNull(status, "status");
      details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }
  }

  private final ZendeskLoyaltySync sync;
  private final SyncHealth health;
  private final ZendeskLoyaltyProperties.Health settings;

  /** Health of {@code sync}, from what {@code health} heard. */
  public ZendeskLoyaltyHealth(ZendeskLoyaltySync sync, SyncHealth health,
      ZendeskLoyaltyProperties.Health settings) {
    this.sync = Objects.requireNonNull(sync, "sync");
    this.health = Objects.requireNonNull(health, "health");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** Checks now: re-checks the fields when the interval has passed, then reports. */
  public Report check() {
    Instant now = health.clock().instant();
    recheckFields(now);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("pendingMembers", sync.backlog());
    details.put("runningJobs", sync.runningJobs());
    SyncHealth.LastReconcile reconcile = health.lastReconcile();
    if (reconcile != null) {
      details.put("lastReconcileAt", reconcile.at());
      if (reconcile.report() != null) {
        details.put("lastReconcileDrifted", reconcile.report().drifted());
        details.put("lastReconcileWritten", reconcile.report().written());
        details.put("lastReconcileOrphans", reconcile.report().orphans());
      } else {
        details.put("lastReconcileError", reconcile.failure());
      }
    }
    SyncHealth.LastError error = health.lastError();
    if (error != null) {
      details.put("lastError", error.type());
      details.put("lastErrorAt", error.at());
    }
    SyncHealth.FieldCheck check = health.fieldCheck();
    if (check != null && check.report() != null) {
      fields(details, check.report());
    }
    ZendeskCredentials.Status credentials = sync.credentials().status();
    details.put("credentials", credentials.kind().name());
    credentials.accessTokenExpiresAt().ifPresent(at -> details.put("accessTokenExpiresAt", at));
    credentials.apiTokenDaysLeft(LocalDate.ofInstant(now, ZoneOffset.UTC))
        .ifPresent(days -> details.put("apiTokenDaysLeft", days));
    Instant until = health.rateLimitedUntil();
    boolean limited = until != null && until.isAfter(now);
    if (limited) {
      details.put("rateLimitedUntil", until);
    }
    if (credentials.needsReconnect().isPresent()) {
      details.put("reason", credentials.needsReconnect().get());
      return new Report(DOWN, details);
    }
    if (error != null && error.authentication()) {
      details.put("reason", "Zendesk refused the credentials (" + error.type()
          + "); check zendesk.loyalty.oauth.client-id and client-secret (or the legacy"
          + " email and api-token)");
      return new Report(DOWN, details);
    }
    if (check != null && check.report() != null && !check.report().isReady()) {
      details.put("reason", "user fields are missing or of another type; set"
          + " zendesk.loyalty.fields-on-startup=ensure or run 'zendesk-loyalty fields ensure'");
      return new Report(DOWN, details);
    }
    if (limited && Duration.between(now, until)
        .compareTo(settings.getRateLimitedThreshold()) > 0) {
      details.put("reason", "Zendesk asked to wait until " + until);
      return new Report(OUT_OF_SERVICE, details);
    }
    return new Report(UP, details);
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

  private static void fields(Map<String, Object> details, FieldReport report) {
    if (report.isReady()) {
      details.put("fields", report.present().size() + " present");
      return;
    }
    List<String> missing = report.missing().stream().map(FieldSchema.Field::key).toList();
    List<String> mismatched = report.mismatched().stream()
        .map(mismatch -> mismatch.expected().key() + " is " + mismatch.actualType()).toList();
    details.put("fieldsMissing", missing);
    details.put("fieldsOfAnotherType", mismatched);
  }
}
