package io.github.zendeskloyalty.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zendeskloyalty.client.OAuthAuthorization;
import io.github.zendeskloyalty.client.OAuthTokenStore;
import io.github.zendeskloyalty.client.OAuthTokens;
import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.ZendeskAuthenticationException;
import io.github.zendeskloyalty.client.ZendeskCredentials;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * OAuth credentials through their whole life against the fake's token endpoint, on its manual
 * clock: client credentials renewed before expiry over hours of updates, a revoked grant putting
 * the account in needs-reconnect and a new authorization taking it out without a restart, the
 * authorization code with PKCE, the API token's retirement notice, and no secret anywhere.
 */
class OAuthEndToEndTest {

  private static final URI CALLBACK = URI.create("http://127.0.0.1:8765/callback");
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T09:00:00Z"));

  private FakeZendesk fake(Duration accessLifetime) {
    return FakeZendesk.builder().clock(clock).provisioned(FieldSchema.standard())
        .requestsPerMinute(100_000).journalSize(100_000)
        .oauthTokenLifetimes(accessLifetime, Duration.ofDays(30)).start();
  }

  private LoyaltyMember member(int n, long points) {
    return LoyaltyMember.builder().memberId("M-" + n).email("member" + n + "@example.com")
        .availablePoints(BigDecimal.valueOf(points)).lastModifiedDate(clock.instant()).build();
  }

  private static OAuthTokens connect(FakeZendesk fake) throws InterruptedException {
    OAuthAuthorization authorization = OAuthAuthorization.start(fake.baseUri(),
        FakeZendesk.OAUTH_CLIENT_ID, CALLBACK, List.of("read", "write"));
    return authorization.exchange(fake.authorize(authorization.uri()),
        FakeZendesk.OAUTH_CLIENT_SECRET, HttpClient.newHttpClient());
  }

