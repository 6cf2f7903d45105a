package io.github.zendeskloyalty.testkit.internal;

import static io.github.zendeskloyalty.testkit.internal.Replies.JSON;
import static io.github.zendeskloyalty.testkit.internal.Replies.NODES;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.ZendeskFieldType;
import io.github.zendeskloyalty.testkit.FakeEndpoint;
import io.github.zendeskloyalty.testkit.FakeJobFault;
import io.github.zendeskloyalty.testkit.FakeTicket;
import io.github.zendeskloyalty.testkit.FakeUser;
import io.github.zendeskloyalty.testkit.FakeUserField;
import io.github.zendeskloyalty.testkit.FakeUserWrite;
import io.github.zendeskloyalty.testkit.FakeWebhookDelivery;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The fake's state behind one lock, and the handler of each endpoint. The parts: the account
 * (credentials and limits), the users, the user fields, the job queue and the export; this class
 * only routes and holds them together. Not part of the API.
 */
public final class FakeBackend {

  /** Zendesk's limit of users per bulk call and ids per {@code show_many}. */
  public static final int MAX_BULK_USERS = 100;

  /** The fake's fixed configuration. */
  public record Config(Clock clock, String adminEmail, String adminToken, String agentEmail,
      String agentToken, String oauthToken, int writeLogSize) {}

  /** The fake's OAuth clients: a confidential one and a public one (PKCE), both an admin's. */
  public record OAuthClients(String confidentialId, String confidentialSecret, String publicId) {}

  /** A request as the router hands it over. */
  public record Request(FakeEndpoint endpoint, String pathId, Map<String, String> query,
      Function<String, String> header, String body) {}

  private final FakeAccount account;
  private final FakeOAuth oauth;
  private final String staticBearer;
  private final UserStore users;
  private final FieldStore fields;
  private final JobQueue jobs;
  private final UserExport export;
  private final UserEndpoints userEndpoints;
  private final TicketDesk desk;
  private String baseUri;
  private boolean bulkImport;

  /** A backend with the given limits. */
  public FakeBackend(Config config, int requestsPerMinute, boolean bulkImport,
      OAuthClients clients, Duration accessLifetime, Duration refreshLifetime) {
    this.oauth = new FakeOAuth(config.clock(), accessLifetime, refreshLifetime);
    oauth.addInitialClient(clients.confidentialId(), clients.confidentialSecret(),
        FakeAccount.Role.ADMIN);
    oauth.addInitialClient(clients.publicId(), null, FakeAccount.Role.ADMIN);
    this.staticBearer = "Bearer " + config.oauthToken();
    this.account = new FakeAccount(config.clock(), new FakeAccount.Credentials(config.adminEmail(),
        config.adminToken(), config.agentEmail(), config.agentToken(), config.oauthToken()),
        requestsPerMinute);
    this.users = new UserStore(config.clock(), config.writeLogSize());
    this.fields = new FieldStore(config.clock());
    this.jobs = new JobQueue(config.clock());
    this.export = new UserExport(users);
    this.userEndpoints = new UserEndpoints(account, users, fields, jobs);
    this.desk = new TicketDesk(config.clock(), userId -> {
      UserStore.User user = users.byId(userId);
      return user == null ? new String[] {"", ""} : new String[] {user.email, user.externalId};
    });
    this.bulkImport = bulkImport;
  }

  /** Sets the address the fake serves on, for the {@code url} fields of answers. */
  public synchronized void baseUri(URI baseUri) {
    this.baseUri = baseUri.toString();
    users.baseUri(this.baseUri);
    fields.baseUri(this.baseUri);
    jobs.baseUri(this.baseUri);
    export.baseUri(this.baseUri);
    userEndpoints.baseUri(this.baseUri);
  }

  /** The address the fake serves on. */
  public synchronized String baseUri() {
    return baseUri;
  }

  /** {@code POST /oauth/tokens}. */
  public synchronized Reply oauthToken(String body, String contentType) {
    return oauth.token(body, contentType);
  }

