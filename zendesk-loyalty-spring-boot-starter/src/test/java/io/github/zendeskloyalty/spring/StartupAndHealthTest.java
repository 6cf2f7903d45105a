package io.github.zendeskloyalty.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.client.ZendeskOperation;
import io.github.zendeskloyalty.core.SyncTrigger;
import io.github.zendeskloyalty.spring.internal.SyncHealth;
import io.github.zendeskloyalty.testkit.FakeEndpoint;
import io.github.zendeskloyalty.testkit.FakeFault;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import io.github.zendeskloyalty.testkit.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.system.CapturedOutput;

class StartupAndHealthTest extends StarterTestBase {

  /** Every message of the startup failure's chain, outermost first. */
  private static String failure(AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    StringBuilder messages = new StringBuilder();
    for (Throwable cause = context.getStartupFailure(); cause != null; cause = cause.getCause()) {
      messages.append(cause.getMessage()).append('\n');
    }
    return messages.toString();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "zendesk.loyalty.email=x                                   | zendesk.loyalty.subdomain is not set",
      "zendesk.loyalty.subdomain=acme                            | zendesk.loyalty.oauth.client-id is not set",
      "zendesk.loyalty.subdomain=acme,zendesk.loyalty.oauth.client-id=c | zendesk.loyalty.oauth.client-secret is not set",
      "zendesk.loyalty.subdomain=acme,zendesk.loyalty.oauth.client-id=c,zendesk.loyalty.oauth.client-secret=s,zendesk.loyalty.oauth.encryption-key=c2hvcnQ= | zendesk.loyalty.oauth.encryption-key is wrong: an AES key has 16 or 32 bytes: 5",
      "zendesk.loyalty.subdomain=acme,zendesk.loyalty.oauth.client-id=c,zendesk.loyalty.oauth.client-secret=s,zendesk.loyalty.oauth.scopes=read write | zendesk.loyalty.oauth.scopes is wrong",
      "zendesk.loyalty.subdomain=acme,zendesk.loyalty.api-token=t | zendesk.loyalty.email is not set",
      "zendesk.loyalty.subdomain=-acme,zendesk.loyalty.oauth-token=t | zendesk.loyalty.subdomain is wrong",
      "zendesk.loyalty.subdomain=acme,zendesk.loyalty.oauth-token=t,zendesk.loyalty.batch.max-size=500 | zendesk.loyalty.batch.max-size is wrong",
      "zendesk.loyalty.subdomain=acme,zendesk.loyalty.oauth-token=t,zendesk.loyalty.retry.max-attempts=0 | zendesk.loyalty.retry.max-attempts is wrong",
      "zendesk.loyalty.subdomain=acme,zendesk.loyalty.oauth-token=t,zendesk.loyalty.api-token=u | not several",
      "zendesk.loyalty.subdomain=acme,zendesk.loyalty.oauth.client-id=c,zendesk.loyalty.api-token=u | not several"})
  void missingOrWrongSettingsStopTheStartNamingTheProperty(String properties, String message) {
    runner.withPropertyValues(properties.strip().split(","))
        .withPropertyValues("zendesk.loyalty.fields-on-startup=none")
        .run(context -> assertThat(failure(context)).contains(message));
  }

  /** The legacy API token's properties, pointing at the fake. */
  private String[] apiTokenAccount() {
    return new String[] {"zendesk.loyalty.base-uri=" + fake.baseUri(),
        "zendesk.loyalty.email=" + FakeZendesk.ADMIN_EMAIL,
        "zendesk.loyalty.api-token=" + FakeZendesk.ADMIN_API_TOKEN};
  }

  @Test
  void aWrongClientSecretStopsTheStartNamingTheOAuthPropertiesNeverTheSecret(
      CapturedOutput output) {
    runner.withPropertyValues(account()).withPropertyValues(
        "zendesk.loyalty.oauth.client-secret=wrong-secret-s3cret").run(context -> {
          assertThat(failure(context)).contains("Zendesk refused the credentials in"
              + " zendesk.loyalty.oauth.client-id and zendesk.loyalty.oauth.client-secret")
              .contains("invalid_client").doesNotContain("wrong-secret-s3cret");
        });
    assertThat(output).doesNotContain("wrong-secret-s3cret");
  }

  @Test
  void needsReconnectIsDownWithWhatToDoAndUpAgainOnceAWriteGoesThroughAfterReconnecting() {
    runner.withPropertyValues(account()).run(context -> {
      ZendeskLoyaltySync sync = context.getBean(ZendeskLoyaltySync.class);
      ZendeskLoyaltyHealth indicator = context.getBean(ZendeskLoyaltyHealth.class);
      ZendeskLoyaltyHealth.Report up = indicator.check();
      assertThat(up.status()).as(up.details().toString()).isEqualTo(ZendeskLoyaltyHealth.UP);
      assertThat(up.details()).containsEntry("credentials", "CLIENT_CREDENTIALS")
          .containsKey("accessTokenExpiresAt");
      assertThat(up.toString()).doesNotContainPattern("fake-oauth-\\d");

      fake.deleteOAuthClient(FakeZendesk.OAUTH_CLIENT_ID); // the admin removed the integration
      fake.revokeOAuthTokens();
      sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED);
      sync.flush().get(10, TimeUnit.SECONDS);
      ZendeskLoyaltyHealth.Report down = indicator.check();
      assertThat(down.status()).isEqualTo(ZendeskLoyaltyHealth.DOWN);
      assertThat(down.details().get("reason").toString()).contains("need reconnecting")
          .contains("check the OAuth client " + FakeZendesk.OAUTH_CLIENT_ID);

      fake.addOAuthClient(FakeZendesk.OAUTH_CLIENT_ID, FakeZendesk.OAUTH_CLIENT_SECRET);
      sync.credentials().reconnect();
      sync.onPointsChanged(member(2), SyncTrigger.POINTS_AWARDED);
      sync.flush().get(10, TimeUnit.SECONDS);
      ZendeskLoyaltyHealth.Report again = indicator.check();
      assertThat(again.status()).as(again.details().toString()).isEqualTo(ZendeskLoyaltyHealth.UP);
    });
  }

  @Test
  void anApiTokenShowsTheDaysItHasLeft() {
    runner.withPropertyValues(apiTokenAccount()).run(context -> assertThat(
        context.getBean(ZendeskLoyaltyHealth.class).check().details())
        .containsEntry("credentials", "API_TOKEN").containsKey("apiTokenDaysLeft"));
  }

  @Test
  void refusedCredentialsStopTheStartNamingThePropertiesNeverTheToken(CapturedOutput output) {
    runner.withPropertyValues(apiTokenAccount()).withPropertyValues(
        "zendesk.loyalty.api-token=revoked-token-s3cret").run(context -> {
          assertThat(failure(context)).contains(
              "Zendesk refused the credentials in zendesk.loyalty.email and"
                  + " zendesk.loyalty.api-token (HTTP 401)").doesNotContain("revoked-token-s3cret");
        });
    assertThat(output).doesNotContain("revoked-token-s3cret");
  }

  @Test
  void ensureWithAnAgentsTokenSaysAnAdminIsNeeded() {
    fake.reset();
    runner.withPropertyValues("zendesk.loyalty.base-uri=" + fake.baseUri(),
        "zendesk.loyalty.email=" + FakeZendesk.AGENT_EMAIL,
        "zendesk.loyalty.api-token=" + FakeZendesk.AGENT_API_TOKEN,
        "zendesk.loyalty.fields-on-startup=ensure")
        .run(context -> assertThat(failure(context)).contains("needs an admin's credentials"));
  }

  @Test
  void fieldsOnStartupVerifyEnsureAndNone() {
    fake.reset();
    runner.withPropertyValues(account())
        .run(context -> assertThat(failure(context)).contains(
            "zendesk.loyalty.fields-on-startup=verify: the Zendesk user fields are not ready.",
            "Missing: zrl_member_available_points,", "fields-on-startup=ensure"));
    fake.reset();
    runner.withPropertyValues(account()).withPropertyValues(
        "zendesk.loyalty.fields-on-startup=none").run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(fake.requests()).isEmpty();
        });
    runner.withPropertyValues(account()).withPropertyValues(
        "zendesk.loyalty.fields-on-startup=ensure").run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(fake.userFields()).hasSize(21);
        });
  }

  @Test
  void zendeskUnavailableAtStartupDoesNotStopTheStartAndHealthShowsIt(CapturedOutput output) {
    fake.failNext(20, FakeEndpoint.LIST_USER_FIELDS, FakeFault.status(503));
    runner.withPropertyValues(account()).withPropertyValues(
        "zendesk.loyalty.retry.max-attempts=2", "zendesk.loyalty.retry.base-delay=1ms",
        "zendesk.loyalty.retry.max-delay=2ms").run(context -> {
          assertThat(context).hasNotFailed();
          ZendeskLoyaltyHealth.Report health = context.getBean(ZendeskLoyaltyHealth.class).check();
          assertThat(health.details()).containsEntry("lastError", "ZendeskServerException");
        });
    assertThat(output).contains("Could not check the Zendesk user fields at startup");
  }

  @Test
  void upWithDetailsAndNoSecrets() {
    runner.withPropertyValues(account()).run(context -> {
      ZendeskLoyaltyHealth.Report health = context.getBean(ZendeskLoyaltyHealth.class).check();
      assertThat(health.status()).isEqualTo(ZendeskLoyaltyHealth.UP);
      assertThat(health.details()).containsEntry("pendingMembers", 0)
          .containsEntry("runningJobs", 0).containsEntry("fields", "21 present");
      assertThat(health.toString()).doesNotContain(FakeZendesk.ADMIN_API_TOKEN)
          .doesNotContain(FakeZendesk.ADMIN_EMAIL);
    });
  }

  @Test
  void downOnAnAuthenticationFailureUntilAWriteSucceedsAgain() {
    runner.withPropertyValues(apiTokenAccount()).run(context -> { // OAuth renews on a 401
      ZendeskLoyaltySync sync = context.getBean(ZendeskLoyaltySync.class);
      fake.failNext(1, FakeEndpoint.CREATE_OR_UPDATE_USER, FakeFault.status(401));
      sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED);
      sync.flush().get(10, TimeUnit.SECONDS);
      ZendeskLoyaltyHealth indicator = context.getBean(ZendeskLoyaltyHealth.class);

      ZendeskLoyaltyHealth.Report down = indicator.check();
      assertThat(down.status()).isEqualTo(ZendeskLoyaltyHealth.DOWN);
      assertThat(down.details()).containsEntry("lastError", "ZendeskAuthenticationException");
      assertThat(down.details().get("reason").toString()).contains("refused the credentials");

      sync.onPointsChanged(member(2), SyncTrigger.POINTS_AWARDED);
      sync.flush().get(10, TimeUnit.SECONDS);
      assertThat(indicator.check().status()).isEqualTo(ZendeskLoyaltyHealth.UP);
    });
  }

  @Test
  void downWhenFieldsGoMissingSeenAtTheNextFieldCheck() {
    ManualClock clock = new ManualClock();
    runner.withPropertyValues(account()).withBean(Clock.class, () -> clock).run(context -> {
      ZendeskLoyaltyHealth indicator = context.getBean(ZendeskLoyaltyHealth.class);
      assertThat(indicator.check().status()).isEqualTo(ZendeskLoyaltyHealth.UP);

      fake.reset(); // an admin deleted the fields
      assertThat(indicator.check().status()).as("checked at most every 10 minutes")
          .isEqualTo(ZendeskLoyaltyHealth.UP);
      clock.advance(Duration.ofMinutes(11));
      ZendeskLoyaltyHealth.Report down = indicator.check();

      assertThat(down.status()).isEqualTo(ZendeskLoyaltyHealth.DOWN);
      assertThat((Iterable<?>) down.details().get("fieldsMissing")).hasSize(21);
    });
  }

  @Test
  void outOfServiceWhileZendeskAsksToWaitLongerThanTheThreshold() {
    ManualClock clock = new ManualClock();
    runner.withPropertyValues(account()).withPropertyValues(
        "zendesk.loyalty.health.rate-limited-threshold=30s")
        .withBean(Clock.class, () -> clock).run(context -> {
          SyncHealth heard = context.getBean(SyncHealth.class);
          ZendeskLoyaltyHealth indicator = context.getBean(ZendeskLoyaltyHealth.class);

          heard.onRateLimited(ZendeskOperation.CREATE_OR_UPDATE_USER, Duration.ofSeconds(20));
          assertThat(indicator.check().status()).isEqualTo(ZendeskLoyaltyHealth.UP);
          heard.onRateLimited(ZendeskOperation.CREATE_OR_UPDATE_USER, Duration.ofMinutes(2));
          ZendeskLoyaltyHealth.Report limited = indicator.check();
          assertThat(limited.status()).isEqualTo(ZendeskLoyaltyHealth.OUT_OF_SERVICE);
          assertThat(limited.details()).containsKey("rateLimitedUntil");
          clock.advance(Duration.ofSeconds(100));
          assertThat(indicator.check().status()).isEqualTo(ZendeskLoyaltyHealth.UP);
        });
  }

  @Test
  void theHealthIndicatorCanBeTurnedOff() {
    runner.withPropertyValues(account())
        .withPropertyValues("management.health.zendesk-loyalty.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(ZendeskLoyaltyHealth.class)
            .doesNotHaveBean("zendeskLoyaltyHealthIndicator"));
  }

  @Test
  void theSyncHealthHearsTheSdk() {
    runner.withPropertyValues(account()).run(context -> {
      fake.failNext(1, FakeEndpoint.CREATE_OR_UPDATE_USER,
          FakeFault.tooManyRequests(Duration.ofSeconds(1)));
      ZendeskLoyaltySync sync = context.getBean(ZendeskLoyaltySync.class);
      sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED);
      sync.flush().get(10, TimeUnit.SECONDS);
      assertThat(context.getBean(SyncHealth.class).rateLimitedUntil()).isNotNull();
    });
  }
}
