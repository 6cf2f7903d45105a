package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.client.BackpressurePolicy;
import io.github.zendeskloyalty.client.IdentityPolicy;
import io.github.zendeskloyalty.client.MissingUserPolicy;
import io.github.zendeskloyalty.client.RateLimits;
import io.github.zendeskloyalty.client.RetryPolicy;
import io.github.zendeskloyalty.client.SharedExportPages;
import io.github.zendeskloyalty.client.SingleUserWriteSlots;
import io.github.zendeskloyalty.client.Sleeper;
import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.core.FieldSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Wires the SDK's parts from the settings of {@code ZendeskLoyaltySync.Builder}: the HTTP layer
 * and its rate limiters, the user directory, the writer, the engine, the field provisioner.
 * Every group of settings is required before {@link #build()}. Not part of the API.
 */
public final class SyncAssembly {

  private URI baseUri;
  private Authorizer.Binding authorization;
  private HttpClient httpClient;
  private Duration requestTimeout;
  private FieldSchema schema;
  private IdentityPolicy identity;
  private MissingUserPolicy missingUsers;
  private int trackedMembers;
  private int maxBatchSize;
  private Duration maxDelay;
  private int maxPendingMembers;
  private BackpressurePolicy backpressure;
  private RetryPolicy retryPolicy;
  private RateLimits rateLimits;
  private SingleUserWriteSlots sharedWriteSlots;
  private SharedExportPages sharedExportPages;
  private Duration jobPollInterval;
  private Duration jobTimeout;
  private Clock clock;
  private Sleeper sleeper;
  private RandomGenerator random;
  private SyncListener listener;

  /**
   * The account: where, with which credentials, over which client ({@code null}
   * for the default: HTTP/2 over TLS, HTTP/1.1 over cleartext, never following redirects).
   */
  public SyncAssembly account(URI baseUri, Authorizer.Binding authorization, HttpClient httpClient,
      Duration requestTimeout) {
    this.baseUri = baseUri;
    this.authorization = authorization;
    this.httpClient = httpClient;
    this.requestTimeout = requestTimeout;
    return this;
  }

  /** How members become Zendesk users, and how many members' ids and watermarks are kept. */
  public SyncAssembly members(FieldSchema schema, IdentityPolicy identity,
      MissingUserPolicy missingUsers, int trackedMembers) {
    this.schema = schema;
    this.identity = identity;
    this.missingUsers = missingUsers;
    this.trackedMembers = trackedMembers;
    return this;
  }

  /** How updates wait and are batched. */
  public SyncAssembly batching(int maxBatchSize, Duration maxDelay, int maxPendingMembers,
      BackpressurePolicy backpressure) {
    this.maxBatchSize = maxBatchSize;
    this.maxDelay = maxDelay;
    this.maxPendingMembers = maxPendingMembers;
    this.backpressure = backpressure;
    return this;
  }

  /**
   * Retries and rate limits; {@code sharedWriteSlots} where single-user writes take turns with
   * other instances, and {@code sharedExportPages} where they share the export's passes, or
   * {@code null} for this instance's own.
   */
  public SyncAssembly limits(RetryPolicy retryPolicy, RateLimits rateLimits,
      SingleUserWriteSlots sharedWriteSlots, SharedExportPages sharedExportPages) {
    this.retryPolicy = retryPolicy;
    this.rateLimits = rateLimits;
    this.sharedWriteSlots = sharedWriteSlots;
    this.sharedExportPages = sharedExportPages;
    return this;
  }

  /** How often bulk jobs are polled at most, and when their members fail. */
  public SyncAssembly jobs(Duration jobPollInterval, Duration jobTimeout) {
    this.jobPollInterval = jobPollInterval;
    this.jobTimeout = jobTimeout;
    return this;
  }

  /** The SDK's time and jitter. */
  public SyncAssembly time(Clock clock, Sleeper sleeper, RandomGenerator random) {
    this.clock = clock;
    this.sleeper = sleeper;
    this.random = random;
    return this;
  }

  /** Who hears the SDK (its calls guarded, so nothing it throws reaches the SDK). */
  public SyncAssembly listener(SyncListener listener) {
    this.listener = listener;
    return this;
  }

  /** The parts, wired; the engine's dispatcher is running. */
  public SyncCore build() {
    HttpClient client = httpClient != null ? httpClient : HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER)
        // HTTP/2 over TLS; over cleartext (a loopback fake) HTTP/1.1: the h2c upgrade is
        // deprecated (RFC 9113) and Jetty-based servers answer it with the odd EOF
        .version(baseUri.getScheme().equals("https") ? HttpClient.Version.HTTP_2
            : HttpClient.Version.HTTP_1_1)
        .build();
    JobSlots jobSlots = new JobSlots(rateLimits.maxConcurrentJobs());
    SafeListener safeListener = new SafeListener(listener);
    Authorizer authorizer = authorization.bind(baseUri, client, requestTimeout, clock,
        safeListener);
    ZendeskHttp http = new ZendeskHttp(
        new ZendeskHttp.Settings(client, baseUri, authorizer, requestTimeout, retryPolicy,
            rateLimits.defaultRetryAfter(), clock, sleeper, random, safeListener, jobSlots),
        new AccountRateLimiter(rateLimits.requestsPerMinute(), clock, sleeper),
        new SingleUserLimiter(clock, sleeper, trackedMembers,
            sharedWriteSlots != null ? sharedWriteSlots : SingleUserWriteSlots.inMemory(),
            sharedWriteSlots != null, safeListener));
    UserDirectory directory = new UserDirectory(http,
        new ExportPages(http, sharedExportPages, clock, safeListener), identity,
        missingUsers == MissingUserPolicy.SKIP, clock, trackedMembers);
    UserWriter writer = new UserWriter(http, directory,
        new UserWriter.Settings(schema, identity, missingUsers, jobTimeout, clock));
    SyncEngine engine = new SyncEngine(new SyncEngine.Settings(maxBatchSize, maxDelay,
        maxPendingMembers, backpressure, jobPollInterval, jobSlots, trackedMembers, listener,
        clock, sleeper), writer);
    directory.watch(engine);
    return new SyncCore(engine, writer, directory, new FieldProvisioner(http, schema),
        new Reconciliation(http, schema, identity, directory), http, clock);
  }
}