  /** {@code GET /oauth/authorizations/new}: an admin who approves, as a redirect. */
  public synchronized Reply authorizationPage(URI page) {
    try {
      return Reply.empty(302).header("Location", oauth.authorize(page, true).toString());
    } catch (IllegalArgumentException notOurs) {
      return Reply.html(400, "<html><body><h1>Invalid authorization request</h1></body></html>");
    }
  }

  /** The redirect an admin approving or denying the authorization page would get. */
  public synchronized URI authorize(URI page, boolean approve) {
    return oauth.authorize(page, approve);
  }

  /** Revokes every OAuth token. */
  public synchronized void revokeOAuthTokens() {
    oauth.revokeAll();
  }

  /** Deletes an OAuth client and its tokens. */
  public synchronized void deleteOAuthClient(String id) {
    oauth.deleteClient(id);
  }

  /** Adds a confidential OAuth client (an admin's), or a public one when the secret is null. */
  public synchronized void addOAuthClient(String id, String secret) {
    oauth.addClient(id, secret, FakeAccount.Role.ADMIN);
  }

  /** How many tokens the grant issued. */
  public synchronized int oauthGrants(String grantType) {
    return oauth.granted(FakeOAuth.GrantType.valueOf(grantType));
  }

  /** Sets how long new access and refresh tokens last. */
  public synchronized void oauthLifetimes(Duration access, Duration refresh) {
    oauth.lifetimes(access, refresh);
  }

  /** Forgets users, fields, jobs, OAuth tokens and rate-limit counts. */
  public synchronized void clear() {
    oauth.clear();
    users.clear();
    fields.clear();
    jobs.clear();
    account.clear();
    desk.clear();
  }

  /** The signing secret every webhook created from now on gets (null: a random one each). */
  public synchronized void webhookSigningSecret(String secret) {
    desk.signingSecretOfNewWebhooks(secret);
  }

  /** Points a webhook at another endpoint. */
  public synchronized void webhookEndpoint(String webhookId, URI endpoint) {
    desk.endpoint(webhookId, endpoint);
  }

  /** Turns bulk import on or off; off, {@code create_or_update_many} answers 403. */
  public synchronized void bulkImport(boolean enabled) {
    this.bulkImport = enabled;
  }

  /** Sets the account's requests per minute. */
  public synchronized void requestsPerMinute(int limit) {
    account.requestsPerMinute(limit);
  }

  /** Sets how long, on the fake's clock, a bulk job takes to run. */
  public synchronized void jobDuration(Duration duration) {
    jobs.duration(duration);
  }

  /** Makes each of the next {@code times} bulk jobs end with the fault. */
  public synchronized void failNextJobs(int times, FakeJobFault fault) {
    jobs.failNext(times, fault);
  }

  /** Forgets planned job faults. */
  public synchronized void clearJobFaults() {
    jobs.clearFaults();
  }

  /** Keeps at most this many applied user writes; 0 keeps none. */
  public synchronized void writeLogSize(int size) {
    users.writeLogSize(size);
  }

  // ---------------------------------------------------------------- back doors

  /** Adds a user directly, as if an agent had created it, with field values by key. */
  public synchronized FakeUser addUser(String name, String email, String externalId,
      Map<String, Object> fieldValues) {
    Map<String, List<String>> problems = new LinkedHashMap<>();
    Map<String, Object> values = fields.values(JSON.valueToTree(fieldValues), problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("the fake cannot hold these field values: " + problems);
    }
    return users.snapshot(users.add(name, email, externalId, values), fields.all());
  }

  /** Changes a user's field values, as an agent editing the profile would; false: no user. */
  public synchronized boolean editUserFields(String email, Map<String, Object> fieldValues) {
    jobs.runDue();
    UserStore.User user = users.byPrimaryEmail(email);
    if (user == null) {
      return false;
    }
    Map<String, List<String>> problems = new LinkedHashMap<>();
    Map<String, Object> values = fields.values(JSON.valueToTree(fieldValues), problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("the fake cannot hold these field values: " + problems);
    }
    users.update(user, NODES.objectNode(), values);
    return true;
  }

