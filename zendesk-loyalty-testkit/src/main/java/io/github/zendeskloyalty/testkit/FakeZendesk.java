package io.github.zendeskloyalty.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.zendeskloyalty.client.ZendeskCredentials;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.ZendeskFieldType;
import io.github.zendeskloyalty.testkit.internal.FakeBackend;
import io.github.zendeskloyalty.testkit.internal.FakeRouter;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A stateful fake Zendesk on a local port: users, user fields, bulk jobs with job statuses, rate
 * limits with Zendesk's headers, fault injection and a request journal. It answers with
 * Zendesk's JSON shapes, validation and errors, so a test that passes against it exercises the
 * same paths as against Zendesk. Works without JUnit; see {@link FakeZendeskExtension} for JUnit 5.
 *
 * <pre>{@code
 * try (FakeZendesk fake = FakeZendesk.start();
 *      ZendeskLoyaltySync sync = ZendeskLoyaltySync.builder()
 *          .baseUri(fake.baseUri()).credentials(fake.credentials()).build()) {
 *   sync.fields().ensure();
 *   sync.onPointsChanged(member, SyncTrigger.POINTS_AWARDED).join();
 *   assertThat(fake.user("jane@example.com")).isPresent();
 * }
 * }</pre>
 *
 * <p>Behaviour, as Zendesk's: requests need the fake's {@link #credentials()} (else 401);
 * unknown {@code user_fields} keys are ignored; a value of the wrong type answers 422
 * {@code RecordInvalid} (a failed item in a bulk job); {@code create_or_update_many} answers 403
 * while bulk import is off; jobs stay queued until polled ({@link Builder#jobPollsUntilComplete})
 * and at most 30 may be queued ({@code TooManyJobs}); the account has a per-minute limit, and
 * single-user writes are held to 1 per second per account and 5 per minute per user. Time comes
 * from the builder's clock, so tests can use a {@link ManualClock} instead of waiting.
 */
public final class FakeZendesk implements AutoCloseable {

  /** Default account limit: 700 requests per minute (Enterprise). */
  public static final int DEFAULT_REQUESTS_PER_MINUTE = 700;
  /** The email of the fake's admin, whose API token {@link #credentials()} uses. */
  public static final String ADMIN_EMAIL = "admin@fake-zendesk.test";
  /** The email of the fake's agent, see {@link #agentCredentials()}. */
  public static final String AGENT_EMAIL = "agent@fake-zendesk.test";

  private static final String ADMIN_TOKEN = "fake-admin-api-token";
  private static final String AGENT_TOKEN = "fake-agent-api-token";
  private static final String OAUTH_TOKEN = "fake-oauth-access-token";

  private final Builder settings;
  private final FakeBackend backend;
  private final FakeRouter router;
  private final WireMockServer server;
  private final URI baseUri;

  private FakeZendesk(Builder settings) {
    this.settings = settings;
    this.backend = new FakeBackend(new FakeBackend.Config(settings.clock, ADMIN_EMAIL, ADMIN_TOKEN,
        AGENT_EMAIL, AGENT_TOKEN, OAUTH_TOKEN), settings.requestsPerMinute, settings.bulkImport,
        settings.jobPollsUntilComplete);
    this.router = new FakeRouter(backend);
    this.server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
        .extensions(router).disableRequestJournal().containerThreads(16));
    server.start();
    server.stubFor(any(anyUrl()).willReturn(aResponse()));
    this.baseUri = URI.create("http://127.0.0.1:" + server.port());
    backend.baseUri(baseUri);
  }

  /** Starts a fake with the defaults on a free port. */
  public static FakeZendesk start() {
    return builder().start();
  }

  /** A builder for a fake with other limits or a controllable clock. */
  public static Builder builder() {
    return new Builder();
  }

  /** Where the fake listens, for example {@code http://127.0.0.1:53124}. */
  public URI baseUri() {
    return baseUri;
  }

  /** An admin's API-token credentials the fake accepts. */
  public ZendeskCredentials credentials() {
    return ZendeskCredentials.apiToken(ADMIN_EMAIL, ADMIN_TOKEN);
  }

  /** An agent's credentials: accepted for users, refused (403) for creating user fields. */
  public ZendeskCredentials agentCredentials() {
    return ZendeskCredentials.apiToken(AGENT_EMAIL, AGENT_TOKEN);
  }

  /** An OAuth access token the fake accepts. */
  public ZendeskCredentials oauthCredentials() {
    return ZendeskCredentials.oauth(OAUTH_TOKEN);
  }

  /** Forgets users, fields, jobs, faults, the journal and rate-limit counts; restores the builder's settings. */
  public void reset() {
    router.clear();
    backend.clear();
    backend.bulkImport(settings.bulkImport);
    backend.requestsPerMinute(settings.requestsPerMinute);
    backend.jobPollsUntilComplete(settings.jobPollsUntilComplete);
  }

  /** Stops the server. */
  @Override
  public void close() {
    server.stop();
  }

  // state back doors

  /** Adds a user, as an agent would; {@code email} and {@code externalId} may be null. */
  public FakeUser addUser(String name, String email, String externalId) {
    Objects.requireNonNull(name, "name");
    return backend.addUser(name, email, externalId);
  }

  /** The user whose primary email is this (any case). */
  public Optional<FakeUser> user(String email) {
    return backend.user(Objects.requireNonNull(email, "email"));
  }

  /** The user with this external id (any case). */
  public Optional<FakeUser> userByExternalId(String externalId) {
    return backend.userByExternalId(Objects.requireNonNull(externalId, "externalId"));
  }

  /** Every user, in creation order. */
  public List<FakeUser> users() {
    return backend.users();
  }

  /** Every user-field definition, in creation order. */
  public List<FakeUserField> userFields() {
    return backend.userFields();
  }

  /** Defines every field of the schema that is not defined yet, as an admin would. */
  public void provision(FieldSchema schema) {
    backend.provision(Objects.requireNonNull(schema, "schema"));
  }

  /** Defines one user field. */
  public FakeUserField addUserField(String key, ZendeskFieldType type, boolean active) {
    return backend.addUserField(key, type, key, "", active);
  }

  // behaviour

  /** Turns bulk import on or off; off, {@code create_or_update_many} answers 403 as on new accounts. */
  public void bulkImport(boolean enabled) {
    backend.bulkImport(enabled);
  }

  /** Sets the account's requests per minute. */
  public void requestsPerMinute(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("requestsPerMinute must be at least 1: " + limit);
    }
    backend.requestsPerMinute(limit);
  }

  /** Sets how many polls a bulk job takes to complete (1: the first poll sees it completed). */
  public void jobPollsUntilComplete(int polls) {
    if (polls < 1) {
      throw new IllegalArgumentException("jobPollsUntilComplete must be at least 1: " + polls);
    }
    backend.jobPollsUntilComplete(polls);
  }

  /** Bulk jobs queued or working. */
  public int runningJobs() {
    return backend.runningJobs();
  }

  /**
   * Makes the next {@code times} requests to the endpoint fail with the fault ("fail N times,
   * then succeed"). {@link FakeEndpoint#ANY} aims at every endpoint. Faults come before
   * authentication and rate limits, like a proxy or network fault would.
   */
  public void failNext(int times, FakeEndpoint endpoint, FakeFault fault) {
    if (times < 1) {
      throw new IllegalArgumentException("times must be at least 1: " + times);
    }
    router.failNext(times, Objects.requireNonNull(endpoint, "endpoint"),
        Objects.requireNonNull(fault, "fault"));
  }

  /** Every request received, oldest first. */
  public List<RecordedRequest> requests() {
    return router.journal();
  }

  /** The requests to one endpoint, oldest first. */
  public List<RecordedRequest> requests(FakeEndpoint endpoint) {
    return router.journal().stream().filter(request -> request.endpoint() == endpoint).toList();
  }

  @Override
  public String toString() {
    return "FakeZendesk[" + baseUri + ", " + users().size() + " users, " + userFields().size()
        + " user fields]";
  }

  /**
   * Configures a fake before it starts.
   *
   * <pre>{@code
   * FakeZendesk fake = FakeZendesk.builder()
   *     .clock(new ManualClock())
   *     .bulkImport(false)
   *     .requestsPerMinute(200)
   *     .start();
   * }</pre>
   */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private int requestsPerMinute = DEFAULT_REQUESTS_PER_MINUTE;
    private boolean bulkImport = true;
    private int jobPollsUntilComplete = 1;

    private Builder() {}

    /** The clock of rate-limit windows and timestamps; default system UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The account limit; default {@value FakeZendesk#DEFAULT_REQUESTS_PER_MINUTE}. */
    public Builder requestsPerMinute(int requestsPerMinute) {
      if (requestsPerMinute < 1) {
        throw new IllegalArgumentException("requestsPerMinute must be at least 1: " + requestsPerMinute);
      }
      this.requestsPerMinute = requestsPerMinute;
      return this;
    }

    /** Whether {@code create_or_update_many} is allowed; default true. */
    public Builder bulkImport(boolean bulkImport) {
      this.bulkImport = bulkImport;
      return this;
    }

    /** Polls a job takes to complete; default 1. */
    public Builder jobPollsUntilComplete(int polls) {
      if (polls < 1) {
        throw new IllegalArgumentException("jobPollsUntilComplete must be at least 1: " + polls);
      }
      this.jobPollsUntilComplete = polls;
      return this;
    }

    /** Starts the fake on a free loopback port. */
    public FakeZendesk start() {
      return new FakeZendesk(this);
    }
  }
}
