package io.github.zendeskloyalty.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.OAuthAuthorization;
import io.github.zendeskloyalty.client.OAuthTokenStore;
import io.github.zendeskloyalty.client.OAuthTokens;
import io.github.zendeskloyalty.client.SyncResult;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * What every {@link OAuthTokenStore} must do, as JUnit tests to extend for your own store (the
 * SDK's in-memory, PostgreSQL and Redis ones pass it): a write is a compare-and-set; a lease is
 * one owner's until it ends, and of two instances asking at once one gets it; and four SDK
 * instances of one account (four pods) on the fake with 5-minute tokens for two simulated hours
 * share one token, renew it once per expiry, never hold a rotated-out one for more than a call
 * and fail no update, with client credentials and with a rotating refresh token, and while the
 * store is down for a stretch of the run.
 *
 * <pre>{@code
 * class MyTokenStoreTest extends OAuthTokenStoreContract {
 *   protected OAuthTokenStore instance() {
 *     return new MyTokenStore(server.connect());
 *   }
 * }
 * }</pre>
 */
public abstract class OAuthTokenStoreContract {

  private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);
  private static final Duration RUN = Duration.ofHours(2);
  private static final Duration STEP = Duration.ofSeconds(30);
  private static final int INSTANCES = 4;

  /** A new instance's store, as a new pod would open it, over the same server. */
  protected abstract OAuthTokenStore instance() throws Exception;

  /**
   * Kills the store's server (SIGKILL) for the middle third of {@link #aStoreDownMidRunFailsNoUpdate}
   * and starts it again; false (the default) makes the store throw instead, as one whose server
   * is down would.
   */
  protected boolean killsServer() {
    return false;
  }

  /** Kills the server; called when {@link #killsServer()}. */
  protected void killServer() throws Exception {
    throw new UnsupportedOperationException("override killServer with killsServer");
  }

  /** Starts the killed server again; called when {@link #killsServer()}. */
  protected void restartServer() throws Exception {
    throw new UnsupportedOperationException("override restartServer with killsServer");
  }

  private static String key(String test) {
    return "contract:" + test + ":" + System.nanoTime();
  }

  /** A write names the version it replaces: of two writers of one version, one wins. */
  @Test
  public void aWriteIsACompareAndSet() throws Exception {
    String key = key("cas");
    OAuthTokenStore podA = instance();
    OAuthTokenStore podB = instance();

    assertThat(podA.read(key)).isEmpty();
    assertThat(podA.write(key, 0, "first")).contains(1L);
    assertThat(podB.write(key, 0, "second")).as("another writer of version 0").isEmpty();
    assertThat(podB.read(key)).contains(new OAuthTokenStore.Stored(1, "first"));
    assertThat(podB.write(key, 1, "second")).contains(2L);
    assertThat(podA.write(key, 1, "third")).as("version 1 is gone").isEmpty();
    assertThat(podA.read(key)).contains(new OAuthTokenStore.Stored(2, "second"));
    assertThat(podA.read(key("another"))).isEmpty();
  }

  /** Of many writers of one version at once, exactly one wins. */
  @Test
  public void concurrentWritersOfOneVersionHaveOneWinner() throws Exception {
    OAuthTokenStore podA = instance();
    OAuthTokenStore podB = instance();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 20; round++) {
        String key = key("race-" + round);
        CountDownLatch start = new CountDownLatch(1);
        Callable<Boolean> a = () -> {
          start.await();
          return podA.write(key, 0, "a").isPresent();
        };
        Callable<Boolean> b = () -> {
          start.await();
          return podB.write(key, 0, "b").isPresent();
        };
        Future<Boolean> first = pool.submit(a);
        Future<Boolean> second = pool.submit(b);
        start.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS) ^ second.get(10, TimeUnit.SECONDS))
            .as("round " + round + ": exactly one writer").isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A lease is its owner's until released or expired; of two asking at once, one gets it. */
  @Test
  public void aLeaseIsOneOwnersUntilItEnds() throws Exception {
    String key = key("lease");
    OAuthTokenStore podA = instance();
    OAuthTokenStore podB = instance();

    assertThat(podA.tryLease(key, "a", Duration.ofSeconds(30))).isTrue();
    assertThat(podB.tryLease(key, "b", Duration.ofSeconds(30))).isFalse();
    assertThat(podA.tryLease(key, "a", Duration.ofSeconds(30))).as("its own, extended").isTrue();
    podB.releaseLease(key, "b"); // not b's: nothing changes
    assertThat(podB.tryLease(key, "b", Duration.ofSeconds(30))).isFalse();
    podA.releaseLease(key, "a");
    assertThat(podB.tryLease(key, "b", Duration.ofMillis(300))).isTrue();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    boolean taken = false;
    while (!taken && System.nanoTime() < until) {
      Thread.sleep(50);
      taken = podA.tryLease(key, "a", Duration.ofSeconds(30));
    }
    assertThat(taken).as("b's lease of 300 ms expired").isTrue();

    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 20; round++) {
        String raced = key("lease-race-" + round);
        CountDownLatch start = new CountDownLatch(1);
        Future<Boolean> a = pool.submit(() -> {
          start.await();
          return podA.tryLease(raced, "a", Duration.ofSeconds(30));
        });
        Future<Boolean> b = pool.submit(() -> {
          start.await();
          return podB.tryLease(raced, "b", Duration.ofSeconds(30));
        });
        start.countDown();
        assertThat(a.get(10, TimeUnit.SECONDS) ^ b.get(10, TimeUnit.SECONDS))
            .as("round " + round + ": exactly one owner").isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Two replicas of one account reconciling the same run at once, round after round
   * ({@link ZendeskLoyaltySync#reconcileOnce}): exactly one reconciles each round, the other
   * answers empty at once, and the export is read once a round.
   */
  @Test
  public void twoReplicasReconcilingOneRunAtOnceReconcileOnce() throws Exception {
    try (FakeZendesk fake = FakeZendesk.builder().provisioned(FieldSchema.standard()).start();
         ZendeskLoyaltySync replicaA = fake.syncBuilder().build();
         ZendeskLoyaltySync replicaB = fake.syncBuilder().build()) {
      List<LoyaltyMember> members = new ArrayList<>();
      for (int n = 0; n < 20; n++) {
        members.add(LoyaltyMember.builder().memberId("M-" + n).email("m" + n + "@example.com")
            .availablePoints(BigDecimal.valueOf(n)).lastModifiedDate(Instant.now()).build());
      }
      assertThat(replicaA.syncAll(members).get(60, TimeUnit.SECONDS).isSuccess()).isTrue();
      OAuthTokenStore storeA = instance();
      OAuthTokenStore storeB = instance();
      io.github.zendeskloyalty.client.MemberSource source =
          io.github.zendeskloyalty.client.MemberSource.of(members);
      io.github.zendeskloyalty.client.ReconcileOptions options =
          io.github.zendeskloyalty.client.ReconcileOptions.defaults();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        // five rounds: the account's export allows 10 pages a minute, which a second replica
        // reconciling each round would pass (and wait out)
        for (int round = 0; round < 5; round++) {
          String run = key("nightly-" + round);
          int exportsBefore = fake.requests(FakeEndpoint.EXPORT_USERS).size();
          CountDownLatch start = new CountDownLatch(1);
          Future<Boolean> a = pool.submit(() -> {
            start.await();
            return replicaA.reconcileOnce(source, options, storeA, run, Duration.ofHours(1))
                .isPresent();
          });
          Future<Boolean> b = pool.submit(() -> {
            start.await();
            return replicaB.reconcileOnce(source, options, storeB, run, Duration.ofHours(1))
                .isPresent();
          });
          start.countDown();
          assertThat(a.get(60, TimeUnit.SECONDS) ^ b.get(60, TimeUnit.SECONDS))
              .as("round " + round + ": exactly one replica reconciles").isTrue();
          assertThat(fake.requests(FakeEndpoint.EXPORT_USERS).size() - exportsBefore)
              .as("round " + round + ": the export read once").isOne();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** Four pods of one account with client credentials: one renewal per expiry, none failed. */
  @Test
  public void fourInstancesWithClientCredentialsRenewOncePerExpiry() throws Exception {
    Run run = run(store -> ZendeskCredentials.oauthClientCredentials(
        FakeZendesk.OAUTH_CLIENT_ID, FakeZendesk.OAUTH_CLIENT_SECRET).scopes("read", "write")
        .tokenStore(store).encryptionKey(new SecretKeySpec(new byte[32], "AES")), false, null);

    assertThat(run.failed()).as("failed updates").isZero();
    assertThat(run.issued()).as("tokens issued for %s of 5-minute tokens", RUN)
        .isBetween(run.expiries() - 1, run.expiries() + 1);
    assertThat(run.unauthorized()).as("calls answered 401: only a token that expired between"
        + " its check and its call, while the fake's shared clock jumped for another"
        + " instance's wait; at most one call an instance a renewal")
        .isLessThanOrEqualTo((INSTANCES - 1) * run.issued());
  }

  /** Four pods of one account with a rotating refresh token: each rotation once, none failed. */
  @Test
  public void fourInstancesWithARefreshTokenRotateItOncePerExpiry() throws Exception {
    AtomicBoolean never = new AtomicBoolean();
    Run run = run(null, true, never);

    assertThat(run.failed()).as("failed updates").isZero();
    assertThat(run.issued()).as("rotations for %s of 5-minute tokens", RUN)
        .isBetween(run.expiries() - 1, run.expiries() + 1);
    assertThat(run.unauthorized()).as("calls with a rotated-out token: at most one an instance"
        + " a rotation").isLessThanOrEqualTo((INSTANCES - 1) * run.issued());
  }

  /** The store down for a stretch of the run: instances renew on their own, none failed. */
  @Test
  public void aStoreDownMidRunFailsNoUpdate() throws Exception {
    AtomicBoolean down = new AtomicBoolean();
    Run run = run(null, false, down);

    assertThat(run.failed()).as("failed updates").isZero();
    assertThat(run.issued()).as("the store down for a third of the run: each instance renews"
        + " on its own meanwhile").isLessThanOrEqualTo(run.expiries() * INSTANCES);
  }

  private record Run(int failed, int issued, int expiries, long unauthorized) {}

  /**
   * Four syncs of one account, each with its own credentials over its own store instance, one
   * update each every 30 s of the fake's clock, concurrently, for two hours. With
   * {@code down}, the store throws for the middle third.
   */
  private Run run(Function<OAuthTokenStore, ZendeskCredentials.OAuthBuilder> credentials,
      boolean refreshToken, AtomicBoolean down) throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-12-01T00:00:00Z"));
    try (FakeZendesk fake = FakeZendesk.builder().clock(clock).provisioned(FieldSchema.standard())
        .requestsPerMinute(100_000).oauthTokenLifetimes(TOKEN_LIFETIME, Duration.ofDays(30))
        .journalSize(100_000).start()) {
      String key = key("run");
      OAuthTokens connected = refreshToken ? connect(fake) : null;
      List<ZendeskLoyaltySync> syncs = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        OAuthTokenStore store = down == null || killsServer() ? instance()
            : new Switchable(instance(), down);
        ZendeskCredentials.OAuthBuilder builder = credentials != null ? credentials.apply(store)
            : refreshToken ? ZendeskCredentials.oauthRefreshToken(FakeZendesk.OAUTH_CLIENT_ID,
                FakeZendesk.OAUTH_CLIENT_SECRET, connected).tokenStore(store)
            : ZendeskCredentials.oauthClientCredentials(FakeZendesk.OAUTH_CLIENT_ID,
                FakeZendesk.OAUTH_CLIENT_SECRET).tokenStore(store);
        syncs.add(fake.syncBuilder().credentials(builder.storeKey(key).build()).build());
      }
      int issuedBefore = issued(fake);
      Instant started = clock.instant();
      AtomicInteger failed = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(INSTANCES);
      try {
        long steps = RUN.dividedBy(STEP);
        for (long step = 0; step < steps; step++) {
          if (down != null && !refreshToken) {
            boolean stopped = step >= steps / 3 && step < 2 * steps / 3;
            if (killsServer() && stopped != down.get()) {
              if (stopped) {
                killServer();
              } else {
                restartServer();
              }
            }
            down.set(stopped);
          }
          List<Future<?>> round = new ArrayList<>();
          for (int i = 0; i < INSTANCES; i++) {
            ZendeskLoyaltySync sync = syncs.get(i);
            LoyaltyMember member = LoyaltyMember.builder().memberId("M-" + i)
                .email("member" + i + "@example.com").availablePoints(BigDecimal.valueOf(step))
                .lastModifiedDate(clock.instant()).build();
            round.add(pool.submit(() -> {
              CompletableFuture<SyncResult> result = sync.onPointsChanged(member,
                  SyncTrigger.POINTS_AWARDED);
              sync.flush();
              try {
                result.get(30, TimeUnit.SECONDS);
              } catch (Exception failure) {
                failed.incrementAndGet();
              }
              return null;
            }));
          }
          for (Future<?> each : round) {
            each.get(60, TimeUnit.SECONDS);
          }
          clock.advance(STEP);
        }
      } finally {
        pool.shutdownNow();
        syncs.forEach(ZendeskLoyaltySync::close);
      }
      long unauthorized = fake.requests().stream().filter(request -> request.status() == 401)
          .count();
      // the fake's clock: two hours of steps, plus the waits the SDK slept on it (Zendesk's
      // single-user limit of one write a second holds back three of the four each step)
      long elapsed = Duration.between(started, clock.instant()).toSeconds();
      int expiries = (int) Math.ceil((double) elapsed / TOKEN_LIFETIME.toSeconds());
      return new Run(failed.get(), issued(fake) - issuedBefore, expiries, unauthorized);
    }
  }

  private static int issued(FakeZendesk fake) {
    return fake.oauthTokensIssued("CLIENT_CREDENTIALS") + fake.oauthTokensIssued("REFRESH_TOKEN");
  }

  /** The account connected through the authorization page: a pair with a refresh token. */
  private static OAuthTokens connect(FakeZendesk fake) throws InterruptedException {
    OAuthAuthorization authorization = OAuthAuthorization.start(fake.baseUri(),
        FakeZendesk.OAUTH_CLIENT_ID, URI.create("http://127.0.0.1:8765/callback"),
        List.of("read", "write"));
    return authorization.exchange(fake.authorize(authorization.uri()),
        FakeZendesk.OAUTH_CLIENT_SECRET, HttpClient.newHttpClient());
  }

  /** A store that throws while {@code down} is set, as one whose server is stopped. */
  private static final class Switchable implements OAuthTokenStore {
    private final OAuthTokenStore store;
    private final AtomicBoolean down;

    Switchable(OAuthTokenStore store, AtomicBoolean down) {
      this.store = store;
      this.down = down;
    }

    private void check() {
      if (down.get()) {
        throw new IllegalStateException("connection refused (the store is down)");
      }
    }

    @Override
    public Optional<Stored> read(String key) {
      check();
      return store.read(key);
    }

    @Override
    public Optional<Long> write(String key, long expectedVersion, String value) {
      check();
      return store.write(key, expectedVersion, value);
    }

    @Override
    public boolean tryLease(String key, String owner, Duration ttl) {
      check();
      return store.tryLease(key, owner, ttl);
    }

    @Override
    public void releaseLease(String key, String owner) {
      check();
      store.releaseLease(key, owner);
    }
  }
}