  @Test
  void tenThousandUpdatesOverThreeHoursWithFiveMinuteTokensRenewAheadOfExpiry()
      throws Exception {
    try (FakeZendesk fake = fake(Duration.ofMinutes(5));
         ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
      Instant start = clock.instant();
      int failed = 0;
      for (int round = 0; round < 100; round++) {
        List<CompletableFuture<SyncResult>> results = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          results.add(sync.onPointsChanged(member(round * 100 + i, round),
              SyncTrigger.POINTS_AWARDED));
        }
        sync.flush().get(30, TimeUnit.SECONDS);
        for (CompletableFuture<SyncResult> result : results) {
          failed += result.isCompletedExceptionally() ? 1 : 0;
        }
        clock.advance(Duration.ofSeconds(108)); // 100 rounds: three hours
      }

      assertThat(Duration.between(start, clock.instant())).isGreaterThanOrEqualTo(
          Duration.ofHours(3));
      assertThat(failed).as("failed updates").isZero();
      assertThat(fake.users()).hasSize(10_000);
      assertThat(fake.requests()).as("calls answered 401: renewed ahead, never after")
          .noneMatch(request -> request.status() == 401);
      assertThat(fake.oauthTokensIssued("CLIENT_CREDENTIALS"))
          .as("tokens for three hours of 5-minute tokens, renewed at the first call within"
              + " 15 s of expiry (every 108 s here: each after 324 s)").isBetween(33, 37);
      assertThat(sync.toString()).doesNotContainPattern("fake-oauth-\\d");
    }
  }

  @Test
  void aRevokedGrantNeedsReconnectWithinOneCallAndANewAuthorizationEndsItWithoutARestart()
      throws Exception {
    try (FakeZendesk fake = fake(Duration.ofMinutes(30))) {
      ZendeskCredentials credentials = ZendeskCredentials.oauthRefreshToken(
          FakeZendesk.OAUTH_CLIENT_ID, FakeZendesk.OAUTH_CLIENT_SECRET, connect(fake)).build();
      List<ZendeskAuthenticationException> heard = new CopyOnWriteArrayList<>();
      try (ZendeskLoyaltySync sync = fake.syncBuilder().credentials(credentials)
          .listener(new SyncListener() {
            @Override
            public void onCredentialsNeedReconnect(ZendeskAuthenticationException failure) {
              heard.add(failure);
            }
          }).build()) {
        sync.onPointsChanged(member(1, 10), SyncTrigger.POINTS_AWARDED);
        sync.flush().get(30, TimeUnit.SECONDS);
        assertThat(fake.user("member1@example.com")).isPresent();

        fake.revokeOAuthTokens(); // the customer revoked the integration's access
        CompletableFuture<SyncResult> first = sync.onPointsChanged(member(2, 20),
            SyncTrigger.POINTS_AWARDED);
        sync.flush().get(30, TimeUnit.SECONDS);
        assertThat(failure(first)).isInstanceOf(ZendeskAuthenticationException.class)
            .hasMessageContaining("need reconnecting").hasMessageContaining("connect the"
                + " account again").hasMessageNotContaining("fake-oauth-").hasMessageNotContaining("fake-refresh-");
        assertThat(heard).as("the listener hears it once").hasSize(1);
        assertThat(credentials.status().needsReconnect()).isPresent();

        int calls = fake.requests().size();
        List<CompletableFuture<SyncResult>> meanwhile = new ArrayList<>();
        for (int n = 3; n < 8; n++) {
          meanwhile.add(sync.onPointsChanged(member(n, n), SyncTrigger.POINTS_AWARDED));
        }
        sync.flush().get(30, TimeUnit.SECONDS);
        assertThat(meanwhile).allSatisfy(update -> assertThat(failure(update))
            .isInstanceOf(ZendeskAuthenticationException.class));
        assertThat(fake.requests()).as("failed at once, without a call").hasSize(calls);

        credentials.reconnect(connect(fake)); // the admin connected the account again
        CompletableFuture<SyncResult> after = sync.onPointsChanged(member(9, 90),
            SyncTrigger.POINTS_AWARDED);
        sync.flush().get(30, TimeUnit.SECONDS);
        assertThat(after.get().outcome()).isEqualTo(SyncResult.Outcome.CREATED);
        assertThat(credentials.status().needsReconnect()).isEmpty();
        assertThat(heard).hasSize(1);
      }
    }
  }

  @Test
  void aDeletedClientNeedsReconnectNamingItAndReconnectRunsTheGrantAgain() throws Exception {
    try (FakeZendesk fake = fake(Duration.ofMinutes(30))) {
      ZendeskCredentials credentials = fake.credentials();
      try (ZendeskLoyaltySync sync = fake.syncBuilder().credentials(credentials).build()) {
        fake.deleteOAuthClient(FakeZendesk.OAUTH_CLIENT_ID);
        CompletableFuture<SyncResult> refused = sync.onPointsChanged(member(1, 1),
            SyncTrigger.POINTS_AWARDED);
        sync.flush().get(30, TimeUnit.SECONDS);
        assertThat(failure(refused)).isInstanceOf(ZendeskAuthenticationException.class)
            .hasMessageContaining("invalid_client")
            .hasMessageContaining("check the OAuth client " + FakeZendesk.OAUTH_CLIENT_ID)
            .hasMessageNotContaining(FakeZendesk.OAUTH_CLIENT_SECRET);

        fake.addOAuthClient(FakeZendesk.OAUTH_CLIENT_ID, FakeZendesk.OAUTH_CLIENT_SECRET);
        credentials.reconnect();
        CompletableFuture<SyncResult> after = sync.onPointsChanged(member(2, 2),
            SyncTrigger.POINTS_AWARDED);
        sync.flush().get(30, TimeUnit.SECONDS);
        assertThat(after.get().outcome()).isEqualTo(SyncResult.Outcome.CREATED);
      }
    }
  }

  @Test
  void aTokenThatExpiredInUseIsRenewedAndTheCallRetriedOnceNotCountedAgainstTheMember()
      throws Exception {
    try (FakeZendesk fake = fake(Duration.ofMinutes(30));
         ZendeskLoyaltySync sync = fake.syncBuilder()
             .retryPolicy(io.github.zendeskloyalty.client.RetryPolicy.builder().maxAttempts(1)
                 .build()).build()) {
      sync.onPointsChanged(member(1, 1), SyncTrigger.POINTS_AWARDED);
      sync.flush().get(30, TimeUnit.SECONDS);
      fake.revokeOAuthTokens(); // client credentials: a new grant works

      CompletableFuture<SyncResult> next = sync.onPointsChanged(member(2, 2),
          SyncTrigger.POINTS_AWARDED);
      sync.flush().get(30, TimeUnit.SECONDS);
      assertThat(next.get().outcome()).as("one attempt allowed, and the 401 did not use it")
          .isEqualTo(SyncResult.Outcome.CREATED);
      assertThat(fake.requests(FakeEndpoint.OAUTH_TOKENS)).hasSize(2);
    }
  }

  @Test
  void aTokenAnswerWithoutAnAccessTokenIsNotAToken() throws Exception {
    try (FakeZendesk fake = fake(Duration.ofMinutes(30));
         ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
      fake.failNext(2, FakeEndpoint.OAUTH_TOKENS, FakeFault.garbledAnswer(FakeFault.Garbling.HTML));
      CompletableFuture<SyncResult> result = sync.onPointsChanged(member(1, 1),
          SyncTrigger.POINTS_AWARDED);
      sync.flush().get(30, TimeUnit.SECONDS);
      assertThat(result.get().outcome()).isEqualTo(SyncResult.Outcome.CREATED);
      assertThat(fake.requests(FakeEndpoint.OAUTH_TOKENS)).extracting(RecordedRequest::status)
          .containsExactly(200, 200, 200);
    }
  }

  @Test
  void theAuthorizationCodeChecksStateDenialAndVerifier() throws Exception {
    try (FakeZendesk fake = fake(Duration.ofMinutes(30))) {
      OAuthAuthorization authorization = OAuthAuthorization.start(fake.baseUri(),
          FakeZendesk.OAUTH_PUBLIC_CLIENT_ID, CALLBACK, List.of("read", "write"));
      assertThat(authorization.uri().getQuery()).contains("code_challenge_method=S256")
          .contains("state=" + authorization.state()).doesNotContain(authorization.codeVerifier());
      HttpClient http = HttpClient.newHttpClient();

      URI denied = fake.denyAuthorization(authorization.uri());
      assertThatThrownBy(() -> authorization.exchange(denied, null, http))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("access_denied");
      URI forged = URI.create(CALLBACK + "?code=stolen&state=guess");
      assertThatThrownBy(() -> authorization.exchange(forged, null, http))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("state");

      URI callback = fake.authorize(authorization.uri());
      OAuthAuthorization otherVerifier = OAuthAuthorization.resume(fake.baseUri(),
          FakeZendesk.OAUTH_PUBLIC_CLIENT_ID, CALLBACK, List.of("read", "write"),
          authorization.state(), "x".repeat(43));
      assertThatThrownBy(() -> otherVerifier.exchange(callback, null, http))
          .isInstanceOf(ZendeskAuthenticationException.class).hasMessageContaining("invalid_grant");

      URI again = fake.authorize(authorization.uri());
      OAuthTokens tokens = authorization.exchange(again, null, http);
      assertThat(tokens.refreshTokenIfAny()).isPresent();
      assertThat(tokens.toString()).doesNotContain(tokens.accessToken())
          .doesNotContain(tokens.refreshToken());
      clock.advance(Duration.ofSeconds(121));
      URI late = fake.authorize(authorization.uri());
      clock.advance(Duration.ofSeconds(121));
      assertThatThrownBy(() -> authorization.exchange(late, null, http))
          .as("a code is valid for 120 seconds").isInstanceOf(ZendeskAuthenticationException.class);
    }
  }

  @Test
  void thePairIsSealedInTheStoreAndAnotherKeyIsAFailureNotAnAbsence() throws Exception {
    try (FakeZendesk fake = fake(Duration.ofMinutes(30))) {
      OAuthTokenStore store = OAuthTokenStore.inMemory();
      ZendeskCredentials sealed = ZendeskCredentials.oauthClientCredentials(
          FakeZendesk.OAUTH_CLIENT_ID, FakeZendesk.OAUTH_CLIENT_SECRET).tokenStore(store)
          .storeKey("acme").encryptionKey(new SecretKeySpec(new byte[16], "AES")).build();
      try (ZendeskLoyaltySync sync = fake.syncBuilder().credentials(sealed).build()) {
        sync.onPointsChanged(member(1, 1), SyncTrigger.POINTS_AWARDED);
        sync.flush().get(30, TimeUnit.SECONDS);
      }
      String stored = store.read("acme").orElseThrow().value();
      assertThat(stored).startsWith("aes-gcm:").doesNotContainPattern("fake-oauth-\\d");

      byte[] other = new byte[16];
      other[0] = 1;
      ZendeskCredentials otherKey = ZendeskCredentials.oauthClientCredentials(
          FakeZendesk.OAUTH_CLIENT_ID, FakeZendesk.OAUTH_CLIENT_SECRET).tokenStore(store)
          .storeKey("acme").encryptionKey(new SecretKeySpec(other, "AES")).build();
      try (Captured log = new Captured();
           ZendeskLoyaltySync sync = fake.syncBuilder().credentials(otherKey).build()) {
        CompletableFuture<SyncResult> result = sync.onPointsChanged(member(2, 2),
            SyncTrigger.POINTS_AWARDED);
        sync.flush().get(30, TimeUnit.SECONDS);
        assertThat(result.get().outcome()).as("it renews on its own").isEqualTo(
            SyncResult.Outcome.CREATED);
        assertThat(log.warnings).anySatisfy(line -> assertThat(line)
            .contains("token store failed"));
      }
    }
  }

  @Test
  void anApiTokenSaysOnceWhenItStopsWorking() throws Exception {
    try (FakeZendesk fake = fake(Duration.ofMinutes(30)); Captured log = new Captured()) {
      ZendeskCredentials legacy = fake.apiTokenCredentials();
      try (ZendeskLoyaltySync first = fake.syncBuilder().credentials(legacy).build();
           ZendeskLoyaltySync second = fake.syncBuilder().credentials(legacy).build()) {
        assertThat(first).as("two syncs").isNotSameAs(second);
        assertThat(log.warnings).singleElement().satisfies(line -> assertThat(line)
            .contains("stop working on 2027-04-30").contains("oauthClientCredentials")
            .doesNotContain(FakeZendesk.ADMIN_API_TOKEN));
      }
      assertThat(legacy.status().apiTokenDaysLeft(LocalDate.parse("2026-12-07"))).contains(144L);
      assertThat(legacy.kind()).isEqualTo(ZendeskCredentials.Kind.API_TOKEN);
      assertThat(fake.credentials().status().apiTokenRetiresOn()).isEmpty();
    }
  }

  private static Throwable failure(CompletableFuture<SyncResult> future) {
    try {
      future.get(30, TimeUnit.SECONDS);
      throw new AssertionError("expected the update to fail");
    } catch (ExecutionException failed) {
      return failed.getCause();
    } catch (Exception other) {
      throw new AssertionError(other);
    }
  }

  /** The SDK's WARNING lines, formatted. */
  private static final class Captured extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger("io.github.zendeskloyalty.client");
    final List<String> warnings = new CopyOnWriteArrayList<>();

    Captured() {
      logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
      if (record.getLevel() == Level.WARNING) {
        warnings.add(record.getMessage());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      logger.removeHandler(this);
    }
  }
}
