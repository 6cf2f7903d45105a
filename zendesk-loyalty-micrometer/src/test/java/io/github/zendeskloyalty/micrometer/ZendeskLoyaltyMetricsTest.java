package io.github.zendeskloyalty.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.RetryPolicy;
import io.github.zendeskloyalty.client.AgentActions;
import io.github.zendeskloyalty.client.ReconcileReport;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import io.github.zendeskloyalty.testkit.FakeEndpoint;
import io.github.zendeskloyalty.testkit.FakeFault;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import io.github.zendeskloyalty.testkit.FakeZendeskExtension;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ZendeskLoyaltyMetricsTest {

  @RegisterExtension
  static FakeZendeskExtension zendesk = new FakeZendeskExtension();

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ZendeskLoyaltyMetrics metrics =
      new ZendeskLoyaltyMetrics(registry, Tags.of("application", "loyalty"));

  @BeforeEach
  void fields(FakeZendesk fake) {
    fake.provision(FieldSchema.standard());
  }

  private static LoyaltyMember member(int n, int version) {
    return LoyaltyMember.builder().memberId("M-" + n).email("member" + n + "@example.com")
        .availablePoints(BigDecimal.valueOf(n * 10L + version))
        .lastModifiedDate(Instant.parse("2026-11-01T00:00:00Z").plusSeconds(version)).build();
  }

  private ZendeskLoyaltySync sync(FakeZendesk fake) {
    return metrics.monitor(fake.syncBuilder().listener(metrics)
        .retryPolicy(RetryPolicy.builder().baseDelay(Duration.ofMillis(1))
            .maxDelay(Duration.ofMillis(5)).build()).build());
  }

  private double count(String name, String... tags) {
    return registry.find(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  @Test
  void eventsOutcomesRequestsAndJobsAreCountedByBoundedTags(FakeZendesk fake) throws Exception {
    try (ZendeskLoyaltySync sync = sync(fake)) {
      List<CompletableFuture<?>> futures = IntStream.range(0, 150)
          .mapToObj(n -> sync.onPointsChanged(member(n, 2), SyncTrigger.POINTS_AWARDED))
          .<CompletableFuture<?>>map(f -> f).toList();
      sync.onTierChanged(member(1, 1), SyncTrigger.TIER_UPGRADED); // older: ignored as stale
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      sync.syncAll(List.of(member(200, 1))).get(30, TimeUnit.SECONDS);
    }

    assertThat(count("zendesk.loyalty.events", "trigger", "points_awarded")).isEqualTo(150);
    assertThat(count("zendesk.loyalty.events", "trigger", "tier_upgraded")).isEqualTo(1);
    assertThat(count("zendesk.loyalty.events", "trigger", "backfill")).isEqualTo(1);
    assertThat(count("zendesk.loyalty.outcomes", "outcome", "created")).isEqualTo(151);
    assertThat(count("zendesk.loyalty.outcomes", "outcome", "ignored_stale")).isEqualTo(1);
    assertThat(count("zendesk.loyalty.requests", "operation", "create_or_update_many_users",
        "status", "200", "outcome", "SUCCESS")).isPositive();
    assertThat(registry.get("zendesk.loyalty.bulk.jobs").timer().count())
        .isEqualTo(fake.requests(FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS).size());
    assertThat(registry.get("zendesk.loyalty.pending.members").gauge().value()).isZero();
    assertThat(registry.get("zendesk.loyalty.bulk.jobs.running").gauge().value()).isZero();
    for (Meter meter : registry.getMeters()) {
      assertThat(meter.getId().getTags()).contains(Tag.of("application", "loyalty"));
      assertThat(meter.getId().getTags()).extracting(Tag::getValue)
          .noneMatch(value -> value.contains("@") || value.startsWith("M-")
              || value.contains(FakeZendesk.ADMIN_API_TOKEN));
    }
  }

  @Test
  void aSharedSlotsStoreThatFailsIsCountedAndTheWriteStillGoes(FakeZendesk fake)
      throws Exception {
    try (ZendeskLoyaltySync sync = metrics.monitor(fake.syncBuilder().listener(metrics)
        .singleUserWriteSlots((earliest, latest, spacing) -> {
          throw new IllegalStateException("Redis did not reserve a single-user write slot");
        }).build())) {
      sync.onPointsChanged(member(7, 1), SyncTrigger.POINTS_AWARDED).get(30, TimeUnit.SECONDS);
    }
    assertThat(count("zendesk.loyalty.write.slots.unavailable", "exception",
        "IllegalStateException", "application", "loyalty")).isEqualTo(1);
    assertThat(fake.user("member7@example.com")).isPresent();
  }

  @Test
  void theLastReconcileIsAGaugeByKindAndEachRunIsCounted() {
    metrics.reconciled(new ReconcileReport(false, 100, 1, 100, 90, Map.of("points", 3L), 3, 2,
        1, 0, 0, 0, 0, 0, 5, 0, false, List.of()));
    metrics.reconciled(new ReconcileReport(false, 100, 1, 100, 90, Map.of(), 0, 1, 1, 0, 0, 0, 0,
        0, 1, 0, false, List.of()));

    assertThat(registry.get("zendesk.loyalty.reconcile.last").tags("kind", "field_differs")
        .gauge().value()).isZero();
    assertThat(registry.get("zendesk.loyalty.reconcile.last").tags("kind", "no_zendesk_user")
        .gauge().value()).isEqualTo(1);
    assertThat(registry.get("zendesk.loyalty.reconcile.last").tags("kind", "written")
        .gauge().value()).isEqualTo(1);
    assertThat(count("zendesk.loyalty.reconcile.runs", "dry_run", "false")).isEqualTo(2);
  }

  @Test
  void goodwillRequestsAreCountedByOutcomeAndAFixedReason() {
    metrics.goodwill(new AgentActions.Response(200, AgentActions.Outcome.GRANTED, "granted",
        "Awarded 100 points (reason: “late delivery”). Balance 1,350."));
    metrics.goodwill(new AgentActions.Response(200, AgentActions.Outcome.REFUSED,
        "over_grant_limit", "Goodwill points not granted: 5,000 points ..."));
    metrics.goodwill(new AgentActions.Response(200, AgentActions.Outcome.GRANTED, "granted",
        "Awarded 40 points (reason: “a broken voucher”). Balance 1,390."));

    assertThat(count("zendesk.loyalty.goodwill.requests", "outcome", "granted", "reason",
        "granted")).isEqualTo(2);
    assertThat(count("zendesk.loyalty.goodwill.requests", "outcome", "refused", "reason",
        "over_grant_limit")).isEqualTo(1);
    assertThat(registry.find("zendesk.loyalty.goodwill.requests").counters())
        .as("no tag carries the note's free text").hasSize(2);
  }

  @Test
  void anExportPageTheSharedStoreFailedIsCountedByExceptionOnly() {
    metrics.onExportPagesUnavailable(new IllegalStateException("PostgreSQL did not read an"
        + " export page: connection to jane@example.com refused"));

    assertThat(count("zendesk.loyalty.export.pages.unavailable", "exception",
        "IllegalStateException", "application", "loyalty")).isEqualTo(1);
  }

  @Test
  void failuresRetriesAndRateLimitWaitsAreRecorded(FakeZendesk fake) throws Exception {
    fake.failNext(1, FakeEndpoint.CREATE_OR_UPDATE_USER, FakeFault.status(503));
    fake.failNext(1, FakeEndpoint.CREATE_OR_UPDATE_USER,
        FakeFault.tooManyRequests(Duration.ofSeconds(1)));
    fake.failNext(1, FakeEndpoint.CREATE_OR_UPDATE_USER, FakeFault.status(401));

    try (ZendeskLoyaltySync sync = metrics.monitor(fake.syncBuilder().listener(metrics)
        .credentials(fake.apiTokenCredentials()) // a 401 is final: OAuth would renew and retry
        .retryPolicy(RetryPolicy.builder().baseDelay(Duration.ofMillis(1))
            .maxDelay(Duration.ofMillis(5)).build()).build())) {
      CompletableFuture<?> lone = sync.onPointsChanged(member(1, 1), SyncTrigger.POINTS_AWARDED);
      assertThat(lone).failsWithin(Duration.ofSeconds(30));
    }

    assertThat(count("zendesk.loyalty.retries", "operation", "create_or_update_user",
        "exception", "ZendeskServerException")).isEqualTo(1);
    assertThat(registry.get("zendesk.loyalty.rate.limit.waits")
        .tag("operation", "create_or_update_user").timer().totalTime(TimeUnit.MILLISECONDS))
        .isGreaterThanOrEqualTo(1_000);
    assertThat(count("zendesk.loyalty.outcomes", "outcome", "failed",
        "exception", "ZendeskAuthenticationException")).isEqualTo(1);
    assertThat(count("zendesk.loyalty.requests", "status", "401", "outcome", "CLIENT_ERROR"))
        .isEqualTo(1);
  }

  @Test
  void credentialMetersTellRenewalsNeedsReconnectAndTheApiTokensDaysLeft(FakeZendesk fake)
      throws Exception {
    try (ZendeskLoyaltySync sync = sync(fake)) {
      sync.onPointsChanged(member(1, 1), SyncTrigger.POINTS_AWARDED).get(30, TimeUnit.SECONDS);
      assertThat(count("zendesk.loyalty.oauth.token.renewals")).isEqualTo(1);
      assertThat(registry.get("zendesk.loyalty.credentials.needs.reconnect").gauge().value())
          .isZero();
      assertThat(registry.find("zendesk.loyalty.credentials.api.token.days.left").gauge())
          .as("only for an API token").isNull();

      fake.deleteOAuthClient(FakeZendesk.OAUTH_CLIENT_ID);
      fake.revokeOAuthTokens();
      sync.onPointsChanged(member(2, 1), SyncTrigger.POINTS_AWARDED).exceptionally(failed -> null)
          .get(30, TimeUnit.SECONDS);
      assertThat(registry.get("zendesk.loyalty.credentials.needs.reconnect").gauge().value())
          .isEqualTo(1);
    }
    SimpleMeterRegistry legacy = new SimpleMeterRegistry();
    ZendeskLoyaltyMetrics legacyMetrics = new ZendeskLoyaltyMetrics(legacy);
    try (ZendeskLoyaltySync sync = legacyMetrics.monitor(fake.syncBuilder()
        .credentials(fake.apiTokenCredentials()).listener(legacyMetrics).build())) {
      assertThat(legacy.get("zendesk.loyalty.credentials.api.token.days.left").gauge().value())
          .isBetween(0.0, 144.0);
      assertThat(sync.credentials().kind().name()).isEqualTo("API_TOKEN");
    }
  }
}
