package io.github.zendeskloyalty.micrometer;

import io.github.zendeskloyalty.client.AgentActions;
import io.github.zendeskloyalty.client.ReconcileReport;
import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.client.ZendeskOperation;
import io.github.zendeskloyalty.core.SyncTrigger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records what a {@link ZendeskLoyaltySync} does as Micrometer meters. Give it to the builder as
 * its listener, then {@link #monitor} the built instance for the gauges:
 *
 * <pre>{@code
 * ZendeskLoyaltyMetrics metrics = new ZendeskLoyaltyMetrics(registry, Tags.of("app", "loyalty"));
 * ZendeskLoyaltySync sync = ZendeskLoyaltySync.builder()
 *     .subdomain("acme").credentials(credentials)
 *     .listener(metrics)
 *     .build();
 * metrics.monitor(sync);
 * }</pre>
 *
 * <table>
 *   <caption>Meters (tags bounded: no member id, email or credential ever becomes a tag)</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@code zendesk.loyalty.events}</td><td>counter</td>
 *       <td>{@code trigger}: {@code points_awarded} ... {@code tier_downgraded}, {@code backfill}</td></tr>
 *   <tr><td>{@code zendesk.loyalty.outcomes}</td><td>counter</td>
 *       <td>{@code outcome}: {@code created}, {@code updated}, {@code ignored_stale},
 *       {@code skipped_no_user}, {@code failed}; {@code exception}: the SDK's exception type or
 *       {@code none}</td></tr>
 *   <tr><td>{@code zendesk.loyalty.requests}</td><td>counter</td>
 *       <td>{@code operation} ({@link ZendeskOperation}), {@code status} (the HTTP status),
 *       {@code outcome} ({@code SUCCESS}, {@code CLIENT_ERROR}, {@code SERVER_ERROR} ...)</td></tr>
 *   <tr><td>{@code zendesk.loyalty.retries}</td><td>counter</td>
 *       <td>{@code operation}, {@code exception}</td></tr>
 *   <tr><td>{@code zendesk.loyalty.rate.limit.waits}</td><td>timer</td><td>{@code operation}</td></tr>
 *   <tr><td>{@code zendesk.loyalty.bulk.jobs}</td><td>timer</td><td>none: submit to end</td></tr>
 *   <tr><td>{@code zendesk.loyalty.write.slots.unavailable}</td><td>counter</td>
 *       <td>{@code exception}: what the shared {@code SingleUserWriteSlots} threw</td></tr>
 *   <tr><td>{@code zendesk.loyalty.pending.members}</td><td>gauge</td><td>none</td></tr>
 *   <tr><td>{@code zendesk.loyalty.bulk.jobs.running}</td><td>gauge</td><td>none</td></tr>
 *   <tr><td>{@code zendesk.loyalty.credentials.needs.reconnect}</td><td>gauge</td>
 *       <td>none: 1 while the OAuth credentials need reconnecting</td></tr>
 *   <tr><td>{@code zendesk.loyalty.credentials.api.token.days.left}</td><td>gauge</td>
 *       <td>none: days until API tokens stop working (with an API token only)</td></tr>
 *   <tr><td>{@code zendesk.loyalty.oauth.token.renewals}</td><td>counter</td>
 *       <td>none: new access tokens this instance got from Zendesk</td></tr>
 * </table>
 *
 * <p>Every meter also carries the common tags given to the constructor.
 */
public final class ZendeskLoyaltyMetrics implements SyncListener {

  private final MeterRegistry registry;
  private final Tags common;
  private final Timer bulkJobs;
  /** The last reconcile's counts, by kind: what its gauges read. */
  private final Map<String, AtomicLong> lastReconcile = new ConcurrentHashMap<>();

  /** Meters in {@code registry}, with no common tags. */
  public ZendeskLoyaltyMetrics(MeterRegistry registry) {
    this(registry, Tags.empty());
  }