  /**
   * Sets standard attributes of the user with this primary email (as an agent would), touching
   * it; false when there is none.
   */
  public synchronized boolean changeUser(String email, Map<String, Object> attributes) {
    jobs.runDue();
    UserStore.User user = users.byPrimaryEmail(email);
    if (user == null) {
      return false;
    }
    users.update(user, JSON.valueToTree(attributes), Map.of());
    return true;
  }

  /** A ticket requested by the user with this primary email; null when there is none. */
  public synchronized FakeTicket createTicket(String requesterEmail, String subject) {
    UserStore.User user = users.byPrimaryEmail(requesterEmail);
    return user == null ? null : desk.createTicket(user.id, subject);
  }

  /** A ticket as it stands, or null. */
  public synchronized FakeTicket ticket(long id) {
    return desk.ticket(id);
  }

  /** An agent's edit of a ticket's custom fields; false when there is no such ticket. */
  public synchronized boolean updateTicketAsAgent(long id, Map<Long, Object> values) {
    return desk.agentUpdate(id, values, 2);
  }

  /** The ticket fields, webhooks, triggers or macros defined, as Zendesk lists them. */
  public synchronized List<JsonNode> definitions(String kind) {
    return desk.all(kind);
  }

  /** Each webhook invocation is delivered this many times. */
  public synchronized void deliveriesPerInvocation(int copies) {
    desk.deliveriesPerInvocation(copies);
  }

  /** The webhook deliveries made, in order. */
  public List<FakeWebhookDelivery> webhookDeliveries() {
    return desk.deliveries().stream().map(delivery -> new FakeWebhookDelivery(
        delivery.webhookId(), delivery.invocationId(), delivery.body(), delivery.attempts()))
        .toList();
  }

  /** Stops sending webhooks. */
  public void close() {
    desk.close();
  }

  /** The user with this primary email, any case. */
  public synchronized Optional<FakeUser> user(String email) {
    jobs.runDue();
    return Optional.ofNullable(users.byPrimaryEmail(email))
        .map(user -> users.snapshot(user, fields.all()));
  }

  /** The user with this external id, any case. */
  public synchronized Optional<FakeUser> userByExternalId(String externalId) {
    jobs.runDue();
    return Optional.ofNullable(users.byExternalId(externalId))
        .map(user -> users.snapshot(user, fields.all()));
  }

  /** Every user. */
  public synchronized List<FakeUser> users() {
    jobs.runDue();
    List<FieldStore.Field> definitions = fields.all();
    return users.all().stream().map(user -> users.snapshot(user, definitions)).toList();
  }

  /** Every applied user write, oldest first. */
  public synchronized List<FakeUserWrite> userWrites() {
    jobs.runDue();
    return users.writes();
  }

  /** Every user-field definition. */
  public synchronized List<FakeUserField> userFields() {
    return fields.all().stream().map(FieldStore.Field::snapshot).toList();
  }

  /**
   * Defines a user field, as an admin would in Admin Center.
   *
   * @param options the option values of a dropdown or multiselect, else empty
   * @param regexp the pattern of a regexp field, else null
   */
  public synchronized FakeUserField addUserField(String key, ZendeskFieldType type, String title,
      String description, boolean active, List<String> options, String regexp) {
    ObjectNode wanted = NODES.objectNode();
    wanted.put("key", key);
    wanted.put("type", type.apiName());
    wanted.put("title", title);
    wanted.put("description", description);
    wanted.put("active", active);
    if (!options.isEmpty()) {
      ArrayNode list = wanted.putArray("custom_field_options");
      options.forEach(value -> list.addObject().put("name", value).put("value", value));
    }
    wanted.put("regexp_for_validation", regexp);
    Map<String, List<String>> problems = new LinkedHashMap<>();
    FieldStore.Field field = fields.create(wanted, problems);
    if (field == null) {
      throw new IllegalArgumentException("the fake cannot define field " + key + ": " + problems);
    }
    return field.snapshot();
  }

