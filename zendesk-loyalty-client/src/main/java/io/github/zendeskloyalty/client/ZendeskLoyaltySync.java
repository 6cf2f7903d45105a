package io.github.zendeskloyalty.client;

import io.github.zendeskloyalty.client.internal.SyncAssembly;
import io.github.zendeskloyalty.client.internal.SyncCore;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyEvent;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Keeps loyalty members' data on their Zendesk user profiles. Call {@link #onPointsChanged} and
 * {@link #onTierChanged} from your loyalty event handlers; the SDK coalesces events per member
 * (newest snapshot wins), batches members into as few Zendesk calls as possible, respects
 * Zendesk's rate limits, retries what is retryable, and completes each returned future when
 * Zendesk confirmed the write. Thread-safe; build one per Zendesk account and close it on
 * shutdown.
 *
 * <pre>{@code
 * try (ZendeskLoyaltySync sync = ZendeskLoyaltySync.builder()
 *     .subdomain("acme")
 *     .credentials(ZendeskCredentials.apiToken("admin@acme.com", System.getenv("ZENDESK_TOKEN")))
 *     .build()) {
 *   sync.fields().ensure();
 *   sync.onPointsChanged(member, SyncTrigger.POINTS_AWARDED)
 *       .thenAccept(result -> log.info("synced " + result));
 * }
 * }</pre>
 *
 * <p>Futures complete on the SDK's dispatcher thread; use the {@code *Async} variants of
 * {@link CompletableFuture} for slow follow-up work. Ordering is kept within one instance: an
 * older snapshot of a member never replaces or overwrites a newer one it has seen.
 */
public final class ZendeskLoyaltySync implements AutoCloseable {

  /** Zendesk's limit of users per bulk call. */
  public static final int MAX_BATCH_SIZE = 100;
  /** Default batch size: 100, Zendesk's limit. */
  public static final int DEFAULT_MAX_BATCH_SIZE = MAX_BATCH_SIZE;
  /** Default longest wait before a non-full batch is sent: 1 s. */
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(1);
  /**
   * Default bound on members waiting to be sent: 50,000, room for a backfill's members to
   * coalesce (about 1 KB each). Events of a pending member never count twice as members; at most
   * ten times as many events wait for their outcome.
   */
  public static final int DEFAULT_MAX_PENDING_MEMBERS = 50_000;
  /**
   * Default longest wait between polls of bulk job statuses: 1 s. Young jobs are polled sooner
   * (after half their age, at least {@value #MIN_JOB_POLL_MILLIS} ms), all running jobs in one
   * call.
   */
  public static final Duration DEFAULT_JOB_POLL_INTERVAL = Duration.ofSeconds(1);
  /** The shortest wait before polling bulk jobs, in milliseconds: 100. */
  public static final long MIN_JOB_POLL_MILLIS = 100;
  /** Default time a bulk job may take before its members fail: 10 minutes. */
  public static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofMinutes(10);
  /** Default time {@link #close()} waits for pending updates: 30 s. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);
  /** Default timeout of one HTTP call: 30 s. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  /** Default number of members whose Zendesk user id and newest snapshot time are remembered: 100,000. */
  public static final int DEFAULT_TRACKED_MEMBERS = 100_000;

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.client");
  private final URI baseUri;
  /** This instance, as the owner of the leases it takes. */
  private final String instance = UUID.randomUUID().toString();
  private final ZendeskCredentials credentials;
  private final IdentityPolicy identity;
  private final FieldSchema schema;
  private final Clock clock;
  private final Duration closeTimeout;
  private final SyncCore core;

  private ZendeskLoyaltySync(Builder builder, URI baseUri) {
    this.baseUri = baseUri;
    this.credentials = builder.credentials;
    this.identity = builder.identity;
    this.schema = builder.schema;
    this.clock = builder.clock;
    this.closeTimeout = builder.closeTimeout;
    this.core = new SyncAssembly()
        .account(baseUri, credentials::bind, builder.httpClient,
            builder.requestTimeout)
        .members(builder.schema, identity, builder.missingUsers, builder.trackedMembers)
        .batching(builder.maxBatchSize, builder.maxDelay, builder.maxPendingMembers,
            builder.backpressure)
        .limits(builder.retryPolicy, builder.rateLimits, builder.singleUserWriteSlots,
            builder.sharedExportPages)
        .jobs(builder.jobPollInterval, builder.jobTimeout)
        .time(clock, builder.sleeper, builder.random)
        .listener(builder.listener)
        .build();
  }

  /**
   * The credentials this sync authenticates with: {@code credentials().status()} tells their
   * kind, scopes, the access token's expiry and whether they need reconnecting.
   */
  public ZendeskCredentials credentials() {
    return credentials;
  }

  /** A builder; {@code subdomain} (or {@code baseUri}) and {@code credentials} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Syncs a member after a points change.
   *
   * @param member the member's state after the change
   * @param trigger a points trigger ({@link SyncTrigger#isPointsChange()})
   * @return completes when Zendesk confirmed the write, or fails with a {@link ZendeskException}
   * @throws IllegalArgumentException when the trigger is not a points change, the identity
   *     policy cannot match the member (no email under {@link IdentityPolicy#EMAIL}), a value
   *     cannot be held by its field ({@link FieldSchema#check}), or another member id already
   *     writes to the same Zendesk user (ids and emails are compared ignoring case)
   * @throws IllegalStateException when this instance is closed
   */
  public CompletableFuture<SyncResult> onPointsChanged(LoyaltyMember member, SyncTrigger trigger) {
    Objects.requireNonNull(member, "member");
    Objects.requireNonNull(trigger, "trigger");
    if (!trigger.isPointsChange()) {
      throw new IllegalArgumentException("onPointsChanged needs a points trigger (POINTS_AWARDED,"
          + " POINTS_DEDUCTED, POINTS_REDEEMED, POINTS_EXPIRED): " + trigger
          + "; use onTierChanged for tier changes");
    }
    return submit(new LoyaltyEvent(trigger, member, clock.instant()));
  }

  /**
   * Syncs a member after a tier change.
   *
   * @param member the member's state after the change
   * @param trigger {@link SyncTrigger#TIER_UPGRADED} or {@link SyncTrigger#TIER_DOWNGRADED}
   * @return completes when Zendesk confirmed the write, or fails with a {@link ZendeskException}
   * @throws IllegalArgumentException when the trigger is not a tier change, or the member is
   *     refused as by {@link #onPointsChanged}
   * @throws IllegalStateException when this instance is closed
   */
  public CompletableFuture<SyncResult> onTierChanged(LoyaltyMember member, SyncTrigger trigger) {
    Objects.requireNonNull(member, "member");
    Objects.requireNonNull(trigger, "trigger");
    if (!trigger.isTierChange()) {
      throw new IllegalArgumentException("onTierChanged needs a tier trigger (TIER_UPGRADED,"
          + " TIER_DOWNGRADED): " + trigger + "; use onPointsChanged for points changes");
    }
    return submit(new LoyaltyEvent(trigger, member, clock.instant()));
  }

  /**
   * Syncs the member of any loyalty event. Snapshots are ordered by the member's
   * {@code lastModifiedDate}, or by {@code occurredAt} when it has none.
   *
   * @return completes when Zendesk confirmed the write, with
   *     {@link SyncResult.Outcome#IGNORED_STALE} at once when a newer snapshot was already seen,
   *     or fails with a {@link ZendeskException}
   * @throws IllegalArgumentException when the member is refused as by {@link #onPointsChanged}
   * @throws IllegalStateException when this instance is closed
   */
  public CompletableFuture<SyncResult> submit(LoyaltyEvent event) {
    return submit(event, null);
  }

  /**
   * As {@link #submit(LoyaltyEvent)}, with its own back-pressure policy: a caller that must never
   * wait (a Kafka consumer's poll thread, a request thread) passes
   * {@link BackpressurePolicy#FAIL} and, on a future failed with
   * {@link java.util.concurrent.RejectedExecutionException}, keeps the event for later.
   *
   * <pre>{@code
   * CompletableFuture<SyncResult> result = sync.submit(event, BackpressurePolicy.FAIL);
   * }</pre>
   *
   * @param backpressure what the call does when the pending buffer is full; null for the
   *     configured policy
   */
  public CompletableFuture<SyncResult> submit(LoyaltyEvent event,
      BackpressurePolicy backpressure) {
    Objects.requireNonNull(event, "event");
    LoyaltyMember member = event.member();
    Instant version = member.lastModifiedDate() != null
        ? member.lastModifiedDate() : event.occurredAt();
    return core.submit(member, version, event.trigger(), profileKey(member), backpressure);
  }

  /**
   * Checks that the member can be matched and written, and gives its Zendesk identity: the
   * email or the member id, lower case, as Zendesk compares them.
   */
  private String profileKey(LoyaltyMember member) {
    if (identity == IdentityPolicy.EMAIL && member.email() == null) {
      throw new IllegalArgumentException("member " + member.memberId() + " has no email, but the"
          + " identity policy EMAIL matches Zendesk users by email; set the member's email or use"
          + " IdentityPolicy.EXTERNAL_ID");
    }
    schema.check(member);
    return (identity == IdentityPolicy.EMAIL ? member.email() : member.memberId())
        .toLowerCase(Locale.ROOT);
  }

  /**
   * Backfills many members, for example after installing the integration. Asynchronous: returns
   * at once, and a background thread reads {@code members} and queues them, waiting while the
   * pending buffer is full (whatever the back-pressure policy), so any number of members stream
   * through bounded memory; then it flushes. A member that cannot be queued (no email under
   * {@link IdentityPolicy#EMAIL}, a value its field cannot hold, the SDK closed) is counted as
   * failed; it never stops the others. Members are ordered by {@code lastModifiedDate}, or by
   * the time they are read when they have none. A {@link java.util.Collection} tells its size up
   * front: with bulk import off, the SDK then reads user ids from the export rather than
   * searching the first batches while the rest still arrive.
   *
   * @param members read once, on the backfill thread
   * @return completes when every member has an outcome; never completes exceptionally
   * @throws IllegalStateException when this instance is closed
   */
  public CompletableFuture<SyncSummary> syncAll(Iterable<LoyaltyMember> members) {
    return syncAll(members, (member, result, failure) -> { });
  }

  /**
   * Finds and repairs drift between the loyalty store and Zendesk: reads the account's users once
   * through the incremental user export (1,000 a page, at the export's pace), compares every
   * user carrying a member id with {@code source}'s snapshot of that member (numbers by value,
   * dates by day, text exactly, absent as null) and writes only the members that differ, through
   * this SDK's pipeline, so newest-snapshot-wins and every rate limit hold; then reads the
   * source once for the members no user carries, and writes those. A member whose Zendesk
   * snapshot was modified on a later day than the source's is reported, not written. Users whose
   * member the source no longer has are reported, never cleared. Blocks until done.
   *
   * <pre>{@code
   * ReconcileReport report = sync.reconcile(source, ReconcileOptions.builder()
   *     .checkpoint(Path.of("reconcile.checkpoint")).build());
   * }</pre>
   *
   * <p>Run it after an incident (an outage past the retry deadline, a crash with updates
   * pending), nightly, or after a schema change. Its calls: one per page of 1,000 users, one
   * write per 100 drifted members (bulk import on), and the job polls.
   *
   * @throws IllegalStateException when the schema excludes the member id field under email
   *     identity (a user's member cannot be told)
   * @throws ReconcileCheckpointException when the checkpoint is there but unreadable
   * @throws ZendeskException when the export fails past the retry policy (with a checkpoint,
   *     the next run goes on after the last page finished)
   * @throws InterruptedException when interrupted (the checkpoint holds the pages finished)
   */
  public ReconcileReport reconcile(MemberSource source, ReconcileOptions options)
      throws InterruptedException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(options, "options");
    return core.reconciliation().run(source, options, this::syncAll);
  }

  /**
   * {@link #reconcile}, on one of the instances that share {@code leases} (the shared-limits
   * store: {@code PostgresWriteSlots}, {@code RedisWriteSlots}): the first to take the lease of
   * {@code run} (say, the scheduled time of a nightly job) reconciles; the others answer empty
   * at once. The lease is never given back: it ends after {@code kept}, so a replica whose clock
   * or cron fires late does not run the same run again. While the store fails, this instance
   * reconciles (a WARNING: others may too).
   *
   * <pre>{@code
   * Optional<ReconcileReport> report = sync.reconcileOnce(source, options, redisWriteSlots,
   *     "nightly@" + LocalDate.now(), Duration.ofHours(23));
   * }</pre>
   *
   * @param run what is run once, the same on every instance
   * @return the report, or empty when another instance took this run
   * @throws InterruptedException when interrupted
   */
  public Optional<ReconcileReport> reconcileOnce(MemberSource source, ReconcileOptions options,
      OAuthTokenStore leases, String run, Duration kept) throws InterruptedException {
    Objects.requireNonNull(leases, "leases");
    if (Objects.requireNonNull(run, "run").isBlank() || kept.isNegative() || kept.isZero()) {
      throw new IllegalArgumentException("reconcileOnce needs a run name and a positive time to"
          + " keep its lease (run '" + run + "', kept " + kept + ")");
    }
    String key = "reconcile:" + baseUri.getHost() + ":" + run;
    boolean ours;
    try {
      ours = leases.tryLease(key, instance, kept);
    } catch (Exception | LinkageError storeDown) { // a store may throw anything
      LOG.log(System.Logger.Level.WARNING, "the shared store failed to lease reconcile run '"
          + run + "'; this instance reconciles (others may too)", storeDown);
      ours = true;
    }
    return ours ? Optional.of(reconcile(source, options)) : Optional.empty();
  }

  /**
   * {@link #syncAll(Iterable)}, telling {@code progress} the outcome of each member as soon as it
   * is known: for a resumable backfill, record the members confirmed.
   *
   * @return completes when every member has an outcome; never completes exceptionally
   * @throws IllegalStateException when this instance is closed
   */
  public CompletableFuture<SyncSummary> syncAll(Iterable<LoyaltyMember> members,
      BackfillProgress progress) {
    Objects.requireNonNull(members, "members");
    Objects.requireNonNull(progress, "progress");
    return core.syncAll(members, progress, this::profileKey);
  }

  /**
   * Sends everything pending now, without waiting for the max delay.
   *
   * @return completes when every update pending or in flight at this call has an outcome
   */
  public CompletableFuture<Void> flush() {
    return core.flush();
  }

  /**
   * Who the credentials are ({@code GET /api/v2/users/me}), to check them before a backfill.
   *
   * @throws ZendeskAuthenticationException when Zendesk refuses them, or answers for an anonymous
   *     user
   * @throws ZendeskException when Zendesk could not be asked
   */
  public CurrentUser currentUser() {
    return core.currentUser();
  }

  /**
   * Creates what goodwill points granted from a ticket need in Zendesk, or finds what is there
   * (by title or name), never making a second: a "Goodwill points" (integer) and a "Goodwill
   * reason" (text) ticket field, a webhook to {@code endpoint} (its signing secret read back), a
   * trigger that calls it when the goodwill field is set, with {@link AgentActions#WEBHOOK_BODY},
   * and an example macro. An admin's credentials. A dry run creates nothing and says what it
   * would.
   *
   * <pre>{@code
   * AgentActionsSetup setup = sync.installAgentActions(URI.create("https://loyalty.acme.com/zendesk/agent-actions"), false);
   * }</pre>
   *
   * @throws ZendeskException when Zendesk refuses (403 without an admin's credentials)
   */
  public AgentActionsSetup installAgentActions(java.net.URI endpoint, boolean dryRun)
      throws InterruptedException {
    return installAgentActions(endpoint, null, dryRun);
  }

  /**
   * {@link #installAgentActions(java.net.URI, boolean)}, the webhook authenticating to the
   * endpoint with {@code Authorization: Bearer <bearerToken>} besides its signature (a token
   * never shown in a message).
   */
  public AgentActionsSetup installAgentActions(java.net.URI endpoint, String bearerToken,
      boolean dryRun) throws InterruptedException {
    Objects.requireNonNull(endpoint, "endpoint");
    if (!endpoint.isAbsolute()) {
      throw new IllegalArgumentException("the webhook's endpoint must be an absolute URL: "
          + endpoint);
    }
    return core.agentActionsInstaller().install(endpoint, bearerToken,
        AgentActions.WEBHOOK_BODY, dryRun);
  }

  /** Notes on tickets, for {@link AgentActions} (this package only). */
  io.github.zendeskloyalty.client.internal.TicketNotes ticketNotes() {
    return core.ticketNotes();
  }

  /** Checks and creates the schema's user fields in Zendesk. */
  public FieldProvisioning fields() {
    return core.fields();
  }

  /** Members with an update not yet confirmed by Zendesk. */
  public int backlog() {
    return core.backlog();
  }
  /** Bulk jobs submitted to Zendesk and not yet ended, for a gauge or a health check. */
  public int runningJobs() {
    return core.runningJobs();
  }


  /**
   * Stops taking events, sends everything pending and waits up to {@code deadline} for Zendesk
   * to confirm it. Updates still unconfirmed then fail (their futures, and
   * {@link SyncListener#onFailed} once per member) and are listed in the report, each member
   * once. Every caller, concurrent or later, gets the same complete report.
   */
  public ShutdownReport shutdown(Duration deadline) {
    Objects.requireNonNull(deadline, "deadline");
    return core.shutdown(deadline);
  }

  /**
   * {@link #shutdown(Duration)} with the configured close timeout. What could not be sent fails
   * its futures and is logged once, as a count at WARNING (the member ids at DEBUG).
   */
  @Override
  public void close() {
    shutdown(closeTimeout);
  }

  /** The account and settings, never a secret. */
  @Override
  public String toString() {
    return "ZendeskLoyaltySync[" + baseUri + ", " + credentials + ", identity=" + identity
        + ", bulkImport=" + core.usesBulkImport() + ", backlog=" + backlog() + "]";
  }


  /**
   * Configures a {@link ZendeskLoyaltySync}. Every setting but the account and the credentials
   * has a default, named by a constant.
   *
   * <pre>{@code
   * ZendeskLoyaltySync sync = ZendeskLoyaltySync.builder()
   *     .subdomain("acme")
   *     .credentials(ZendeskCredentials.apiToken("admin@acme.com", token))
   *     .identity(IdentityPolicy.EXTERNAL_ID)
   *     .maxDelay(Duration.ofSeconds(2))
   *     .rateLimits(RateLimits.defaults().toBuilder().requestsPerMinute(400).build())
   *     .listener(metrics)
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private String subdomain;
    private URI baseUri;
    private ZendeskCredentials credentials;
    private FieldSchema schema = FieldSchema.standard();
    private IdentityPolicy identity = IdentityPolicy.EMAIL;
    private MissingUserPolicy missingUsers = MissingUserPolicy.CREATE;
    private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
    private Duration maxDelay = DEFAULT_MAX_DELAY;
    private int maxPendingMembers = DEFAULT_MAX_PENDING_MEMBERS;
    private BackpressurePolicy backpressure = BackpressurePolicy.BLOCK;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private RateLimits rateLimits = RateLimits.defaults();
    private SingleUserWriteSlots singleUserWriteSlots;
    private SharedExportPages sharedExportPages;
    private SyncListener listener = SyncListener.none();
    private HttpClient httpClient;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private RandomGenerator random = RandomGenerator.getDefault();
    private Duration jobPollInterval = DEFAULT_JOB_POLL_INTERVAL;
    private Duration jobTimeout = DEFAULT_JOB_TIMEOUT;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private int trackedMembers = DEFAULT_TRACKED_MEMBERS;

    private Builder() {}

    /**
     * The Zendesk account, {@code https://{subdomain}.zendesk.com}.
     *
     * @throws IllegalArgumentException when it is not a bare subdomain such as {@code "acme"}
     */
    public Builder subdomain(String subdomain) {
      Objects.requireNonNull(subdomain, "subdomain");
      if (!SUBDOMAIN.matcher(subdomain).matches()) {
        throw new IllegalArgumentException("subdomain must be the bare account name, lower-case"
            + " letters, digits and hyphens, as in 'acme' for acme.zendesk.com: '" + subdomain + "'");
      }
      this.subdomain = subdomain;
      return this;
    }

    /**
     * The Zendesk base URI instead of a subdomain, for example a proxy or a test fake. Must be
     * HTTPS, except on a loopback host.
     *
     * @throws IllegalArgumentException when it is not absolute, not HTTPS on a non-loopback host,
     *     or carries user info, a query or a fragment
     */
    public Builder baseUri(URI baseUri) {
      Objects.requireNonNull(baseUri, "baseUri");
      String scheme = baseUri.getScheme() == null ? "" : baseUri.getScheme().toLowerCase(Locale.ROOT);
      if (!baseUri.isAbsolute() || baseUri.getHost() == null) {
        throw new IllegalArgumentException(
            "baseUri must be absolute, like https://acme.zendesk.com: '" + baseUri + "'");
      }
      if (baseUri.getRawUserInfo() != null || baseUri.getRawQuery() != null
          || baseUri.getRawFragment() != null) {
        throw new IllegalArgumentException("baseUri must not carry user info, a query or a"
            + " fragment: '" + baseUri.getScheme() + "://" + baseUri.getHost() + "...'");
      }
      if (!scheme.equals("https") && !(scheme.equals("http") && isLoopback(baseUri.getHost()))) {
        throw new IllegalArgumentException("baseUri must use https (plain http only on a loopback"
            + " host, for tests): '" + baseUri + "'");
      }
      this.baseUri = baseUri;
      return this;
    }

    private static boolean isLoopback(String host) {
      if (host.equalsIgnoreCase("localhost")) {
        return true;
      }
      String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
      if (!bare.matches("[0-9.]+|[0-9a-fA-F:]+")) {
        return false;
      }
      try {
        return InetAddress.getByName(bare).isLoopbackAddress();
      } catch (UnknownHostException notAnAddress) {
        return false;
      }
    }

    /** How to authenticate; required. */
    public Builder credentials(ZendeskCredentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /** Which attributes go to which fields; default {@link FieldSchema#standard()}. */
    public Builder schema(FieldSchema schema) {
      this.schema = Objects.requireNonNull(schema, "schema");
      return this;
    }

    /** How members are matched to users; default {@link IdentityPolicy#EMAIL}. */
    public Builder identity(IdentityPolicy identity) {
      this.identity = Objects.requireNonNull(identity, "identity");
      return this;
    }

    /** What happens to members without a user; default {@link MissingUserPolicy#CREATE}. */
    public Builder missingUsers(MissingUserPolicy missingUsers) {
      this.missingUsers = Objects.requireNonNull(missingUsers, "missingUsers");
      return this;
    }

    /**
     * Members per bulk call, 1 to 100; default {@value #DEFAULT_MAX_BATCH_SIZE}.
     *
     * @throws IllegalArgumentException when out of range
     */
    public Builder maxBatchSize(int maxBatchSize) {
      if (maxBatchSize < 1 || maxBatchSize > MAX_BATCH_SIZE) {
        throw new IllegalArgumentException("maxBatchSize must be between 1 and 100: " + maxBatchSize);
      }
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    /**
     * The longest an update waits for its batch to fill; default 1 s. Longer coalesces more. A
     * full batch goes at once, unless it is the only one waiting and a burst still repeats its
     * members: then it goes 10 ms after the last such event, and never past this delay.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = notNegative("maxDelay", maxDelay);
      return this;
    }

    /**
     * The most members waiting to be sent; default {@value #DEFAULT_MAX_PENDING_MEMBERS}.
     * Events of a pending member replace its snapshot, but each keeps its caller's future until
     * the member's write ends: at most ten times this many events wait at once. Past either
     * bound the {@link #backpressure} policy applies, so memory stays bounded however fast
     * events come.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder maxPendingMembers(int maxPendingMembers) {
      if (maxPendingMembers < 1) {
        throw new IllegalArgumentException("maxPendingMembers must be at least 1: " + maxPendingMembers);
      }
      this.maxPendingMembers = maxPendingMembers;
      return this;
    }

    /** What event calls do when the pending buffer is full; default {@link BackpressurePolicy#BLOCK}. */
    public Builder backpressure(BackpressurePolicy backpressure) {
      this.backpressure = Objects.requireNonNull(backpressure, "backpressure");
      return this;
    }

    /** How retryable failures are retried; default {@link RetryPolicy#defaults()}. */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /** The SDK's share of the account's limits; default {@link RateLimits#defaults()}. */
    public Builder rateLimits(RateLimits rateLimits) {
      this.rateLimits = Objects.requireNonNull(rateLimits, "rateLimits");
      return this;
    }

    /**
     * Where single-user writes (creating a member's user with bulk import off, or writing one
     * member alone) take their turn; default this instance's own. Instances that create users
     * in one Zendesk account share one, so their writes keep to Zendesk's one a second for the
     * account instead of finding it by 429s: see {@link SingleUserWriteSlots}.
     */
    public Builder singleUserWriteSlots(SingleUserWriteSlots slots) {
      this.singleUserWriteSlots = Objects.requireNonNull(slots, "singleUserWriteSlots");
      return this;
    }

    /**
     * Where the instances writing to one account share the passes of its incremental user
     * export (see {@link SharedExportPages}); default: none, each instance reads its own.
     */
    public Builder sharedExportPages(SharedExportPages pages) {
      this.sharedExportPages = Objects.requireNonNull(pages, "sharedExportPages");
      return this;
    }

    /** Hears synced, failed, retried and rate-limited events; default none. */
    public Builder listener(SyncListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * The HTTP client, for proxies or TLS settings; default a new one that follows no redirects
     * and speaks HTTP/2 to Zendesk, HTTP/1.1 to a cleartext loopback fake (give your own client
     * {@code version(HttpClient.Version.HTTP_1_1)} for a fake, too: the JDK's cleartext HTTP/2
     * upgrade now and then ends in an EOF against Jetty-based servers).
     *
     * @throws IllegalArgumentException when the client follows redirects: it would send the
     *     {@code Authorization} header to wherever a redirect points, another host included
     */
    public Builder httpClient(HttpClient httpClient) {
      Objects.requireNonNull(httpClient, "httpClient");
      if (httpClient.followRedirects() != HttpClient.Redirect.NEVER) {
        throw new IllegalArgumentException("httpClient must not follow redirects (it has"
            + " followRedirects(" + httpClient.followRedirects() + ")): it would send the Zendesk"
            + " credentials to wherever a redirect points, another host included. Build it with"
            + " HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)");
      }
      this.httpClient = httpClient;
      return this;
    }

    /** The clock of rate limits, retry deadlines and job timeouts; default system UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How the SDK waits for backoff, Retry-After and rate budget; default {@link Sleeper#system()}. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** The jitter source of backoff and default Retry-After; default {@link RandomGenerator#getDefault()}. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * The longest wait between polls of bulk job statuses; default 1 s. Young jobs are polled
     * sooner: after half the age of the youngest, at least {@value #MIN_JOB_POLL_MILLIS} ms.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder jobPollInterval(Duration jobPollInterval) {
      this.jobPollInterval = notNegative("jobPollInterval", jobPollInterval);
      return this;
    }

    /**
     * How long a bulk job may take before its members fail; default 10 minutes.
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder jobTimeout(Duration jobTimeout) {
      this.jobTimeout = positive("jobTimeout", jobTimeout);
      return this;
    }

    /**
     * How long {@link #close()} waits for pending updates; default 30 s.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder closeTimeout(Duration closeTimeout) {
      this.closeTimeout = notNegative("closeTimeout", closeTimeout);
      return this;
    }

    /**
     * The timeout of one HTTP call; default 30 s.
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = positive("requestTimeout", requestTimeout);
      return this;
    }

    /**
     * How many members' Zendesk user ids and newest snapshot times are remembered (least
     * recently used forgotten first); default {@value #DEFAULT_TRACKED_MEMBERS}.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder trackedMembers(int trackedMembers) {
      if (trackedMembers < 1) {
        throw new IllegalArgumentException("trackedMembers must be at least 1: " + trackedMembers);
      }
      this.trackedMembers = trackedMembers;
      return this;
    }

    private static Duration notNegative(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative: " + value);
      }
      return value;
    }

    private static Duration positive(String name, Duration value) {
      notNegative(name, value);
      if (value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }

    /**
     * Builds the SDK and starts its dispatcher thread.
     *
     * @throws IllegalStateException when the account or the credentials are missing, or both a
     *     subdomain and a base URI were given
     */
    public ZendeskLoyaltySync build() {
      if (credentials == null) {
        throw new IllegalStateException("credentials are required: call"
            + " credentials(ZendeskCredentials.apiToken(email, token))");
      }
      if (subdomain != null && baseUri != null) {
        throw new IllegalStateException("set either subdomain or baseUri, not both");
      }
      if (subdomain == null && baseUri == null) {
        throw new IllegalStateException("the Zendesk account is required: call subdomain(\"acme\")"
            + " or baseUri(URI)");
      }
      URI base = subdomain != null ? URI.create("https://" + subdomain + ".zendesk.com")
          : URI.create(baseUri.toString().replaceAll("/+$", ""));
      return new ZendeskLoyaltySync(this, base);
    }
  }
}