  /** Meters in {@code registry}, each with the common tags (for example the application). */
  public ZendeskLoyaltyMetrics(MeterRegistry registry, Iterable<Tag> commonTags) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.common = Tags.of(Objects.requireNonNull(commonTags, "commonTags"));
    this.bulkJobs = Timer.builder("zendesk.loyalty.bulk.jobs")
        .description("Bulk jobs, from submit to their end").tags(common).register(registry);
  }

  /**
   * Adds the gauges of pending members and running bulk jobs for {@code sync}. The gauges hold
   * it weakly, so they never keep a closed instance alive.
   *
   * @return {@code sync}
   */
  public ZendeskLoyaltySync monitor(ZendeskLoyaltySync sync) {
    Objects.requireNonNull(sync, "sync");
    Gauge.builder("zendesk.loyalty.pending.members", sync, ZendeskLoyaltySync::backlog)
        .description("Members with an update not yet confirmed by Zendesk").tags(common)
        .register(registry);
    Gauge.builder("zendesk.loyalty.bulk.jobs.running", sync, ZendeskLoyaltySync::runningJobs)
        .description("Bulk jobs submitted and not yet ended").tags(common).register(registry);
    Gauge.builder("zendesk.loyalty.credentials.needs.reconnect", sync,
            monitored -> monitored.credentials().status().needsReconnect().isPresent() ? 1 : 0)
        .description("1 while the OAuth credentials need reconnecting: every update fails")
        .tags(common).register(registry);
    if (sync.credentials().status().apiTokenRetiresOn().isPresent()) {
      Gauge.builder("zendesk.loyalty.credentials.api.token.days.left", sync,
              monitored -> monitored.credentials().status().apiTokenDaysLeft(
                  LocalDate.now(ZoneOffset.UTC)).orElse(0L))
          .description("Days until Zendesk deactivates API tokens (2027-04-30): move to OAuth")
          .tags(common).register(registry);
    }
    return sync;
  }

  /**
   * Records a reconcile's report: the gauge {@code zendesk.loyalty.reconcile.last{kind}} (kinds
   * {@code field_differs}, {@code no_zendesk_user}, {@code orphan}, {@code duplicate_member_id},
   * {@code source_older}, {@code written}, {@code write_failed}) reads the last one, and the
   * counter {@code zendesk.loyalty.reconcile.runs} counts them.
   *
   * <pre>{@code
   * metrics.reconciled(sync.reconcile(source, ReconcileOptions.defaults()));
   * }</pre>
   */
  public void reconciled(ReconcileReport report) {
    Objects.requireNonNull(report, "report");
    last("field_differs", report.membersDiffering());
    last("no_zendesk_user", report.noZendeskUser());
    last("orphan", report.orphans());
    last("duplicate_member_id", report.duplicateMemberIds());
    last("source_older", report.sourceOlder());
    last("inactive_user", report.inactiveUsers());
    last("source_mismatch", report.sourceMismatches());
    last("email_changed", report.emailsChanged());
    last("written", report.written());
    last("write_failed", report.writeFailed());
    counter("zendesk.loyalty.reconcile.runs", "Reconciles that ended",
        Tags.of("dry_run", String.valueOf(report.dryRun()))).increment();
  }

  /**
   * Counts a scheduled reconcile this replica skipped because another ran that tick:
   * {@code zendesk.loyalty.reconcile.skipped}.
   *
   * <pre>{@code
   * metrics.reconcileSkipped();
   * }</pre>
   */
  public void reconcileSkipped() {
    counter("zendesk.loyalty.reconcile.skipped", "Scheduled reconciles another replica ran",
        Tags.empty()).increment();
  }

  /**
   * Counts an agent action's outcome: {@code zendesk.loyalty.goodwill.requests{outcome,reason}},
   * both tags of a fixed set (never the free-text reason an agent typed).
   *
   * <pre>{@code
   * AgentActions actions = AgentActions.builder()...listener(metrics::goodwill).build();
   * }</pre>
   */
  public void goodwill(AgentActions.Response response) {
    Objects.requireNonNull(response, "response");
    counter("zendesk.loyalty.goodwill.requests", "Goodwill webhook requests, by outcome and why",
        Tags.of("outcome", lower(response.outcome().name()), "reason", response.reason()))
        .increment();
  }

  /**
   * The agent actions' listener: {@link #goodwill} for each request, and
   * {@code zendesk.loyalty.goodwill.notes{result}} ({@code written}, {@code retried},
   * {@code abandoned}) for each attempt at a ticket's note, and
   * {@code zendesk.loyalty.goodwill.store.failures} for each delivery that met its
   * {@code SharedDeliveries} failing.
   *
   * <pre>{@code
   * AgentActions actions = AgentActions.builder()...listener(metrics.agentActions()).build();
   * }</pre>
   */
  public AgentActions.Listener agentActions() {
    return new AgentActions.Listener() {
      @Override
      public void onHandled(AgentActions.Response response) {
        goodwill(response);
      }

      @Override
      public void onNoteAttempt(String result) {
        counter("zendesk.loyalty.goodwill.notes", "Attempts at a goodwill note, by result",
            Tags.of("result", result)).increment();
      }

      @Override
      public void onStoreFailed() {
        counter("zendesk.loyalty.goodwill.store.failures", "Goodwill deliveries that met their"
            + " SharedDeliveries failing", Tags.empty()).increment();
      }
    };
  }

  private void last(String kind, long value) {
    lastReconcile.computeIfAbsent(kind, key -> {
      AtomicLong held = new AtomicLong();
      Gauge.builder("zendesk.loyalty.reconcile.last", held, AtomicLong::get)
          .description("The last reconcile's members, by kind of drift and what it wrote")
          .tags(common.and("kind", key)).register(registry);
      return held;
    }).set(value);
  }

  @Override
  public void onTokenRenewed(java.time.Instant expiresAt) {
    Counter.builder("zendesk.loyalty.oauth.token.renewals")
        .description("New OAuth access tokens this instance got from Zendesk").tags(common)
        .register(registry).increment();
  }

  @Override
  public void onAccepted(SyncTrigger trigger) {
    counter("zendesk.loyalty.events", "Events taken, by trigger",
        Tags.of("trigger", trigger == null ? "backfill" : lower(trigger.name()))).increment();
  }

  @Override
  public void onSynced(SyncResult result) {
    outcome(lower(result.outcome().name()), "none");
  }

  @Override
  public void onFailed(String memberId, ZendeskException failure) {
    outcome("failed", failure.getClass().getSimpleName());
  }

  @Override
  public void onRetry(ZendeskOperation operation, int attempt, Duration delay,
      ZendeskException failure) {
    counter("zendesk.loyalty.retries", "Calls retried after a retryable failure",
        Tags.of("operation", lower(operation.name()), "exception",
            failure.getClass().getSimpleName())).increment();
  }

  @Override
  public void onRateLimited(ZendeskOperation operation, Duration wait) {
    Timer.builder("zendesk.loyalty.rate.limit.waits")
        .description("Waits Zendesk asked for (429, Retry-After, TooManyJobs)").tags(common)
        .tag("operation", lower(operation.name())).register(registry).record(wait);
  }

  @Override
  public void onRequest(ZendeskOperation operation, int status) {
    counter("zendesk.loyalty.requests", "Calls to Zendesk that got an answer",
        Tags.of("operation", lower(operation.name()), "status", Integer.toString(status),
            "outcome", outcomeOf(status))).increment();
  }

  @Override
  public void onWriteSlotsUnavailable(Throwable failure) {
    counter("zendesk.loyalty.write.slots.unavailable",
        "Single-user writes that kept the instance's own pace: the shared slots' store failed",
        Tags.of("exception", failure.getClass().getSimpleName())).increment();
  }

  @Override
  public void onExportPagesUnavailable(Throwable failure) {
    counter("zendesk.loyalty.export.pages.unavailable",
        "Export pages an instance fetched itself: the shared pages' store failed",
        Tags.of("exception", failure.getClass().getSimpleName())).increment();
  }

  @Override
  public void onBulkJobEnded(Duration duration) {
    bulkJobs.record(duration);
  }

  private void outcome(String outcome, String exception) {
    counter("zendesk.loyalty.outcomes", "Members' updates, by what became of them",
        Tags.of("outcome", outcome, "exception", exception)).increment();
  }

  private Counter counter(String name, String description, Tags tags) {
    return Counter.builder(name).description(description).tags(common).tags(tags)
        .register(registry);
  }

  /** As Micrometer's HTTP client meters name a status's class. */
  private static String outcomeOf(int status) {
    if (status >= 100 && status < 200) {
      return "INFORMATIONAL";
    }
    if (status >= 200 && status < 300) {
      return "SUCCESS";
    }
    if (status >= 300 && status < 400) {
      return "REDIRECTION";
    }
    if (status >= 400 && status < 500) {
      return "CLIENT_ERROR";
    }
    return status >= 500 && status < 600 ? "SERVER_ERROR" : "UNKNOWN";
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