  /** Defines every field of a schema that is not defined yet. */
  public synchronized void provision(FieldSchema schema) {
    for (FieldSchema.Field field : schema.fields()) {
      if (fields.byKey(field.key()) == null) {
        addUserField(field.key(), field.type(), field.title(), field.description(), true,
            List.of(), null);
      }
    }
  }

  /** Jobs that are queued or working. */
  public synchronized int runningJobs() {
    jobs.runDue();
    return jobs.running();
  }

  // ---------------------------------------------------------------- requests

  /** Answers a request: credentials, the account's limits, then the endpoint's handler. */
  public synchronized Reply handle(Request request) {
    jobs.runDue();
    String authorization = request.header().apply("Authorization");
    FakeAccount.Role role;
    Reply reply;
    if (authorization != null && authorization.startsWith("Bearer ")
        && !authorization.equals(staticBearer)) {
      String token = authorization.substring("Bearer ".length());
      role = oauth.role(token);
      reply = role == null ? FakeOAuth.invalidToken()
          : !oauth.allows(token, scopeResource(request.endpoint()),
              !request.endpoint().method().equals("GET"))
              ? Replies.error(403, "Forbidden", "The OAuth token's scopes do not allow this call.")
              : account.authenticate(request.endpoint(), role);
    } else {
      role = account.role(authorization);
      reply = account.authenticate(request.endpoint(), role);
    }
    if (reply == null) {
      reply = account.count();
    }
    if (reply == null && request.endpoint() == FakeEndpoint.EXPORT_USERS) {
      reply = account.countExport();
    }
    if (reply == null) {
      reply = route(request, role);
    }
    if (request.endpoint() == FakeEndpoint.EXPORT_USERS && role != null) {
      reply = account.withExportHeader(reply);
    }
    return account.withHeaders(reply);
  }

  private Reply route(Request request, FakeAccount.Role role) {
    FakeEndpoint endpoint = request.endpoint();
    boolean userWrite = endpoint.isSingleUserWrite() || endpoint == FakeEndpoint.UPDATE_MANY_USERS
        || endpoint == FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS;
    String agent = request.header().apply("User-Agent");
    if (userWrite && (agent == null || agent.isBlank())) {
      return Replies.error(500, "InternalServerError", "Something went wrong");
    }
    JsonNode body;
    try {
      body = request.body() == null || request.body().isBlank() ? NODES.objectNode()
          : JSON.readTree(request.body());
    } catch (JsonProcessingException e) {
      return Replies.invalidAttribute("The request body is not valid JSON");
    }
    Map<String, String> query = request.query();
    String id = request.pathId();
    switch (endpoint) {
      case SHOW_CURRENT_OAUTH_TOKEN:
        return oauth.current(bearerToken(request));
      case REVOKE_CURRENT_OAUTH_TOKEN:
        return oauth.revoke(bearerToken(request));
      case SHOW_CURRENT_USER:
        return Replies.ok(200, NODES.objectNode().set("user", account.me(role, baseUri)));
      case SHOW_USER:
        return userEndpoints.show(Long.parseLong(id));
      case SHOW_MANY_USERS:
        return userEndpoints.showMany(query);
      case SEARCH_USERS:
        return userEndpoints.search(query);
      case COUNT_USERS:
        return userEndpoints.count();
      case UPDATE_USER:
        return userEndpoints.update(Long.parseLong(id), body);
      case CREATE_OR_UPDATE_USER:
        return userEndpoints.createOrUpdate(body);
      case UPDATE_MANY_USERS:
        return userEndpoints.updateMany(query, body);
      case CREATE_OR_UPDATE_MANY_USERS:
        return bulkImport ? userEndpoints.createOrUpdateMany(body)
            : Replies.error(403, "Forbidden", "You do not have access to this page. Bulk user"
                + " import is not enabled for this account.");
      case EXPORT_USERS:
        return export.page(query, fields.all());
      case SHOW_JOB_STATUS:
        return jobs.show(id);
      case SHOW_MANY_JOB_STATUSES:
        return jobs.showMany(query.getOrDefault("ids", ""));
      case LIST_USER_FIELDS:
        return fields.list(query);
      case SHOW_USER_FIELD:
        return showField(id);
      case CREATE_USER_FIELD:
        return createField(body);
      case UPDATE_USER_FIELD:
        return updateField(id, body);
      case DELETE_USER_FIELD:
        return deleteField(id);
      case SHOW_TICKET:
        return desk.show(Long.parseLong(id));
      case UPDATE_TICKET:
        return desk.update(Long.parseLong(id), body, role == FakeAccount.Role.ADMIN ? 1 : 2);
      case LIST_TICKET_FIELDS:
        return desk.list("ticket_fields");
      case CREATE_TICKET_FIELD:
        return desk.create("ticket_fields", body);
      case LIST_WEBHOOKS:
        return desk.list("webhooks");
      case CREATE_WEBHOOK:
        return desk.create("webhooks", body);
      case SHOW_WEBHOOK_SIGNING_SECRET:
        return desk.signingSecret(id);
      case LIST_TRIGGERS:
        return desk.list("triggers");
      case CREATE_TRIGGER:
        return desk.create("triggers", body);
      case LIST_MACROS:
        return desk.list("macros");
      case CREATE_MACRO:
        return desk.create("macros", body);
      default:
        return Replies.error(404, "InvalidEndpoint", "Not found");
    }
  }

