package io.github.zendeskloyalty.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zendeskloyalty.client.OAuthAuthorization;
import io.github.zendeskloyalty.client.OAuthTokenStore;
import io.github.zendeskloyalty.client.OAuthTokens;
import io.github.zendeskloyalty.client.ZendeskAuthenticationException;
import io.github.zendeskloyalty.client.ZendeskCredentials;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pod killed with SIGKILL in the middle of a renewal, after Zendesk answered: a second JVM
 * shares the account's token store (a file) with this one, renews on a 401, and is killed just
 * before or just after it writes the new pair. What this instance does next is the answer.
 */
class OAuthPodKillTest {

  private static final String BEFORE_WRITE = "before-write";
  private static final String AFTER_WRITE = "after-write";

  // the pods share the wall clock, as pods of one account do; this one moves it on by hand
  private final ManualClock clock = new ManualClock(Instant.now());
  private FakeZendesk fake;
  @TempDir
  Path dir;

  @BeforeEach
  void start() {
    fake = FakeZendesk.builder().clock(clock).provisioned(FieldSchema.standard()).start();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private ZendeskLoyaltySync survivor(ZendeskCredentials credentials) {
    return ZendeskLoyaltySync.builder().baseUri(fake.baseUri()).credentials(credentials)
        .clock(clock).sleeper(clock).build();
  }

  private OAuthTokens connect() throws InterruptedException {
    OAuthAuthorization authorization = OAuthAuthorization.start(fake.baseUri(),
        FakeZendesk.OAUTH_CLIENT_ID, URI.create("http://127.0.0.1:8765/callback"),
        List.of("read", "write"));
    return authorization.exchange(fake.authorize(authorization.uri()),
        FakeZendesk.OAUTH_CLIENT_SECRET, HttpClient.newHttpClient());
  }

  /**
   * Starts the other pod, lets it meet the store, moves both pods' clocks and the fake's past
   * every token's expiry, makes the pod renew, and kills it (SIGKILL) at {@code phase}.
   */
  private void killMidRenewal(Path store, String grant, String phase) throws Exception {
    Process pod = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), Pod.class.getName(),
        fake.baseUri().toString(), store.toString(), grant, phase)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(pod.getInputStream(),
          StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("ready");
      clock.advance(Duration.ofMinutes(31)); // every access token expired
      PrintWriter in = new PrintWriter(pod.getOutputStream(), true, StandardCharsets.UTF_8);
      in.println(Duration.ofMinutes(31).toMillis()); // the pod's clock moves on likewise
      assertThat(out.readLine()).isEqualTo("kill me");
      pod.destroyForcibly(); // SIGKILL, mid-renewal
      assertThat(pod.waitFor(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      pod.destroyForcibly();
    }
  }

  @Test
  void clientCredentialsKilledBeforeTheStoreWriteAreRecoveredByANewGrant() throws Exception {
    Path store = dir.resolve("tokens.json");
    ZendeskCredentials credentials = ZendeskCredentials.oauthClientCredentials(
        FakeZendesk.OAUTH_CLIENT_ID, FakeZendesk.OAUTH_CLIENT_SECRET)
        .tokenStore(OAuthTokenStore.file(store)).build();
    try (ZendeskLoyaltySync sync = survivor(credentials)) {
      sync.currentUser();
      killMidRenewal(store, "client", BEFORE_WRITE);
      int granted = fake.oauthTokensIssued("CLIENT_CREDENTIALS");

      assertThat(sync.currentUser().isAdmin()).as("after the killed pod's lease ran out").isTrue();
      assertThat(fake.oauthTokensIssued("CLIENT_CREDENTIALS")).isEqualTo(granted + 1);
      assertThat(credentials.status().needsReconnect()).isEmpty();
    }
  }

  @Test
  void aRefreshTokenKilledAfterTheStoreWriteIsAdoptedWithoutAnotherRefresh() throws Exception {
    Path store = dir.resolve("tokens.json");
    ZendeskCredentials credentials = ZendeskCredentials.oauthRefreshToken(
        FakeZendesk.OAUTH_CLIENT_ID, FakeZendesk.OAUTH_CLIENT_SECRET, connect())
        .tokenStore(OAuthTokenStore.file(store)).build();
    try (ZendeskLoyaltySync sync = survivor(credentials)) {
      sync.currentUser(); // seeds the empty store with the pair
      killMidRenewal(store, "refresh", AFTER_WRITE);

      assertThat(sync.currentUser().isAdmin()).isTrue();
      assertThat(fake.oauthTokensIssued("REFRESH_TOKEN")).as("only the killed pod's").isEqualTo(1);
      assertThat(credentials.status().needsReconnect()).isEmpty();
    }
  }

  @Test
  void aRefreshTokenKilledBeforeTheStoreWriteNeedsReconnectingAndSaysSo() throws Exception {
    Path store = dir.resolve("tokens.json");
    ZendeskCredentials credentials = ZendeskCredentials.oauthRefreshToken(
        FakeZendesk.OAUTH_CLIENT_ID, FakeZendesk.OAUTH_CLIENT_SECRET, connect())
        .tokenStore(OAuthTokenStore.file(store)).build();
    try (ZendeskLoyaltySync sync = survivor(credentials)) {
      sync.currentUser();
      killMidRenewal(store, "refresh", BEFORE_WRITE);

      // the rotated pair died with the pod; the one in the store was invalidated by the refresh
      assertThatThrownBy(sync::currentUser).isInstanceOf(ZendeskAuthenticationException.class)
          .hasMessageContaining("need reconnecting").hasMessageContaining("reconnect(tokens)");

      credentials.reconnect(connect());
      assertThat(sync.currentUser().isAdmin()).as("reconnected without a restart").isTrue();
    }
  }

  /** The other pod: renews when told the time moved, and stops dead at the store write. */
  public static final class Pod {
    public static void main(String[] args) throws Exception {
      String phase = args[3];
      OAuthTokenStore file = OAuthTokenStore.file(Path.of(args[1]));
      OAuthTokenStore store = new OAuthTokenStore() {
        @Override
        public Optional<Stored> read(String key) {
          return file.read(key);
        }

        @Override
        public Optional<Long> write(String key, long expectedVersion, String value) {
          if (phase.equals(BEFORE_WRITE)) {
            hang();
          }
          Optional<Long> written = file.write(key, expectedVersion, value);
          hang();
          return written;
        }

        @Override
        public boolean tryLease(String key, String owner, Duration ttl) {
          return file.tryLease(key, owner, ttl);
        }

        @Override
        public void releaseLease(String key, String owner) {
          file.releaseLease(key, owner);
        }
      };
      ZendeskCredentials credentials = args[2].equals("client")
          ? ZendeskCredentials.oauthClientCredentials(FakeZendesk.OAUTH_CLIENT_ID,
              FakeZendesk.OAUTH_CLIENT_SECRET).tokenStore(store).build()
          : ZendeskCredentials.oauthRefreshToken(FakeZendesk.OAUTH_CLIENT_ID,
              FakeZendesk.OAUTH_CLIENT_SECRET).tokenStore(store).build();
      ManualClock clock = new ManualClock(Instant.now()); // moved on when told, as the fake's
      try (ZendeskLoyaltySync sync = ZendeskLoyaltySync.builder().baseUri(URI.create(args[0]))
          .credentials(credentials).clock(clock).build()) {
        sync.currentUser(); // adopts the pair in the store
        System.out.println("ready");
        clock.advance(Duration.ofMillis(Long.parseLong(new BufferedReader(new InputStreamReader(
            System.in, StandardCharsets.UTF_8)).readLine())));
        sync.currentUser(); // expired: renews, and stops in the store write
      }
    }

    private static void hang() {
      System.out.println("kill me");
      System.out.flush();
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
