package io.github.zendeskloyalty.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.zendeskloyalty.client.AgentActionsSetup;
import io.github.zendeskloyalty.client.ZendeskCredentials;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.ZendeskFieldType;
import io.github.zendeskloyalty.testkit.internal.FakeBackend;
import io.github.zendeskloyalty.testkit.internal.FakeRouter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * A stateful fake Zendesk on a local port: users, user fields, bulk jobs with job statuses, rate
 * limits with Zendesk's headers, fault injection and a request journal. It answers with
 * Zendesk's JSON shapes, validation and errors, so a test that passes against it exercises the
 * same paths as against Zendesk. Works without JUnit; see {@link FakeZendeskExtension} for JUnit 5.
 *
 * <pre>{@code
 * try (FakeZendesk fake = FakeZendesk.start();
 *      ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
 *   sync.fields().ensure();
 *   sync.onPointsChanged(member, SyncTrigger.POINTS_AWARDED).join();
 *   assertThat(fake.user("jane@example.com")).isPresent();
 * }
 * }</pre>
 *
 * <p>Behaviour, as Zendesk's: requests need one of the fake's public credentials (else 401;
 * {@code GET /users/me} answers an anonymous user without any); unknown {@code user_fields} keys
 * are ignored; a value its field cannot hold answers 422 {@code RecordInvalid} (a failed item in
 * a bulk job); {@code create_or_update_many} answers 403 while bulk import is off; bulk jobs run
 * on the fake's clock ({@link Builder#jobDuration}) whether polled or not, and at most 30 may be
 * queued ({@code TooManyJobs}); the account has a per-minute limit, single-user writes are held to
 * 1 per second per account and 5 per minute per user, and the incremental export to 10 calls a
 * minute, reported on its answers in {@code Zendesk-RateLimit-incremental-exports-cursor:
 * total=10; remaining=N; resets=S} as Zendesk does. Time comes from the builder's clock, so tests can use a {@link ManualClock} instead of
 * waiting. Users are indexed by id, email and external id, so load tests with hundreds of
 * thousands of users stay fast; the journal and the write log are bounded.
 *
 * <p>OAuth as Zendesk's: {@code POST /oauth/tokens} with the client-credentials,
 * authorization-code (PKCE) and refresh-token grants of its two clients
 * ({@link #OAUTH_CLIENT_ID}, confidential, and {@link #OAUTH_PUBLIC_CLIENT_ID}); access tokens
 * expire on the fake's clock ({@link Builder#oauthTokenLifetimes}), a refresh rotates the pair
 * and invalidates the previous one at once, an expired or revoked token is answered 401
 * {@code invalid_token}; {@link #authorize} plays the admin on the authorization page.
 *
 * <p>Any Zendesk client can be pointed at it with its public credentials:
 * <pre>{@code
 * curl -s -X POST http://127.0.0.1:PORT/oauth/tokens -H 'Content-Type: application/json' \
 *     -d '{"grant_type":"client_credentials","client_id":"fake-oauth-client",
 *          "client_secret":"fake-oauth-client-secret","scope":"read write"}'
 * curl -H "Authorization: Bearer $ACCESS_TOKEN" http://127.0.0.1:PORT/api/v2/users/me.json
 * }</pre>
 */
public final class FakeZendesk implements AutoCloseable {

  /** Default account limit: 700 requests per minute (Enterprise). */
  public static final int DEFAULT_REQUESTS_PER_MINUTE = 700;
  /** Default number of requests the journal keeps: 10,000 (the oldest are dropped first). */
  public static final int DEFAULT_JOURNAL_SIZE = 10_000;
  /** Default number of applied user writes {@link #userWrites()} keeps: 100,000. */
  public static final int DEFAULT_WRITE_LOG_SIZE = 100_000;
  /** The email of the fake's admin, the owner of {@link #ADMIN_API_TOKEN}. */
  public static final String ADMIN_EMAIL = "admin@fake-zendesk.test";
  /** The admin's API token: any Zendesk client may use it ({@code email/token:token}). */
  public static final String ADMIN_API_TOKEN = "fake-admin-api-token";
  /** The email of the fake's agent, the owner of {@link #AGENT_API_TOKEN}. */
  public static final String AGENT_EMAIL = "agent@fake-zendesk.test";
  /** The agent's API token: accepted for users, refused (403) for changing user fields. */
  public static final String AGENT_API_TOKEN = "fake-agent-api-token";
  /** A static OAuth access token the fake accepts, as an admin's; it never expires. */
  public static final String OAUTH_ACCESS_TOKEN = "fake-oauth-access-token";
  /**
   * The signing secret of the webhooks of a fake built with
   * {@link Builder#agentActionsInstalled()} (others get a random one each).
   */
  public static final String WEBHOOK_SIGNING_SECRET = "ZmFrZS13ZWJob29rLXNpZ25pbmctc2VjcmV0";
  /** The identifier of the fake's confidential OAuth client, an admin's. */
  public static final String OAUTH_CLIENT_ID = "fake-oauth-client";
  /** The secret of {@link #OAUTH_CLIENT_ID}. */
  public static final String OAUTH_CLIENT_SECRET = "fake-oauth-client-secret";
  /** The identifier of the fake's public OAuth client (no secret: PKCE), an admin's. */
  public static final String OAUTH_PUBLIC_CLIENT_ID = "fake-oauth-public-client";
  /** Default lifetime of the fake's access tokens: 30 minutes, as Zendesk's global clients. */
  public static final Duration DEFAULT_OAUTH_ACCESS_LIFETIME = Duration.ofMinutes(30);
  /** Default lifetime of the fake's refresh tokens: 30 days. */
  public static final Duration DEFAULT_OAUTH_REFRESH_LIFETIME = Duration.ofDays(30);

  private final Builder settings;
  private final FakeBackend backend;
  private final FakeRouter router;
  private final WireMockServer server;
  private final URI baseUri;
  /** Where the installed agent actions' webhook calls (kept across resets). */
  private volatile URI agentActionsEndpoint = URI.create("http://127.0.0.1:9/zendesk/agent-actions");
  private volatile AgentActionsSetup agentActions;

  private FakeZendesk(Builder settings) {
    this.settings = settings;
    this.backend = new FakeBackend(new FakeBackend.Config(settings.clock, ADMIN_EMAIL,
        ADMIN_API_TOKEN, AGENT_EMAIL, AGENT_API_TOKEN, OAUTH_ACCESS_TOKEN,
        settings.writeLogSize), settings.requestsPerMinute, settings.bulkImport,
        new FakeBackend.OAuthClients(OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET,
            OAUTH_PUBLIC_CLIENT_ID), settings.accessLifetime, settings.refreshLifetime);
    backend.jobDuration(settings.jobDuration);
    if (settings.provisioned != null) {
      backend.provision(settings.provisioned);
    }
    this.router = new FakeRouter(backend, settings.journalSize);
    this.server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
        .extensions(router).disableRequestJournal().stubRequestLoggingDisabled(true)
        .containerThreads(16));
    server.start();
    server.stubFor(any(anyUrl()).willReturn(aResponse()));
    this.baseUri = URI.create("http://127.0.0.1:" + server.port());
    backend.baseUri(baseUri);
    if (settings.agentActionsInstalled) {
      installAgentActions();
    }
  }

  /**
   * Installs the agent actions as {@code installAgentActions} does, through the fake's own API
   * with its admin's credentials and {@link #WEBHOOK_SIGNING_SECRET}; then forgets those
   * requests, so a test sees only its own.
   */
  private void installAgentActions() {
    backend.webhookSigningSecret(WEBHOOK_SIGNING_SECRET);
    try (ZendeskLoyaltySync sync = ZendeskLoyaltySync.builder().baseUri(baseUri)
        .credentials(credentials()).build()) {
      agentActions = sync.installAgentActions(agentActionsEndpoint, false);
    } catch (InterruptedException stopped) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing the agent actions");
    }
    router.clear();
  }

  /**
   * The agent actions the fake holds when built with {@link Builder#agentActionsInstalled()}:
   * their ticket fields, webhook (signed with {@link #WEBHOOK_SIGNING_SECRET}) and trigger, the
   * same ids after every reset.
   *
   * <pre>{@code
   * long goodwillField = fake.agentActions().goodwillField();
   * }</pre>
   *
   * @throws IllegalStateException when the fake was built without them
   */
  public AgentActionsSetup agentActions() {
    if (agentActions == null) {
      throw new IllegalStateException("the fake holds no agent actions: build it with"
          + " FakeZendesk.builder().agentActionsInstalled()");
    }
    return agentActions;
  }

  /**
   * Points the installed agent actions' webhook at {@code endpoint} (your application's, once
   * its port is known), now and after every reset.
   *
   * <pre>{@code
   * fake.agentActionsEndpoint(URI.create("http://127.0.0.1:" + port + "/zendesk/agent-actions"));
   * }</pre>
   */
  public void agentActionsEndpoint(URI endpoint) {
    this.agentActionsEndpoint = Objects.requireNonNull(endpoint, "endpoint");
    backend.webhookEndpoint(agentActions().webhookId(), endpoint);
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

  /**
   * An admin's OAuth client credentials ({@link #OAUTH_CLIENT_ID}): a new token source each
   * call, which gets its token from the fake's {@code /oauth/tokens} and renews it.
   */
  public ZendeskCredentials credentials() {
    return ZendeskCredentials.oauthClientCredentials(OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET)
        .scopes("read", "write").build();
  }

  /** An admin's API token (retired by Zendesk on 2027-04-30), for tests of the legacy path. */
  public ZendeskCredentials apiTokenCredentials() {
    return ZendeskCredentials.apiToken(ADMIN_EMAIL, ADMIN_API_TOKEN);
  }

  /** An agent's credentials: accepted for users, refused (403) for changing user fields. */
  public ZendeskCredentials agentCredentials() {
    return ZendeskCredentials.apiToken(AGENT_EMAIL, AGENT_API_TOKEN);
  }

  /** The static OAuth access token the fake accepts (it never expires). */
  public ZendeskCredentials oauthCredentials() {
    return ZendeskCredentials.oauth(OAUTH_ACCESS_TOKEN);
  }

  /**
   * A {@link ZendeskLoyaltySync} builder pointed at this fake with its admin credentials, and,
   * when the fake runs on a {@link ManualClock}, on that clock as the SDK's clock and sleeper.
   * Set anything else and build.
   *
   * <pre>{@code
   * try (ZendeskLoyaltySync sync = fake.syncBuilder().maxDelay(Duration.ofSeconds(5)).build()) {
   *   ...
   * }
   * }</pre>
   */
  public ZendeskLoyaltySync.Builder syncBuilder() {
    ZendeskLoyaltySync.Builder builder = ZendeskLoyaltySync.builder().baseUri(baseUri)
        .credentials(credentials());
    if (settings.clock instanceof ManualClock manual) {
      builder.clock(manual).sleeper(manual);
    }
    return builder;
  }

  /**
   * The Spring Boot starter's properties that point it at this fake with its admin credentials:
   * {@code zendesk.loyalty.base-uri} and its OAuth client,
   * {@code zendesk.loyalty.oauth.client-id}, {@code .client-secret}, {@code .scopes}. For a
   * {@code @DynamicPropertySource}:
   *
   * <pre>{@code
   * @DynamicPropertySource
   * static void zendesk(DynamicPropertyRegistry registry) {
   *   zendesk.fake().springBootProperties().forEach((key, value) -> registry.add(key, () -> value));
   * }
   * }</pre>
   */
  public Map<String, String> springBootProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("zendesk.loyalty.base-uri", baseUri.toString());
    properties.put("zendesk.loyalty.oauth.client-id", OAUTH_CLIENT_ID);
    properties.put("zendesk.loyalty.oauth.client-secret", OAUTH_CLIENT_SECRET);
    properties.put("zendesk.loyalty.oauth.scopes", "read,write");
    if (agentActions != null) {
      properties.put("zendesk.loyalty.agent-actions.signing-secret", WEBHOOK_SIGNING_SECRET);
      properties.put("zendesk.loyalty.agent-actions.goodwill-field",
          Long.toString(agentActions.goodwillField()));
    }
    return properties;
  }

  /**
   * Forgets users, fields, jobs, faults, the journal and rate-limit counts; restores the builder's
   * settings (its {@link Builder#provisioned provisioned} fields included).
   */
  public void reset() {
    router.clear();
    backend.clear();
    backend.bulkImport(settings.bulkImport);
    backend.requestsPerMinute(settings.requestsPerMinute);
    backend.jobDuration(settings.jobDuration);
    backend.writeLogSize(settings.writeLogSize);
    backend.oauthLifetimes(settings.accessLifetime, settings.refreshLifetime);
    router.journalSize(settings.journalSize);
    if (settings.provisioned != null) {
      backend.provision(settings.provisioned);
    }
    if (settings.agentActionsInstalled) {
      installAgentActions();
    }
  }

  /** Stops the server. */
  @Override
  public void close() {
    server.stop();
    backend.close();
  }

  // state back doors

  /**
   * The admin on Zendesk's authorization page approving it: the redirect the browser would be
   * sent to, with {@code code} (valid 120 seconds on the fake's clock) and {@code state}.
   *
   * <pre>{@code
   * URI callback = fake.authorize(authorization.uri());
   * OAuthTokens tokens = authorization.exchange(callback, null, HttpClient.newHttpClient());
   * }</pre>
   *
   * @throws IllegalArgumentException when the URI is not an authorization page of a client of
   *     the fake
   */
  public URI authorize(URI authorizationPage) {
    return backend.authorize(authorizationPage, true);
  }

  /** The admin denying the authorization page: the redirect with {@code error=access_denied}. */
  public URI denyAuthorization(URI authorizationPage) {
    return backend.authorize(authorizationPage, false);
  }

  /** Revokes every OAuth token and refresh token, as a customer revoking access would. */
  public void revokeOAuthTokens() {
    backend.revokeOAuthTokens();
  }

  /** Deletes an OAuth client and its tokens, as an admin removing an integration would. */
  public void deleteOAuthClient(String clientId) {
    backend.deleteOAuthClient(clientId);
  }

  /** Adds a confidential OAuth client (an admin's); a public one (PKCE only) when the secret is null. */
  public void addOAuthClient(String clientId, String clientSecret) {
    backend.addOAuthClient(Objects.requireNonNull(clientId, "clientId"), clientSecret);
  }

  /**
   * How many tokens the fake issued for a grant since it started or was reset:
   * {@code "CLIENT_CREDENTIALS"}, {@code "AUTHORIZATION_CODE"} or {@code "REFRESH_TOKEN"}.
   */
  public int oauthTokensIssued(String grantType) {
    return backend.oauthGrants(grantType);
  }

  /** Sets how long access and refresh tokens issued from now on last. */
  public void oauthTokenLifetimes(Duration access, Duration refresh) {
    backend.oauthLifetimes(Objects.requireNonNull(access, "access"),
        Objects.requireNonNull(refresh, "refresh"));
  }

  /** Adds a user, as an agent would; {@code email} and {@code externalId} may be null. */
  public FakeUser addUser(String name, String email, String externalId) {
    return addUser(name, email, externalId, Map.of());
  }

  /**
   * Adds a user with user-field values, as an existing profile would be before the SDK writes.
   * Values take the JSON types Zendesk takes: numbers, booleans, text ({@code YYYY-MM-DD} for a
   * date).
   *
   * <pre>{@code
   * fake.addUser("Jane Doe", "jane@example.com", null,
   *     Map.of("zrl_member_loyalty_tier_name", "Silver", "zrl_member_available_points", 120));
   * }</pre>
   *
   * @throws IllegalArgumentException when the email or external id is taken, or a value cannot
   *     be held by its field
   */
  public FakeUser addUser(String name, String email, String externalId,
      Map<String, ?> userFields) {
    Objects.requireNonNull(name, "name");
    return backend.addUser(name, email, externalId, new LinkedHashMap<>(
        Objects.requireNonNull(userFields, "userFields")));
  }

  /**
   * Changes field values of the user with this primary email behind the SDK's back, as an agent
   * or an admin editing the profile would (a null value clears the field); the user's
   * {@code updated_at} moves, as Zendesk's does.
   *
   * <pre>{@code
   * fake.editUserFields("jane@example.com", Map.of("zrl_member_available_points", 5));
   * }</pre>
   *
   * @throws IllegalArgumentException when no user has that email, or a value cannot be held by
   *     its field
   */
  public void editUserFields(String email, Map<String, ?> userFields) {
    Objects.requireNonNull(email, "email");
    if (!backend.editUserFields(email, new LinkedHashMap<>(
        Objects.requireNonNull(userFields, "userFields")))) {
      throw new IllegalArgumentException("the fake has no user with the email " + email);
    }
  }

  /**
   * Deletes the user with this primary email as Zendesk does at first: softly, the user kept
   * but inactive ({@code "active": false}), still handed out by the incremental export.
   *
   * <pre>{@code
   * fake.deleteUser("jane@example.com");
   * }</pre>
   *
   * @throws IllegalArgumentException when no user has that email
   */
  public void deleteUser(String email) {
    changeUser(email, Map.of("active", false));
  }

  /**
   * Suspends the user with this primary email ({@code "suspended": true}): still active, and
   * still written like any user.
   *
   * <pre>{@code
   * fake.suspendUser("jane@example.com");
   * }</pre>
   *
   * @throws IllegalArgumentException when no user has that email
   */
  public void suspendUser(String email) {
    changeUser(email, Map.of("suspended", true));
  }

  private void changeUser(String email, Map<String, Object> attributes) {
    if (!backend.changeUser(Objects.requireNonNull(email, "email"), attributes)) {
      throw new IllegalArgumentException("the fake has no user with the email " + email);
    }
  }

  /**
   * Opens a ticket requested by the user with this primary email, as a customer's message
   * would.
   *
   * @throws IllegalArgumentException when no user has that email
   */
  public FakeTicket createTicket(String requesterEmail, String subject) {
    FakeTicket ticket = backend.createTicket(Objects.requireNonNull(requesterEmail,
        "requesterEmail"), Objects.requireNonNull(subject, "subject"));
    if (ticket == null) {
      throw new IllegalArgumentException("the fake has no user with the email " + requesterEmail);
    }
    return ticket;
  }

  /** The ticket with this id, as it stands. */
  public Optional<FakeTicket> ticket(long id) {
    return Optional.ofNullable(backend.ticket(id));
  }

  /**
   * Sets custom field values of a ticket as an agent in the agent workspace would (by ticket
   * field id; a null value clears the field); then the triggers run, and a webhook they call is
   * sent, signed, on a thread of the fake's.
   *
   * @throws IllegalArgumentException when there is no such ticket
   */
  public void updateTicketAsAgent(long ticketId, Map<Long, ?> customFields) {
    if (!backend.updateTicketAsAgent(ticketId, new LinkedHashMap<>(customFields))) {
      throw new IllegalArgumentException("the fake has no ticket " + ticketId);
    }
  }

  /** The ticket fields defined, as {@code GET /ticket_fields} lists them. */
  public List<JsonNode> ticketFields() {
    return backend.definitions("ticket_fields");
  }

  /** The webhooks defined, as {@code GET /webhooks} lists them. */
  public List<JsonNode> webhooks() {
    return backend.definitions("webhooks");
  }

  /** The triggers defined, as {@code GET /triggers} lists them. */
  public List<JsonNode> triggers() {
    return backend.definitions("triggers");
  }

  /** The macros defined, as {@code GET /macros} lists them. */
  public List<JsonNode> macros() {
    return backend.definitions("macros");
  }

  /**
   * Delivers each webhook invocation this many times (Zendesk delivers at least once: a
   * receiver must grant once); default 1.
   */
  public void deliverEachInvocation(int times) {
    if (times < 1) {
      throw new IllegalArgumentException("times must be at least 1: " + times);
    }
    backend.deliveriesPerInvocation(times);
  }

  /** The webhook calls the fake made (or is making), in order. */
  public List<FakeWebhookDelivery> webhookDeliveries() {
    return backend.webhookDeliveries();
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
    return backend.addUserField(key, type, key, "", active, List.of(), null);
  }

  /** Defines a dropdown field with these option values (their names are the values too). */
  public FakeUserField addDropdownField(String key, String... optionValues) {
    return backend.addUserField(key, ZendeskFieldType.DROPDOWN, key, "", true,
        List.of(optionValues), null);
  }

  /** Defines a regexp field whose values must match {@code regexp}. */
  public FakeUserField addRegexpField(String key, String regexp) {
    return backend.addUserField(key, ZendeskFieldType.REGEXP, key, "", true, List.of(),
        Objects.requireNonNull(regexp, "regexp"));
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

  /**
   * Makes each request fail, with this probability, with one of the faults (picked uniformly,
   * so repeat a fault to weight it); planned {@link #failNext} faults come first. A seeded
   * {@link Random} makes a run repeatable. For soak and chaos tests.
   *
   * <pre>{@code
   * fake.failRandomly(new Random(42), 0.1, List.of(FakeFault.status(503),
   *     FakeFault.connectionReset(), FakeFault.garbledAnswer(FakeFault.Garbling.HTML)));
   * }</pre>
   */
  public void failRandomly(Random random, double probability, List<FakeFault> faults) {
    Objects.requireNonNull(random, "random");
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability must be between 0 and 1: " + probability);
    }
    if (faults.isEmpty() && probability > 0) {
      throw new IllegalArgumentException("faults must not be empty");
    }
    router.failRandomly(random, probability, List.copyOf(faults));
  }

  /** Forgets every planned and random fault ({@link #failNext}, {@link #failRandomly}, {@link #failNextJobs}); state stays. */
  public void clearFaults() {
    router.clearFaults();
    backend.clearJobFaults();
  }

  /**
   * Sets how long, on the fake's clock, a bulk job takes: it runs once that much time has passed
   * since it was accepted, polled or not.
   */
  public void jobDuration(Duration duration) {
    backend.jobDuration(Builder.notNegative("jobDuration", duration));
  }

  /** Makes each of the next {@code times} bulk jobs go wrong in this way. */
  public void failNextJobs(int times, FakeJobFault fault) {
    if (times < 1) {
      throw new IllegalArgumentException("times must be at least 1: " + times);
    }
    backend.failNextJobs(times, Objects.requireNonNull(fault, "fault"));
  }

  /**
   * The user-field writes the fake applied, oldest first (at most the builder's
   * {@link Builder#writeLogSize}); each bulk item counts when its job ran.
   */
  public List<FakeUserWrite> userWrites() {
    return backend.userWrites();
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

  /**
   * The requests received, oldest first: the last {@link Builder#journalSize} of them. The
   * {@code Authorization} header is kept as its scheme only ({@code "Basic ****"}).
   */
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
    private Duration jobDuration = Duration.ZERO;
    private int journalSize = DEFAULT_JOURNAL_SIZE;
    private int writeLogSize = DEFAULT_WRITE_LOG_SIZE;
    private FieldSchema provisioned;
    private boolean agentActionsInstalled;
    private Duration accessLifetime = DEFAULT_OAUTH_ACCESS_LIFETIME;
    private Duration refreshLifetime = DEFAULT_OAUTH_REFRESH_LIFETIME;

    private Builder() {}

    /**
     * How long the fake's OAuth access and refresh tokens last, on its clock; default
     * {@link FakeZendesk#DEFAULT_OAUTH_ACCESS_LIFETIME} and
     * {@link FakeZendesk#DEFAULT_OAUTH_REFRESH_LIFETIME}.
     */
    public Builder oauthTokenLifetimes(Duration access, Duration refresh) {
      if (Objects.requireNonNull(access, "access").isNegative() || access.isZero()
          || Objects.requireNonNull(refresh, "refresh").isNegative() || refresh.isZero()) {
        throw new IllegalArgumentException("token lifetimes must be positive: " + access + ", "
            + refresh);
      }
      this.accessLifetime = access;
      this.refreshLifetime = refresh;
      return this;
    }

    /**
     * User fields the fake has when it starts and after every {@link FakeZendesk#reset()}, as
     * {@link FakeZendesk#provision(FieldSchema)} defines them; default none. For an application
     * that checks its fields at startup (the Spring Boot starter's {@code fields-on-startup}) in
     * tests that reset the fake.
     */
    public Builder provisioned(FieldSchema schema) {
      this.provisioned = Objects.requireNonNull(schema, "schema");
      return this;
    }

    /**
     * The agent actions installed when the fake starts and after every
     * {@link FakeZendesk#reset()} (ticket fields, webhook, trigger and macro, with the same ids
     * each time and {@link FakeZendesk#WEBHOOK_SIGNING_SECRET}), and their properties in
     * {@link FakeZendesk#springBootProperties()}: for a Spring Boot test of the agent actions
     * that resets the fake between tests. Point the webhook at your application with
     * {@link FakeZendesk#agentActionsEndpoint(URI)}.
     */
    public Builder agentActionsInstalled() {
      this.agentActionsInstalled = true;
      return this;
    }

    /** The clock of rate-limit windows, jobs and timestamps; default system UTC. */
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

    /** How long a bulk job takes on the fake's clock; default zero (done by the next request). */
    public Builder jobDuration(Duration jobDuration) {
      this.jobDuration = notNegative("jobDuration", jobDuration);
      return this;
    }

    /**
     * How many requests the journal keeps, the oldest dropped first; 0 switches it off (for load
     * tests); default {@value FakeZendesk#DEFAULT_JOURNAL_SIZE}.
     */
    public Builder journalSize(int journalSize) {
      if (journalSize < 0) {
        throw new IllegalArgumentException("journalSize must not be negative: " + journalSize);
      }
      this.journalSize = journalSize;
      return this;
    }

    /**
     * How many applied user writes {@link FakeZendesk#userWrites()} keeps; 0 switches the log
     * off; default {@value FakeZendesk#DEFAULT_WRITE_LOG_SIZE}.
     */
    public Builder writeLogSize(int writeLogSize) {
      if (writeLogSize < 0) {
        throw new IllegalArgumentException("writeLogSize must not be negative: " + writeLogSize);
      }
      this.writeLogSize = writeLogSize;
      return this;
    }

    static Duration notNegative(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative: " + value);
      }
      return value;
    }

    /** Starts the fake on a free loopback port. */
    public FakeZendesk start() {
      return new FakeZendesk(this);
    }
  }
}