  // ---------------------------------------------------------------- user fields

  private Reply showField(String idOrKey) {
    FieldStore.Field field = fields.byIdOrKey(idOrKey);
    return field == null ? Replies.notFound()
        : Replies.ok(200, NODES.objectNode().set("user_field", fields.json(field)));
  }

  private Reply createField(JsonNode body) {
    Map<String, List<String>> problems = new LinkedHashMap<>();
    FieldStore.Field field = fields.create(body.path("user_field"), problems);
    if (field == null) {
      return Replies.invalid(problems);
    }
    return Replies.ok(201, NODES.objectNode().set("user_field", fields.json(field)))
        .header("Location", baseUri + "/api/v2/user_fields/" + field.id + ".json");
  }

  private Reply updateField(String idOrKey, JsonNode body) {
    FieldStore.Field field = fields.byIdOrKey(idOrKey);
    if (field == null) {
      return Replies.notFound();
    }
    Map<String, List<String>> problems = new LinkedHashMap<>();
    if (!fields.change(field, body.path("user_field"), problems)) {
      return Replies.invalid(problems);
    }
    return Replies.ok(200, NODES.objectNode().set("user_field", fields.json(field)));
  }

  private Reply deleteField(String idOrKey) {
    FieldStore.Field field = fields.byIdOrKey(idOrKey);
    if (field == null) {
      return Replies.notFound();
    }
    fields.delete(field);
    // Zendesk drops the field's values with it: a field created again under the key starts empty
    users.all().forEach(user -> user.fields.remove(field.key));
    return Reply.empty(204);
  }

  private static String bearerToken(Request request) {
    String authorization = request.header().apply("Authorization");
    return authorization != null && authorization.startsWith("Bearer ")
        ? authorization.substring("Bearer ".length()) : "";
  }

  /** The resource of an endpoint in OAuth scopes ({@code users:write}, {@code tickets:read}). */
  private static String scopeResource(FakeEndpoint endpoint) {
    String path = endpoint.pathTemplate();
    if (path.startsWith("/tickets") || path.startsWith("/ticket_fields")) {
      return "tickets";
    }
    if (path.startsWith("/webhooks")) {
      return "webhooks";
    }
    if (path.startsWith("/triggers")) {
      return "triggers";
    }
    if (path.startsWith("/macros")) {
      return "macros";
    }
    return "users"; // users, user fields, their jobs and export
  }
}
