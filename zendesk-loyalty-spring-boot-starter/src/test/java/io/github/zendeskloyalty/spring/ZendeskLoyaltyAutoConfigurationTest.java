package io.github.zendeskloyalty.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.SingleUserWriteSlots;
import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.client.ZendeskValidationException;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyAttribute;
import io.github.zendeskloyalty.core.SyncTrigger;
import io.github.zendeskloyalty.core.ZendeskFieldType;
import io.github.zendeskloyalty.micrometer.ZendeskLoyaltyMetrics;
import io.github.zendeskloyalty.spring.internal.ShutdownLifecycle;
import io.github.zendeskloyalty.testkit.FakeEndpoint;
import io.github.zendeskloyalty.testkit.FakeFault;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import io.github.zendeskloyalty.testkit.ZendeskAssertions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.boot.test.system.CapturedOutput;

class ZendeskLoyaltyAutoConfigurationTest extends StarterTestBase {

  @Test
  void oneSyncFromThePropertiesThatWritesToZendesk() {
    runner.withPropertyValues(account()).run(context -> {
      assertThat(context).hasSingleBean(ZendeskLoyaltySync.class)
          .hasSingleBean(ShutdownLifecycle.class);
      ZendeskLoyaltySync sync = context.getBean(ZendeskLoyaltySync.class);
      sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED).get(10, TimeUnit.SECONDS);
      ZendeskAssertions.assertThat(fake).user("member1@example.com").hasFieldsOf(member(1));
      assertThat(sync.toString()).contains(fake.baseUri().toString())
          .doesNotContain(FakeZendesk.OAUTH_CLIENT_SECRET);
    });
  }

  @Test
  void everyPropertyBindsAndTheSdkTakesIt() {
    runner.withPropertyValues(account()).withPropertyValues(
        "zendesk.loyalty.identity=external-id", "zendesk.loyalty.missing-users=skip",
        "zendesk.loyalty.fields-on-startup=ensure",
        "zendesk.loyalty.batch.max-size=50", "zendesk.loyalty.batch.max-delay=250ms",
        "zendesk.loyalty.batch.max-pending-members=1000",
        "zendesk.loyalty.batch.backpressure=fail",
        "zendesk.loyalty.rate-limits.requests-per-minute=400",
        "zendesk.loyalty.rate-limits.max-concurrent-jobs=10",
        "zendesk.loyalty.rate-limits.default-retry-after=5s",
        "zendesk.loyalty.retry.base-delay=100ms", "zendesk.loyalty.retry.max-delay=2s",
        "zendesk.loyalty.retry.max-attempts=3", "zendesk.loyalty.retry.deadline=20s",
        "zendesk.loyalty.timeouts.request=5s", "zendesk.loyalty.timeouts.job=2m",
        "zendesk.loyalty.timeouts.job-poll-interval=500ms", "zendesk.loyalty.timeouts.close=7s",
        "zendesk.loyalty.health.rate-limited-threshold=30s",
        "zendesk.loyalty.health.fields-check-interval=1m").run(context -> {
          assertThat(context).hasNotFailed();
          ZendeskLoyaltyProperties properties = context.getBean(ZendeskLoyaltyProperties.class);
          assertThat(properties.getIdentity()).hasToString("EXTERNAL_ID");
          assertThat(properties.getMissingUsers()).hasToString("SKIP");
          assertThat(properties.getBatch().getMaxSize()).isEqualTo(50);
          assertThat(properties.getBatch().getMaxDelay()).isEqualTo(Duration.ofMillis(250));
          assertThat(properties.getBatch().getMaxPendingMembers()).isEqualTo(1000);
          assertThat(properties.getBatch().getBackpressure()).hasToString("FAIL");
          assertThat(properties.getRateLimits().getRequestsPerMinute()).isEqualTo(400);
          assertThat(properties.getRateLimits().getMaxConcurrentJobs()).isEqualTo(10);
          assertThat(properties.getRateLimits().getDefaultRetryAfter())
              .isEqualTo(Duration.ofSeconds(5));
          assertThat(properties.getRetry().getBaseDelay()).isEqualTo(Duration.ofMillis(100));
          assertThat(properties.getRetry().getMaxDelay()).isEqualTo(Duration.ofSeconds(2));
          assertThat(properties.getRetry().getMaxAttempts()).isEqualTo(3);
          assertThat(properties.getRetry().getDeadline()).isEqualTo(Duration.ofSeconds(20));
          assertThat(properties.getTimeouts().getRequest()).isEqualTo(Duration.ofSeconds(5));
          assertThat(properties.getTimeouts().getJob()).isEqualTo(Duration.ofMinutes(2));
          assertThat(properties.getTimeouts().getJobPollInterval())
              .isEqualTo(Duration.ofMillis(500));
          assertThat(properties.getTimeouts().getClose()).isEqualTo(Duration.ofSeconds(7));
          assertThat(properties.getHealth().getRateLimitedThreshold())
              .isEqualTo(Duration.ofSeconds(30));
          assertThat(properties.getHealth().getFieldsCheckInterval())
              .isEqualTo(Duration.ofMinutes(1));
          assertThat(properties.toString()).doesNotContain(FakeZendesk.OAUTH_CLIENT_SECRET);
        });
  }

  @Test
  void identityMissingUsersAndBatchSizeChangeWhatIsSent() {
    fake.addUser("Known", "known@example.com", "M-1");
    runner.withPropertyValues(account()).withPropertyValues(
        "zendesk.loyalty.identity=external-id", "zendesk.loyalty.missing-users=skip",
        "zendesk.loyalty.batch.max-size=2").run(context -> {
          ZendeskLoyaltySync sync = context.getBean(ZendeskLoyaltySync.class);
          var summary = sync.syncAll(List.of(member(1), member(2), member(3), member(4),
              member(5))).get(20, TimeUnit.SECONDS);
          assertThat(summary.updated()).isEqualTo(1);
          assertThat(summary.skippedNoUser()).isEqualTo(4);
          ZendeskAssertions.assertThat(fake).userWithExternalId("M-1").hasFieldsOf(member(1));
        });
  }

  @Test
  void retryMaxAttemptsIsHonoured() {
    fake.failNext(5, FakeEndpoint.CREATE_OR_UPDATE_USER, FakeFault.status(503));
    runner.withPropertyValues(account()).withPropertyValues(
        "zendesk.loyalty.retry.max-attempts=2", "zendesk.loyalty.retry.base-delay=1ms",
        "zendesk.loyalty.retry.max-delay=2ms").run(context -> {
          ZendeskLoyaltySync sync = context.getBean(ZendeskLoyaltySync.class);
          assertThat(sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED))
              .failsWithin(Duration.ofSeconds(10));
          assertThat(fake.requests(FakeEndpoint.CREATE_OR_UPDATE_USER)).hasSize(2);
        });
  }

  @Test
  void anApplicationsOwnSyncWinsAndIsLeftToIt() {
    runner.withPropertyValues(account())
        .withBean("mySync", ZendeskLoyaltySync.class, () -> fake.syncBuilder().build())
        .run(context -> {
          assertThat(context).hasSingleBean(ZendeskLoyaltySync.class)
              .doesNotHaveBean(ShutdownLifecycle.class);
          assertThat(context.getBean(ZendeskLoyaltySync.class))
              .isSameAs(context.getBean("mySync"));
        });
  }

  @Test
  void listenerBeansAndASchemaBeanAreUsed() {
    List<SyncResult> heard = new CopyOnWriteArrayList<>();
    FieldSchema schema = FieldSchema.builder().exclude(LoyaltyAttribute.PHONE).build();
    runner.withPropertyValues(account())
        .withBean(SyncListener.class, () -> new SyncListener() {
          @Override
          public void onSynced(SyncResult result) {
            heard.add(result);
          }
        })
        .withBean(FieldSchema.class, () -> schema)
        .run(context -> {
          ZendeskLoyaltySync sync = context.getBean(ZendeskLoyaltySync.class);
          sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED);
          sync.flush().get(10, TimeUnit.SECONDS);
          assertThat(heard).extracting(SyncResult::memberId).containsExactly("M-1");
        });
  }

  @Test
  void aSingleUserWriteSlotsBeanPacesSingleUserWrites() {
    List<Instant> reserved = new CopyOnWriteArrayList<>();
    SingleUserWriteSlots shared = SingleUserWriteSlots.inMemory();
    runner.withPropertyValues(account())
        .withBean(SingleUserWriteSlots.class, () -> (earliest, latest, spacing) -> {
          Optional<Instant> slot = shared.reserve(earliest, latest, spacing);
          slot.ifPresent(reserved::add);
          return slot;
        })
        .run(context -> {
          ZendeskLoyaltySync sync = context.getBean(ZendeskLoyaltySync.class);
          sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED);
          sync.flush().get(10, TimeUnit.SECONDS);
          assertThat(reserved).as("the lone member is written alone, in a slot of the bean's")
              .hasSize(1);
        });
  }

  @Test
  void metersWhenTheApplicationHasAMeterRegistry() {
    runner.withPropertyValues(account())
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
          assertThat(context).hasSingleBean(ZendeskLoyaltyMetrics.class);
          ZendeskLoyaltySync sync = context.getBean(ZendeskLoyaltySync.class);
          sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED);
          sync.flush().get(10, TimeUnit.SECONDS); // listeners hear after the future completes
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          assertThat(registry.get("zendesk.loyalty.outcomes").tag("outcome", "created")
              .counter().count()).isEqualTo(1);
          assertThat(registry.get("zendesk.loyalty.pending.members").gauge().value()).isZero();
        });
    runner.withPropertyValues(account())
        .run(context -> assertThat(context).doesNotHaveBean(ZendeskLoyaltyMetrics.class));
  }

  @Test
  void shutdownLogsTheReport(CapturedOutput output) {
    runner.withPropertyValues(account()).run(context -> context.getBean(ZendeskLoyaltySync.class)
        .onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED).get(10, TimeUnit.SECONDS));
    assertThat(output).contains("Zendesk loyalty sync stopped: every update was confirmed");

    fake.jobDuration(Duration.ofMinutes(10));
    runner.withPropertyValues(account()).withPropertyValues(
        "zendesk.loyalty.timeouts.close=200ms", "zendesk.loyalty.batch.max-delay=10ms")
        .run(context -> {
          ZendeskLoyaltySync sync = context.getBean(ZendeskLoyaltySync.class);
          sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED);
          sync.onPointsChanged(member(2), SyncTrigger.POINTS_AWARDED);
          sync.flush();
          ShutdownLifecycle lifecycle = context.getBean(ShutdownLifecycle.class);
          context.close();
          assertThat(lifecycle.report().unsentMemberIds()).containsExactlyInAnyOrder("M-1", "M-2");
        });
    assertThat(output).contains("Zendesk loyalty sync stopped with 2 members not confirmed");
  }

  @Test
  void theShutdownLogSaysWhenAnUpdateFailedEarlierThoughNothingWasPending(
      CapturedOutput output) {
    fake.failNext(1, FakeEndpoint.CREATE_OR_UPDATE_USER, FakeFault.status(422));
    runner.withPropertyValues(account()).run(context -> {
      ZendeskLoyaltySync sync = context.getBean(ZendeskLoyaltySync.class);
      // a member no other test writes: the fake's five writes a minute per user never interfere
      assertThat(sync.onPointsChanged(member(4711), SyncTrigger.POINTS_AWARDED))
          .failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(ZendeskValidationException.class);
      sync.flush().get(10, TimeUnit.SECONDS);
    });
    assertThat(output).contains("Zendesk loyalty sync stopped with nothing pending; 1 updates"
        + " failed earlier").doesNotContain("every update was confirmed");
  }

  @Test
  void theTokensAreMaskedInConfigpropsEvenWhenValuesAreShown() {
    runner.withPropertyValues(account()).run(context -> {
      ConfigurationPropertiesReportEndpoint endpoint = new ConfigurationPropertiesReportEndpoint(
          context.getBeanProvider(SanitizingFunction.class).orderedStream().toList(), Show.ALWAYS);
      endpoint.setApplicationContext(context);

      Map<String, Object> shown = endpoint.configurationPropertiesWithPrefix("zendesk.loyalty")
          .getContexts().values().iterator().next().getBeans().values().iterator().next()
          .getProperties();

      assertThat(shown).containsEntry("baseUri", fake.baseUri().toString());
      assertThat(shown.get("oauth").toString()).contains("clientSecret=******")
          .contains("clientId=" + FakeZendesk.OAUTH_CLIENT_ID);
      assertThat(shown.toString()).doesNotContain(FakeZendesk.OAUTH_CLIENT_SECRET);
    });
  }

  @Test
  void theTokensAreMaskedInEnvInEveryFormBootBindsEvenWhenValuesAreShown() {
    String token = "env-bound-api-token-s3cret";
    Map<String, Object> environment = Map.of("ZENDESK_LOYALTY_APITOKEN", token,
        "ZENDESK_LOYALTY_API_TOKEN", token, "ZENDESK_API_TOKEN", token,
        "SPRING_APPLICATION_JSON", "{\"zendesk\":{\"loyalty\":{\"x\":\"" + token + "\"}}}",
        "ZENDESK_LOYALTY_EMAIL", FakeZendesk.ADMIN_EMAIL, "MY_APP_OAUTH_TOKEN", "other-oauth");
    runner.withPropertyValues("zendesk.loyalty.base-uri=" + fake.baseUri(),
        "zendesk.loyalty.fields-on-startup=none")
        .withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
            new SystemEnvironmentPropertySource("systemEnvironment-test", environment)))
        .run(context -> {
          assertThat(context.getBean(ZendeskLoyaltyProperties.class).getApiToken())
              .as("bound from ZENDESK_LOYALTY_APITOKEN").isEqualTo(token);
          EnvironmentEndpoint endpoint = new EnvironmentEndpoint(context.getEnvironment(),
              context.getBeanProvider(SanitizingFunction.class).orderedStream().toList(),
              Show.ALWAYS);

          Map<String, Object> shown = new TreeMap<>();
          endpoint.environment(null).getPropertySources().forEach(source -> source
              .getProperties().forEach((key, value) -> shown.put(key, value.getValue())));

          assertThat(shown).containsEntry("ZENDESK_LOYALTY_APITOKEN", "******")
              .containsEntry("ZENDESK_LOYALTY_API_TOKEN", "******")
              .containsEntry("ZENDESK_API_TOKEN", "******")
              .containsEntry("SPRING_APPLICATION_JSON", "******")
              .containsEntry("MY_APP_OAUTH_TOKEN", "******")
              .containsEntry("ZENDESK_LOYALTY_EMAIL", FakeZendesk.ADMIN_EMAIL);
          assertThat(shown.toString()).doesNotContain(token);
        });
  }

  @Test
  void aTextFieldOfAnotherTypeStopsTheStartNamingIt() {
    fake.reset();
    fake.addUserField("zrl_member_available_points", ZendeskFieldType.TEXT, true);
    runner.withPropertyValues(account()).withPropertyValues(
        "zendesk.loyalty.fields-on-startup=ensure").run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(
              "zrl_member_available_points is text, should be decimal");
        });
  }
}
