package io.github.zendeskloyalty.testkit.internal;

import static io.github.zendeskloyalty.testkit.internal.Replies.JSON;
import static io.github.zendeskloyalty.testkit.internal.Replies.NODES;
import static io.github.zendeskloyalty.testkit.internal.Replies.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.ZendeskFieldType;
import io.github.zendeskloyalty.testkit.FakeEndpoint;
import io.github.zendeskloyalty.testkit.FakeJobFault;
import io.github.zendeskloyalty.testkit.FakeUser;
import io.github.zendeskloyalty.testkit.FakeUserField;
import io.github.zendeskloyalty.testkit.FakeUserWrite;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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

  /** A request as the router hands it over. */
  public record Request(FakeEndpoint endpoint, String pathId, Map<String, String> query,
      Function<String, String> header, String body) {}

  private final FakeAccount account;
  private final UserStore users;
  private final FieldStore fields;
  private final JobQueue jobs;
  private final UserExport export;
  private String baseUri;
  private boolean bulkImport;

  /** A backend with the given limits. */
  public FakeBackend(Config config, int requestsPerMinute, boolean bulkImport) {
    this.account = new FakeAccount(config.clock(), new FakeAccount.Credentials(config.adminEmail(),
        config.adminToken(), config.agentEmail(), config.agentToken(), config.oauthToken()),
        requestsPerMinute);
    this.users = new UserStore(config.clock(), config.writeLogSize());
    this.fields = new FieldStore(config.clock());
    this.jobs = new JobQueue(config.clock());
    this.export = new UserExport(users);
    this.bulkImport = bulkImport;
  }

  /** Sets the address the fake serves on, for the {@code url} fields of answers. */
  public synchronized void baseUri(URI baseUri) {
    this.baseUri = baseUri.toString();
    users.baseUri(this.baseUri);
    fields.baseUri(this.baseUri);
    jobs.baseUri(this.baseUri);
    export.baseUri(this.baseUri);
  }

  /** Forgets users, fields, jobs and rate-limit counts. */
  public synchronized void clear() {
    users.clear();
    fields.clear();
    jobs.clear();
    account.clear();
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
    FakeAccount.Role role = account.role(request.header().apply("Authorization"));
    Reply reply = account.authenticate(request.endpoint(), role);
    if (reply == null) {
      reply = account.count();
    }
    if (reply == null && request.endpoint() == FakeEndpoint.EXPORT_USERS) {
      reply = account.countExport();
    }
    if (reply == null) {
      reply = route(request, role);
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
      case SHOW_CURRENT_USER:
        return Replies.ok(200, NODES.objectNode().set("user", account.me(role, baseUri)));
      case SHOW_USER:
        return showUser(Long.parseLong(id));
      case SHOW_MANY_USERS:
        return showManyUsers(query);
      case SEARCH_USERS:
        return searchUsers(query);
      case UPDATE_USER:
        return updateUser(Long.parseLong(id), body);
      case CREATE_OR_UPDATE_USER:
        return createOrUpdateUser(body);
      case UPDATE_MANY_USERS:
        return updateMany(query, body);
      case CREATE_OR_UPDATE_MANY_USERS:
        return createOrUpdateMany(body);
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
      default:
        return Replies.error(404, "InvalidEndpoint", "Not found");
    }
  }

  // ---------------------------------------------------------------- users

  private ObjectNode userJson(UserStore.User user) {
    return users.json(user, fields.all());
  }

  private Reply showUser(long id) {
    UserStore.User user = users.byId(id);
    return user == null ? Replies.notFound()
        : Replies.ok(200, NODES.objectNode().set("user", userJson(user)));
  }

  private Reply showManyUsers(Map<String, String> query) {
    ArrayNode list = NODES.arrayNode();
    String key = query.containsKey("ids") ? "ids" : "external_ids";
    if (!query.containsKey(key)) {
      return Replies.invalidAttribute("ids or external_ids is required");
    }
    List<String> ids = Replies.split(query.get(key));
    if (ids.size() > MAX_BULK_USERS) {
      return Replies.tooMany(key, ids.size(), MAX_BULK_USERS);
    }
    for (String wanted : ids) {
      UserStore.User user = key.equals("ids")
          ? (wanted.matches("\\d{1,18}") ? users.byId(Long.parseLong(wanted)) : null)
          : users.byExternalId(wanted);
      if (user != null) {
        list.add(userJson(user));
      }
    }
    return Replies.ok(200, NODES.objectNode().set("users", list));
  }

  private Reply searchUsers(Map<String, String> query) {
    List<UserStore.User> found;
    if (query.containsKey("external_id")) {
      UserStore.User user = users.byExternalId(query.get("external_id"));
      found = user == null ? List.of() : List.of(user);
    } else if (query.containsKey("query")) {
      try {
        found = users.search(query.get("query"));
      } catch (IllegalArgumentException unsupported) {
        return Replies.invalidAttribute("Unsupported search query: " + unsupported.getMessage());
      }
    } else {
      return Replies.invalidAttribute("query or external_id is required");
    }
    ObjectNode answer = NODES.objectNode();
    ArrayNode list = answer.putArray("users");
    found.forEach(user -> list.add(userJson(user)));
    answer.putNull("next_page");
    answer.putNull("previous_page");
    answer.put("count", found.size());
    return Replies.ok(200, answer);
  }

  private Reply updateUser(long id, JsonNode body) {
    UserStore.User user = users.byId(id);
    if (user == null) {
      return Replies.notFound();
    }
    Reply limited = account.singleUserLimit("id:" + id);
    if (limited != null) {
      return limited;
    }
    JsonNode changes = body.path("user");
    Map<String, List<String>> problems = new LinkedHashMap<>();
    Map<String, Object> values = fields.values(changes.path("user_fields"), problems);
    users.checkUpdate(changes, problems);
    if (!problems.isEmpty()) {
      return Replies.invalid(problems);
    }
    users.update(user, changes, values);
    return Replies.ok(200, NODES.objectNode().set("user", userJson(user)));
  }

  private Reply createOrUpdateUser(JsonNode body) {
    JsonNode wanted = body.path("user");
    UserStore.User existing = users.match(wanted);
    Reply limited = account.singleUserLimit(existing != null ? "id:" + existing.id
        : "new:" + text(wanted, "external_id") + "/" + text(wanted, "email"));
    if (limited != null) {
      return limited;
    }
    Map<String, List<String>> problems = new LinkedHashMap<>();
    Written written = createOrUpdate(wanted, problems);
    if (written == null) {
      return Replies.invalid(problems);
    }
    Reply reply = Replies.ok(written.created() ? 201 : 200,
        NODES.objectNode().set("user", userJson(written.user())));
    return written.created()
        ? reply.header("Location", baseUri + "/api/v2/users/" + written.user().id + ".json")
        : reply;
  }

  private record Written(UserStore.User user, boolean created) {}

  /** Creates or updates one user from a request object; null (with problems) when invalid. */
  private Written createOrUpdate(JsonNode wanted, Map<String, List<String>> problems) {
    Map<String, Object> values = fields.values(wanted.path("user_fields"), problems);
    UserStore.User existing = users.match(wanted);
    if (existing != null) {
      users.checkUpdate(wanted, problems);
      if (!problems.isEmpty()) {
        return null;
      }
      users.update(existing, wanted, values);
      return new Written(existing, false);
    }
    UserStore.User created = users.create(wanted, values, problems);
    return created == null ? null : new Written(created, true);
  }

  /**
   * {@code create_or_update_many}. Results as Zendesk gives them, in request order: a success
   * is {@code {"id", "status": "Created"|"Updated", "email"?, "external_id"?}}; a failure is
   * {@code {"status": "Failed", "error", "details", "email"?, "external_id"?}}, with the user's
   * {@code id} only when it failed to update an existing user.
   */
  private Reply createOrUpdateMany(JsonNode body) {
    if (!bulkImport) {
      return Replies.error(403, "Forbidden", "You do not have access to this page. Bulk user"
          + " import is not enabled for this account.");
    }
    JsonNode list = body.path("users");
    Reply refused = checkBulk(list);
    if (refused != null) {
      return refused;
    }
    return jobs.submit("create_or_update_many_users", list.size(), (index, fail) -> {
      JsonNode wanted = list.get(index);
      ObjectNode result = NODES.objectNode();
      UserStore.User existing = users.match(wanted);
      Map<String, List<String>> problems = new LinkedHashMap<>();
      if (fail) {
        problems.put("base", List.of("Injected failure"));
      }
      Written written = problems.isEmpty() ? createOrUpdate(wanted, problems) : null;
      if (written == null) {
        if (existing != null) {
          result.put("id", existing.id);
        }
        result.put("status", "Failed");
        result.put("error", existing != null ? "UserUpdateError" : "UserCreateError");
        result.put("details", describe(problems));
      } else {
        result.put("id", written.user().id);
        result.put("status", written.created() ? "Created" : "Updated");
      }
      if (text(wanted, "email") != null) {
        result.put("email", text(wanted, "email"));
      }
      if (text(wanted, "external_id") != null) {
        result.put("external_id", text(wanted, "external_id"));
      }
      return result;
    });
  }

  /**
   * {@code update_many}, with a {@code users} array of objects carrying their {@code id}, or
   * with {@code ?ids=} / {@code ?external_ids=} and one {@code user} object applied to each.
   * Results: {@code {"id", "action": "update", "success", "status": "Updated"|"Failed"}}, with
   * {@code error} and {@code details} on failure.
   */
  private Reply updateMany(Map<String, String> query, JsonNode body) {
    List<Long> ids = new ArrayList<>();
    List<JsonNode> changes = new ArrayList<>();
    if (query.containsKey("ids") || query.containsKey("external_ids")) {
      boolean byId = query.containsKey("ids");
      List<String> keys = Replies.split(query.get(byId ? "ids" : "external_ids"));
      if (keys.isEmpty() || keys.size() > MAX_BULK_USERS) {
        return keys.isEmpty() ? Replies.invalidAttribute("ids must not be empty")
            : Replies.tooMany(byId ? "ids" : "external_ids", keys.size(), MAX_BULK_USERS);
      }
      JsonNode user = body.path("user");
      if (!user.isObject()) {
        return Replies.invalidAttribute("user must be an object");
      }
      for (String key : keys) {
        UserStore.User found = byId ? (key.matches("\\d{1,18}") ? users.byId(Long.parseLong(key))
            : null) : users.byExternalId(key);
        ids.add(found == null ? -1 : found.id);
        changes.add(user);
      }
    } else {
      JsonNode list = body.path("users");
      Reply refused = checkBulk(list);
      if (refused != null) {
        return refused;
      }
      for (JsonNode user : list) {
        ids.add(user.path("id").asLong(-1));
        changes.add(user);
      }
    }
    return jobs.submit("update_many_users", ids.size(), (index, fail) -> {
      long id = ids.get(index);
      ObjectNode result = NODES.objectNode();
      result.put("id", id);
      result.put("action", "update");
      UserStore.User user = users.byId(id);
      Map<String, List<String>> problems = new LinkedHashMap<>();
      Map<String, Object> values = fields.values(changes.get(index).path("user_fields"), problems);
      users.checkUpdate(changes.get(index), problems);
      if (user == null) {
        problems.put("id", List.of("User " + id + " not found"));
      }
      if (fail) {
        problems.put("base", List.of("Injected failure"));
      }
      if (problems.isEmpty()) {
        users.update(user, changes.get(index), values);
        result.put("success", true);
        result.put("status", "Updated");
      } else {
        result.put("success", false);
        result.put("status", "Failed");
        result.put("error", "UserUpdateError");
        result.put("details", describe(problems));
      }
      return result;
    });
  }

  private static Reply checkBulk(JsonNode list) {
    if (!list.isArray() || list.isEmpty()) {
      return Replies.invalidAttribute("users must be a non-empty array");
    }
    if (list.size() > MAX_BULK_USERS) {
      return Replies.tooMany("users", list.size(), MAX_BULK_USERS);
    }
    return null;
  }

  private static String describe(Map<String, List<String>> problems) {
    List<String> all = new ArrayList<>();
    problems.values().forEach(all::addAll);
    return String.join("; ", all);
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
    return Reply.empty(204);
  }
}
