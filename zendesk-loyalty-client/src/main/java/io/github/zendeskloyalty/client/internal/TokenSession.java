package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.client.OAuthTokenStore;
import io.github.zendeskloyalty.client.OAuthTokens;
import io.github.zendeskloyalty.client.ZendeskAuthenticationException;
import io.github.zendeskloyalty.client.ZendeskException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An OAuth credential's whole life: a valid access token for every call, renewed before it
 * expires (a margin on the injected clock; the old token serves meanwhile), one renewal at a
 * time in the process, one across instances through the token store (a lease, the store read
 * again before and after it, the new pair persisted before it is used), a 401 answered by one
 * renewal and one retry, and, when Zendesk refuses the grant for good, "needs reconnect": every
 * call fails at once with a {@link ZendeskAuthenticationException} that says what to do, until a
 * new pair arrives (in the store, or by {@link #reconnect}). A store that fails or hangs is left
 * out, with one WARNING. Thread-safe. Not part of the API.
 */
public final class TokenSession implements Authorizer {

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.client");

  /** How a session gets a new access token. */
  public enum Grant {
    /** {@code client_credentials}: the client's id and secret, no user in the loop. */
    CLIENT_CREDENTIALS,
    /** {@code refresh_token}: a pair from an authorization-code grant, rotated at each refresh. */
    REFRESH_TOKEN
  }

  /**
   * What a session is made of.
   *
   * @param grant how it renews
   * @param clientId the OAuth client's identifier
   * @param clientSecret its secret, or null for a public client (refresh tokens only)
   * @param scopes the scopes asked for (client credentials)
   * @param initial the pair to start from, or null (client credentials; or the store has it)
   * @param store where the instances of the account share the pair
   * @param storeKey the pair's key in the store, or null for one derived from the account and
   *     client
   * @param sealer how the pair is sealed in the store
   * @param margin the longest time before expiry a token is renewed
   */
  public record Config(Grant grant, String clientId, String clientSecret, List<String> scopes,
      OAuthTokens initial, OAuthTokenStore store, String storeKey, TokenSealer sealer,
      Duration margin) {}

  /** How long a renewal's lease lasts in the store: 15 s. */
  static final Duration LEASE_TTL = Duration.ofSeconds(15);
  /** The longest one call to the store may take before the store counts as down: 2 s. */
  static final Duration STORE_TIMEOUT = Duration.ofSeconds(2);
  /** How long a store that failed is left out before it is asked again: 30 s. */
  static final Duration STORE_RETRY = Duration.ofSeconds(30);
  /** How often a session that needs reconnecting looks for a new pair in the store: 10 s. */
  static final Duration BROKEN_RECHECK = Duration.ofSeconds(10);

  private static final ExecutorService STORE_CALLS = storeCalls();

  /** Threads for calls to a shared store, each gone after a second idle. */
  private static ExecutorService storeCalls() {
    java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(0,
        Integer.MAX_VALUE, 1, TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(),
        task -> {
          Thread thread = new Thread(task, "zendesk-loyalty-token-store");
          thread.setDaemon(true);
          return thread;
        });
    return pool;
  }

  private final Config config;
  private final String owner = UUID.randomUUID().toString();
  private final Object lock = new Object();
  private final List<Consumer<ZendeskAuthenticationException>> brokenListeners =
      new CopyOnWriteArrayList<>();
  private final List<Consumer<OAuthTokens>> renewalListeners = new CopyOnWriteArrayList<>();

  // bound by the first sync that uses the credentials
  private URI account;
  private TokenEndpoint endpoint;
  private Clock clock;
  private String key;

  // guarded by lock
  private OAuthTokens tokens;
  private Duration lifetime;
  private long version;
  private boolean started;
  private boolean renewing;
  private ZendeskAuthenticationException broken;
  private Instant brokenCheckedAt;
  private boolean storeDown;
  private Instant storeRetryAt;
  private long renewals;

  /** A session of {@code config}, unbound until a sync uses it. */
  public TokenSession(Config config) {
    this.config = Objects.requireNonNull(config, "config");
    this.tokens = config.initial();
  }

  /**
   * Binds the session to its account; later binds must name the same account.
   *
   * @throws IllegalStateException when it is bound to another account
   */
  public void bind(URI baseUri, HttpClient client, Duration timeout, Clock clock) {
    synchronized (lock) {
      if (account != null) {
        if (!account.equals(baseUri)) {
          throw new IllegalStateException("these OAuth credentials are in use for " + account
              + "; give each account its own credentials (" + baseUri + ")");
        }
        return;
      }
      this.account = baseUri;
      this.endpoint = new TokenEndpoint(client, baseUri, timeout, clock);
      this.clock = clock;
      this.key = config.storeKey() != null ? config.storeKey()
          : "zendesk-loyalty:oauth:" + baseUri.getHost()
              + (baseUri.getPort() > 0 ? ":" + baseUri.getPort() : "") + ":" + config.clientId();
      if (tokens != null) {
        lifetime = tokens.expiresAt() == null ? null
            : Duration.between(clock.instant(), tokens.expiresAt());
      }
    }
  }

  /** Tells {@code listener}, once per outage, that the credentials need reconnecting. */
  public void onBroken(Consumer<ZendeskAuthenticationException> listener) {
    brokenListeners.add(listener);
  }

  /** Tells {@code listener} of each new pair this instance got from Zendesk. */
  public void onRenewed(Consumer<OAuthTokens> listener) {
    renewalListeners.add(listener);
  }

  /** The pair in use, if any; never logged. */
  public Optional<OAuthTokens> tokens() {
    synchronized (lock) {
      return Optional.ofNullable(tokens);
    }
  }

  /** Why the credentials need reconnecting, if they do. */
  public Optional<String> needsReconnect() {
    synchronized (lock) {
      return broken == null ? Optional.empty() : Optional.of(broken.getMessage());
    }
  }

  /** How many new pairs this instance got from Zendesk's token endpoint. */
  public long renewals() {
    synchronized (lock) {
      return renewals;
    }
  }

  @Override
  public String header() throws InterruptedException {
    boolean first;
    synchronized (lock) {
      requireBound();
      first = !started;
      started = true;
    }
    if (first) {
      meetStore();
    }
    while (true) {
      synchronized (lock) {
        requireBound();
        if (broken != null) {
          recheckBroken();
          if (broken != null) {
            throw again(broken);
          }
        }
        Instant now = clock.instant();
        boolean usable = tokens != null && !expired(tokens, now);
        if (usable && (!dueSoon(tokens, now) || renewing)) {
          return bearer(tokens); // fresh, or another caller renews it: the old token serves
        }
        if (renewing) {
          lock.wait(50); // expired while another caller renews: wait for its pair
          continue;
        }
        renewing = true;
      }
      return renewHere(null);
    }
  }

  @Override
  public String rejected(String used, ZendeskException refusal) throws InterruptedException {
    while (true) {
      synchronized (lock) {
        requireBound();
        if (broken != null) {
          return null;
        }
        if (tokens != null && !bearer(tokens).equals(used) && !expired(tokens, clock.instant())) {
          return bearer(tokens); // renewed meanwhile: retry with the new one
        }
        if (renewing) {
          lock.wait(50);
          continue;
        }
        renewing = true;
      }
      String renewed = renewHere(used); // needs reconnect: thrown, the call fails with it
      return renewed.equals(used) ? null : renewed;
    }
  }

  @Override
  public ZendeskException rejectedAgain(String used, ZendeskException refusal) {
    return markBroken("Zendesk refused the access token it had just issued (HTTP "
        + refusal.status() + " " + refusal.errorCode().orElse("") + ")", refusal);
  }

  /**
   * Starts again from {@code fresh} (a new authorization), or, when null, from a new grant
   * (client credentials): persisted to the store first, then used.
   */
  public void reconnect(OAuthTokens fresh) throws InterruptedException {
    synchronized (lock) {
      requireBound();
      broken = null;
    }
    if (fresh == null) {
      synchronized (lock) {
        renewing = true;
      }
      renewHere(null);
      return;
    }
    persist(fresh);
    synchronized (lock) {
      adopt(fresh, version);
    }
    LOG.log(Level.INFO, () -> "the OAuth credentials of " + account + " were reconnected");
  }

  /** The renewal this caller took on: a new pair, then the header; always ends the renewal. */
  private String renewHere(String rejected) throws InterruptedException {
    try {
      OAuthTokens renewed = renew(rejected);
      return bearer(renewed);
    } catch (ZendeskAuthenticationException needsReconnect) {
      throw needsReconnect;
    } catch (ZendeskException notNow) { // the token endpoint down: keep what still works
      synchronized (lock) {
        if (tokens != null && !expired(tokens, clock.instant())
            && (rejected == null || !bearer(tokens).equals(rejected))) {
          LOG.log(Level.WARNING, () -> "could not renew the OAuth token of " + account
              + " yet (" + notNow.getMessage() + "); the current one serves until it expires");
          return bearer(tokens);
        }
      }
      throw notNow;
    } finally {
      synchronized (lock) {
        renewing = false;
        lock.notifyAll();
      }
    }
  }

  private OAuthTokens renew(String rejected) throws InterruptedException {
    OAuthTokens shared = fromStore(rejected, true);
    if (shared != null) {
      return shared;
    }
    boolean leased = false;
    Boolean lease = storeCall(() -> config.store().tryLease(key, owner, LEASE_TTL));
    if (Boolean.TRUE.equals(lease)) {
      leased = true;
    } else if (lease != null) { // another instance renews: wait for its pair, or its lease to end
      long until = System.nanoTime() + LEASE_TTL.toNanos();
      while (System.nanoTime() < until) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        shared = fromStore(rejected, true);
        if (shared != null) {
          return shared;
        }
        Boolean retry = storeCall(() -> config.store().tryLease(key, owner, LEASE_TTL));
        if (retry == null || retry) {
          leased = Boolean.TRUE.equals(retry);
          break;
        }
      }
    }
    try {
      if (leased) {
        shared = fromStore(rejected, true); // renewed by another just before the lease
        if (shared != null) {
          return shared;
        }
      }
      OAuthTokens fresh;
      try {
        fresh = grant();
      } catch (TokenEndpoint.Refused refused) {
        OAuthTokens rotated = fromStore(rejected, false); // rotated by another instance?
        if (rotated != null && !expired(rotated, clock.instant())) {
          return rotated;
        }
        throw markBroken(refused.getMessage(), refused);
      }
      persist(fresh); // before it is used: a crash now leaves it where the others find it
      synchronized (lock) {
        adopt(fresh, version);
        renewals++;
      }
      for (Consumer<OAuthTokens> listener : renewalListeners) {
        try {
          listener.accept(fresh);
        } catch (RuntimeException ignored) {
          LOG.log(Level.WARNING, "a token renewal listener threw; ignored", ignored);
        }
      }
      return fresh;
    } finally {
      if (leased) {
        storeCall(() -> {
          config.store().releaseLease(key, owner);
          return Boolean.TRUE;
        });
      }
    }
  }

  private OAuthTokens grant() throws InterruptedException {
    if (config.grant() == Grant.CLIENT_CREDENTIALS) {
      return endpoint.clientCredentials(config.clientId(), config.clientSecret(),
          config.scopes());
    }
    String refresh;
    boolean none;
    synchronized (lock) {
      none = tokens == null;
      refresh = none ? null : tokens.refreshToken();
    }
    if (refresh == null) {
      throw new TokenEndpoint.Refused(none ? "the token store (" + config.store() + ") holds no"
          + " OAuth pair under " + key : "there is no refresh token to renew the access token"
          + " with", ZendeskException.NO_STATUS, "no_refresh_token");
    }
    return endpoint.refresh(config.clientId(), config.clientSecret(), refresh);
  }

  /**
   * Adopts a pair in the store newer than this instance's. Returns it when it can be used now
   * (not the one Zendesk refused, and, when {@code fresh}, not due for renewal), else null.
   */
  private OAuthTokens fromStore(String rejected, boolean fresh) {
    Optional<OAuthTokenStore.Stored> read = storeCall(() -> config.store().read(key));
    if (read == null || read.isEmpty()) {
      return null;
    }
    OAuthTokenStore.Stored stored = read.get();
    OAuthTokens found;
    try {
      found = config.sealer().open(key, stored.value());
    } catch (IllegalStateException unreadable) {
      storeFailed(unreadable);
      return null;
    }
    synchronized (lock) {
      if (stored.version() <= version && tokens != null) {
        return null; // what this instance has already
      }
      adopt(found, stored.version());
      Instant now = clock.instant();
      boolean refused = rejected != null && bearer(found).equals(rejected);
      return refused || expired(found, now) || (fresh && dueSoon(found, now)) ? null : found;
    }
  }

  /**
   * At the first call: a pair in the store wins over the one this instance was started with
   * (another instance may have rotated it since); an empty store gets this instance's pair, so
   * the account's other instances and later runs find it.
   */
  private void meetStore() {
    Optional<OAuthTokenStore.Stored> read = storeCall(() -> config.store().read(key));
    if (read == null) {
      return;
    }
    if (read.isPresent()) {
      try {
        OAuthTokens found = config.sealer().open(key, read.get().value());
        synchronized (lock) {
          if (read.get().version() > version) {
            adopt(found, read.get().version());
          }
        }
      } catch (IllegalStateException unreadable) {
        storeFailed(unreadable);
      }
      return;
    }
    OAuthTokens initial;
    synchronized (lock) {
      initial = version == 0 ? tokens : null;
    }
    if (initial != null && config.grant() == Grant.REFRESH_TOKEN) {
      Optional<Long> written = storeCall(() -> config.store().write(key, 0,
          config.sealer().seal(key, initial)));
      if (written != null && written.isPresent()) {
        synchronized (lock) {
          version = Math.max(version, written.get());
        }
      }
    }
  }

  /** Writes {@code fresh} to the store over whatever is there; a failing store is left out. */
  private void persist(OAuthTokens fresh) {
    String sealed = config.sealer().seal(key, fresh);
    for (int attempt = 0; attempt < 3; attempt++) {
      Optional<OAuthTokenStore.Stored> current = storeCall(() -> config.store().read(key));
      if (current == null) {
        return;
      }
      long expected = current.map(OAuthTokenStore.Stored::version).orElse(0L);
      Optional<Long> written = storeCall(() -> config.store().write(key, expected, sealed));
      if (written == null) {
        return;
      }
      if (written.isPresent()) {
        synchronized (lock) {
          version = written.get();
        }
        return;
      }
    }
    LOG.log(Level.WARNING, () -> "the OAuth token store kept changing under " + key
        + "; this instance's new pair was not stored");
  }

  private void adopt(OAuthTokens found, long foundVersion) {
    if (tokens == null || !tokens.accessToken().equals(found.accessToken())) {
      lifetime = found.expiresAt() == null ? null
          : Duration.between(clock.instant(), found.expiresAt());
    }
    tokens = found;
    version = Math.max(version, foundVersion);
    if (broken != null) {
      broken = null;
      LOG.log(Level.INFO, () -> "the OAuth credentials of " + account + " work again");
    }
  }

  /** Needs reconnecting: a new pair in the store is looked for every {@link #BROKEN_RECHECK}. */
  private void recheckBroken() {
    Instant now = clock.instant();
    if (brokenCheckedAt != null && now.isBefore(brokenCheckedAt.plus(BROKEN_RECHECK))) {
      return;
    }
    brokenCheckedAt = now;
    long had = version;
    Optional<OAuthTokenStore.Stored> read = storeCall(() -> config.store().read(key));
    if (read != null && read.isPresent() && read.get().version() > had) {
      try {
        adopt(config.sealer().open(key, read.get().value()), read.get().version());
      } catch (IllegalStateException unreadable) {
        storeFailed(unreadable);
      }
    }
  }

  private ZendeskAuthenticationException markBroken(String why, ZendeskException cause) {
    ZendeskAuthenticationException failure;
    boolean first;
    synchronized (lock) {
      first = broken == null;
      if (first) {
        broken = new ZendeskAuthenticationException("the OAuth credentials of " + account
            + " need reconnecting: " + why + ". Every update fails until they work again: "
            + advice(), new ZendeskException.Answer(cause.status(),
                cause.errorCode().orElse("needs_reconnect"), Map.of(), null), null);
        brokenCheckedAt = clock.instant();
      }
      failure = broken;
    }
    if (first) {
      LOG.log(Level.ERROR, failure.getMessage());
      for (Consumer<ZendeskAuthenticationException> listener : brokenListeners) {
        try {
          listener.accept(failure);
        } catch (RuntimeException ignored) {
          LOG.log(Level.WARNING, "a needs-reconnect listener threw; ignored", ignored);
        }
      }
    }
    return again(failure);
  }

  private String advice() {
    if (config.grant() == Grant.CLIENT_CREDENTIALS) {
      return "check the OAuth client " + config.clientId() + " in Admin Center (Apps and"
          + " integrations > APIs > OAuth clients): deleted, its secret reset, or its scopes"
          + " changed; then give the SDK credentials with the new secret";
    }
    return "the grant was revoked or its refresh token expired: connect the account again"
        + " (zendesk-loyalty credentials login, or your application's connect flow) and give"
        + " the new pair to ZendeskCredentials.reconnect(tokens) or write it to the token store";
  }

  private static ZendeskAuthenticationException again(ZendeskAuthenticationException broken) {
    return new ZendeskAuthenticationException(broken.getMessage(), new ZendeskException.Answer(
        broken.status(), broken.errorCode().orElse(null), Map.of(), null), null);
  }

  /** A store call bounded by {@link #STORE_TIMEOUT}; null when the store failed or hung. */
  private <T> T storeCall(Supplier<T> call) {
    if (config.store() instanceof InMemoryTokenStore) {
      return call.get(); // cannot hang: no thread needed
    }
    synchronized (lock) {
      if (storeDown && clock.instant().isBefore(storeRetryAt)) {
        return null; // left out for a while: each call would wait for its timeout
      }
    }
    Future<T> pending = STORE_CALLS.submit(call::get);
    try {
      T value = pending.get(STORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      synchronized (lock) {
        if (storeDown) {
          storeDown = false;
          LOG.log(Level.INFO, () -> "the OAuth token store answers again");
        }
      }
      return value;
    } catch (InterruptedException interrupted) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception failed) { // thrown, or hung past the timeout
      pending.cancel(true);
      storeFailed(failed);
      return null;
    }
  }

  private void storeFailed(Exception failure) {
    synchronized (lock) {
      storeRetryAt = clock.instant().plus(STORE_RETRY);
      if (storeDown) {
        return;
      }
      storeDown = true;
    }
    Throwable cause = failure instanceof java.util.concurrent.ExecutionException
        && failure.getCause() != null ? failure.getCause() : failure;
    LOG.log(Level.WARNING, () -> "the OAuth token store failed (" + cause.getClass()
        .getSimpleName() + "); this instance keeps its token and renews it on its own until the"
        + " store answers");
  }

  private void requireBound() {
    if (account == null) {
      throw new IllegalStateException("the OAuth credentials are not bound to an account yet");
    }
  }

  private static boolean expired(OAuthTokens pair, Instant now) {
    return pair.expiresAt() != null && !now.isBefore(pair.expiresAt());
  }

  /** Due for renewal: within the margin, at most a twentieth of its life, before expiry. */
  private boolean dueSoon(OAuthTokens pair, Instant now) {
    if (pair.expiresAt() == null) {
      return false;
    }
    Duration margin = config.margin();
    if (lifetime != null && lifetime.dividedBy(20).compareTo(margin) < 0) {
      margin = lifetime.dividedBy(20);
    }
    return !now.isBefore(pair.expiresAt().minus(margin));
  }

  private static String bearer(OAuthTokens pair) {
    return "Bearer " + pair.accessToken();
  }
}
