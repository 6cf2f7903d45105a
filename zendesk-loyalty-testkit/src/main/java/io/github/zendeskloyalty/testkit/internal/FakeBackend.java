package io.github.zendeskloyalty.testkit.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.ZendeskFieldType;
import io.github.zendeskloyalty.testkit.FakeEndpoint;
import io.github.zendeskloyalty.testkit.FakeUser;
import io.github.zendeskloyalty.testkit.FakeUserField;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fake's state and its answers, as Zendesk gives them. Every method holds the backend's
 * lock, so requests are applied one at a time. Not part of the API.
 */
public final class FakeBackend {

  /** Zendesk's limit on queued or running jobs per account. */
  public static final int MAX_JOBS = 30;
  /** Zendesk's limit of users per bulk call. */
  public static final int MAX_BULK_USERS = 100;

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern KEY_SHAPE = Pattern.compile("[A-Za-z0-9_]*[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern USER_ID_PATH = Pattern.compile("/users/(\\d+)");
  private static final Pattern JOB_PATH = Pattern.compile("/job_statuses/([^/]+)");
  private static final Pattern FIELD_PATH = Pattern.compile("/user_fields/([^/]+)");
  private static final Pattern SEARCH_TERM =
      Pattern.compile("(email|external_id):\"?([^\"\\s]+)\"?", Pattern.CASE_INSENSITIVE);

  /** The fake's fixed configuration. */
  public record Config(Clock clock, String adminEmail, String apiToken, String agentEmail,
      String agentToken, String oauthToken) {}

  private final Config config;
  private URI baseUri;
  private int requestsPerMinute;
  private boolean bulkImport;
  private int jobPollsUntilComplete;

  private final Map<Long, UserRecord> users = new LinkedHashMap<>();
  private final Map<String, FieldRecord> fields = new LinkedHashMap<>();
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private long nextUserId;
  private long nextFieldId;
  private long nextJobNumber;
  private long windowStartSecond = Long.MIN_VALUE;
  private int requestsInWindow;
  private Instant lastSingleUserWrite;
  private final Map<String, Deque<Instant>> singleUserWrites = new HashMap<>();

  /** A backend with the given limits. */
  public FakeBackend(Config config, int requestsPerMinute, boolean bulkImport,
      int jobPollsUntilComplete) {
    this.config = config;
    this.requestsPerMinute = requestsPerMinute;
    this.bulkImport = bulkImport;
    this.jobPollsUntilComplete = jobPollsUntilComplete;
    clear();
  }

  /** Sets the address the fake serves on, for the {@code url} fields of answers. */
  public synchronized void baseUri(URI baseUri) {
    this.baseUri = baseUri;
  }

  /** Forgets users, fields, jobs and rate-limit counts. */
  public synchronized void clear() {
    users.clear();
    fields.clear();
    jobs.clear();
    nextUserId = 1000;
    nextFieldId = 5000;
    nextJobNumber = 0;
    windowStartSecond = Long.MIN_VALUE;
    requestsInWindow = 0;
    lastSingleUserWrite = null;
    singleUserWrites.clear();
  }

  /** Turns bulk import on or off; off, {@code create_or_update_many} answers 403. */
  public synchronized void bulkImport(boolean enabled) {
    this.bulkImport = enabled;
  }

  /** Sets the account's requests per minute. */
  public synchronized void requestsPerMinute(int limit) {
    this.requestsPerMinute = limit;
  }

  /** Sets how many polls a job stays queued before it completes. */
  public synchronized void jobPollsUntilComplete(int polls) {
    this.jobPollsUntilComplete = polls;
  }

  // ---------------------------------------------------------------- back doors

  /** Adds a user directly, as if an agent had created it. */
  public synchronized FakeUser addUser(String name, String email, String externalId) {
    if (email != null && findByEmail(email).isPresent()) {
      throw new IllegalArgumentException("the fake already has a user with email " + email);
    }
    if (externalId != null && findByExternalId(externalId).isPresent()) {
      throw new IllegalArgumentException("the fake already has a user with external id " + externalId);
    }
    UserRecord user = new UserRecord(nextUserId++, name, email, externalId, now());
    users.put(user.id, user);
    return user.snapshot(fields);
  }

  /** The user with this primary email, any case. */
  public synchronized Optional<FakeUser> user(String email) {
    return findByEmail(email).map(user -> user.snapshot(fields));
  }

  /** The user with this external id, any case. */
  public synchronized Optional<FakeUser> userByExternalId(String externalId) {
    return findByExternalId(externalId).map(user -> user.snapshot(fields));
  }

  /** Every user. */
  public synchronized List<FakeUser> users() {
    return users.values().stream().map(user -> user.snapshot(fields)).toList();
  }

  /** Every user-field definition. */
  public synchronized List<FakeUserField> userFields() {
    return fields.values().stream().map(FieldRecord::snapshot).toList();
  }

  /** Defines a user field, as an admin would in Admin Center. */
  public synchronized FakeUserField addUserField(String key, ZendeskFieldType type, String title,
      String description, boolean active) {
    if (fields.containsKey(key.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("the fake already has a user field with key " + key);
    }
    FieldRecord field = new FieldRecord(nextFieldId++, key, type, title, description, active);
    fields.put(key.toLowerCase(Locale.ROOT), field);
    return field.snapshot();
  }

  /** Defines every field of a schema that is not defined yet. */
  public synchronized void provision(FieldSchema schema) {
    for (FieldSchema.Field field : schema.fields()) {
      if (!fields.containsKey(field.key().toLowerCase(Locale.ROOT))) {
        addUserField(field.key(), field.type(), field.title(), field.description(), true);
      }
    }
  }

  /** Jobs that are queued or working. */
  public synchronized int runningJobs() {
    return (int) jobs.values().stream().filter(job -> !job.done).count();
  }

  // ---------------------------------------------------------------- routing

  /** Which endpoint a request is for, or {@link FakeEndpoint#ANY} when none. */
  public static FakeEndpoint classify(String method, String path) {
    switch (method + " " + path) {
      case "GET /users/show_many": return FakeEndpoint.SHOW_MANY_USERS;
      case "GET /users/search": return FakeEndpoint.SEARCH_USERS;
      case "POST /users/create_or_update": return FakeEndpoint.CREATE_OR_UPDATE_USER;
      case "POST /users/create_or_update_many": return FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS;
      case "PUT /users/update_many": return FakeEndpoint.UPDATE_MANY_USERS;
      case "GET /job_statuses/show_many": return FakeEndpoint.SHOW_MANY_JOB_STATUSES;
      case "GET /user_fields": return FakeEndpoint.LIST_USER_FIELDS;
      case "POST /user_fields": return FakeEndpoint.CREATE_USER_FIELD;
      default: break;
    }
    if (USER_ID_PATH.matcher(path).matches()) {
      return method.equals("GET") ? FakeEndpoint.SHOW_USER
          : method.equals("PUT") ? FakeEndpoint.UPDATE_USER : FakeEndpoint.ANY;
    }
    if (method.equals("GET") && JOB_PATH.matcher(path).matches()) {
      return FakeEndpoint.SHOW_JOB_STATUS;
    }
    if (method.equals("GET") && FIELD_PATH.matcher(path).matches()) {
      return FakeEndpoint.SHOW_USER_FIELD;
    }
    return FakeEndpoint.ANY;
  }

  /**
   * Answers a request.
   *
   * @param path the path below {@code /api/v2}, without {@code .json} and query
   * @param header reads a request header by name
   */
  public synchronized Reply handle(FakeEndpoint endpoint, String method, String path,
      Map<String, String> query, Function<String, String> header, String body) {
    Reply reply = authenticate(endpoint, header.apply("Authorization"));
    if (reply == null) {
      reply = countRequest();
    }
    if (reply == null) {
      reply = route(endpoint, path, query, header, body);
    }
    long remaining = Math.max(0, requestsPerMinute - requestsInWindow);
    long reset = windowStartSecond + 60 - now().getEpochSecond();
    return reply.header("X-Rate-Limit", String.valueOf(requestsPerMinute))
        .header("X-Rate-Limit-Remaining", String.valueOf(remaining))
        .header("ratelimit-limit", String.valueOf(requestsPerMinute))
        .header("ratelimit-remaining", String.valueOf(remaining))
        .header("ratelimit-reset", String.valueOf(Math.max(1, reset)));
  }

  private Reply authenticate(FakeEndpoint endpoint, String authorization) {
    String admin = basic(config.adminEmail(), config.apiToken());
    String agent = basic(config.agentEmail(), config.agentToken());
    if (admin.equals(authorization) || ("Bearer " + config.oauthToken()).equals(authorization)) {
      return null;
    }
    if (agent.equals(authorization)) {
      return endpoint == FakeEndpoint.CREATE_USER_FIELD ? error(403, "Forbidden",
          "You do not have access to this page. Please contact the account owner of this help"
              + " desk for further help.") : null;
    }
    return Reply.json(401, "{\"error\":\"Couldn't authenticate you\"}");
  }

  private static String basic(String email, String token) {
    return "Basic " + Base64.getEncoder().encodeToString(
        (email + "/token:" + token).getBytes(StandardCharsets.UTF_8));
  }

  private Reply countRequest() {
    long second = now().getEpochSecond();
    long window = Math.floorDiv(second, 60) * 60;
    if (window != windowStartSecond) {
      windowStartSecond = window;
      requestsInWindow = 0;
    }
    if (requestsInWindow >= requestsPerMinute) {
      return Reply.text(429, "Too Many Requests")
          .header("Retry-After", String.valueOf(Math.max(1, window + 60 - second)));
    }
    requestsInWindow++;
    return null;
  }

  private Reply route(FakeEndpoint endpoint, String path, Map<String, String> query,
      Function<String, String> header, String body) {
    if (endpoint.isSingleUserWrite() || endpoint == FakeEndpoint.UPDATE_MANY_USERS
        || endpoint == FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS) {
      String agent = header.apply("User-Agent");
      if (agent == null || agent.isBlank()) {
        return error(500, "InternalServerError", "Something went wrong");
      }
    }
    JsonNode json;
    try {
      json = body == null || body.isBlank() ? NODES.objectNode() : JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return Reply.json(400, "{\"error\":{\"title\":\"Invalid JSON\",\"message\":\"The request"
          + " body is not valid JSON\"}}");
    }
    switch (endpoint) {
      case SHOW_USER: return showUser(pathId(USER_ID_PATH, path));
      case SHOW_MANY_USERS: return showManyUsers(query);
      case SEARCH_USERS: return searchUsers(query);
      case UPDATE_USER: return updateUser(Long.parseLong(pathId(USER_ID_PATH, path)), json);
      case CREATE_OR_UPDATE_USER: return createOrUpdateUser(json);
      case UPDATE_MANY_USERS: return updateMany(json);
      case CREATE_OR_UPDATE_MANY_USERS: return createOrUpdateMany(json);
      case SHOW_JOB_STATUS: return showJob(pathId(JOB_PATH, path));
      case SHOW_MANY_JOB_STATUSES: return showManyJobs(query);
      case LIST_USER_FIELDS: return listFields(query);
      case SHOW_USER_FIELD: return showField(pathId(FIELD_PATH, path));
      case CREATE_USER_FIELD: return createField(json);
      default: return error(404, "InvalidEndpoint", "Not found");
    }
  }

  private static String pathId(Pattern pattern, String path) {
    Matcher matcher = pattern.matcher(path);
    if (!matcher.matches()) {
      throw new IllegalStateException("path " + path + " does not match " + pattern);
    }
    return matcher.group(1);
  }

  // ---------------------------------------------------------------- users

  private Reply showUser(String id) {
    UserRecord user = users.get(Long.parseLong(id));
    if (user == null) {
      return error(404, "RecordNotFound", "Not found");
    }
    return ok(200, NODES.objectNode().set("user", userJson(user)));
  }

  private Reply showManyUsers(Map<String, String> query) {
    ArrayNode list = NODES.arrayNode();
    if (query.containsKey("ids")) {
      List<String> ids = split(query.get("ids"));
      if (ids.size() > MAX_BULK_USERS) {
        return tooMany("ids", ids.size());
      }
      for (String id : ids) {
        if (id.matches("\\d+") && users.containsKey(Long.parseLong(id))) {
          list.add(userJson(users.get(Long.parseLong(id))));
        }
      }
    } else if (query.containsKey("external_ids")) {
      List<String> ids = split(query.get("external_ids"));
      if (ids.size() > MAX_BULK_USERS) {
        return tooMany("external_ids", ids.size());
      }
      for (String id : ids) {
        findByExternalId(id).ifPresent(user -> list.add(userJson(user)));
      }
    } else {
      return Reply.json(400, "{\"error\":{\"title\":\"Invalid attribute\",\"message\":\"ids or"
          + " external_ids is required\"}}");
    }
    return ok(200, NODES.objectNode().set("users", list));
  }

  private Reply searchUsers(Map<String, String> query) {
    ArrayNode list = NODES.arrayNode();
    if (query.containsKey("external_id")) {
      findByExternalId(query.get("external_id")).ifPresent(user -> list.add(userJson(user)));
    } else if (query.containsKey("query")) {
      String text = query.get("query").strip();
      Matcher term = SEARCH_TERM.matcher(text);
      if (term.matches()) {
        Optional<UserRecord> found = term.group(1).equalsIgnoreCase("email")
            ? findByEmailOrIdentity(term.group(2)) : findByExternalId(term.group(2));
        found.ifPresent(user -> list.add(userJson(user)));
      } else {
        String needle = text.toLowerCase(Locale.ROOT);
        users.values().stream()
            .filter(user -> contains(user.name, needle) || contains(user.email, needle))
            .forEach(user -> list.add(userJson(user)));
      }
    } else {
      return Reply.json(400, "{\"error\":{\"title\":\"Invalid attribute\",\"message\":\"query or"
          + " external_id is required\"}}");
    }
    ObjectNode answer = NODES.objectNode();
    answer.set("users", list);
    answer.putNull("next_page");
    answer.putNull("previous_page");
    answer.put("count", list.size());
    return ok(200, answer);
  }

  private static boolean contains(String text, String needle) {
    return text != null && text.toLowerCase(Locale.ROOT).contains(needle);
  }

  private Reply updateUser(long id, JsonNode body) {
    UserRecord user = users.get(id);
    if (user == null) {
      return error(404, "RecordNotFound", "Not found");
    }
    Reply limited = singleUserLimit("id:" + id);
    if (limited != null) {
      return limited;
    }
    JsonNode changes = body.path("user");
    Map<String, List<String>> problems = new LinkedHashMap<>();
    Map<String, Object> values = validateFields(changes.path("user_fields"), problems);
    if (!problems.isEmpty()) {
      return invalid(problems);
    }
    apply(user, changes, values);
    return ok(200, NODES.objectNode().set("user", userJson(user)));
  }

  private Reply createOrUpdateUser(JsonNode body) {
    JsonNode wanted = body.path("user");
    Optional<UserRecord> existing = match(wanted);
    String limitKey = existing.map(user -> "id:" + user.id)
        .orElse("new:" + identityOf(wanted));
    Reply limited = singleUserLimit(limitKey);
    if (limited != null) {
      return limited;
    }
    Map<String, List<String>> problems = new LinkedHashMap<>();
    Outcome outcome = createOrUpdate(wanted, problems);
    if (outcome == null) {
      return invalid(problems);
    }
    return ok(outcome.created ? 201 : 200, NODES.objectNode().set("user", userJson(outcome.user)));
  }

  private record Outcome(UserRecord user, boolean created) {}

  /** Creates or updates one user from a request object; null (with problems) when invalid. */
  private Outcome createOrUpdate(JsonNode wanted, Map<String, List<String>> problems) {
    Map<String, Object> values = validateFields(wanted.path("user_fields"), problems);
    Optional<UserRecord> existing = match(wanted);
    String name = text(wanted, "name");
    String email = text(wanted, "email");
    String externalId = text(wanted, "external_id");
    if (existing.isEmpty()) {
      if (name == null || name.isBlank()) {
        problems.put("name", List.of("Name: cannot be blank"));
      }
      if (email != null && !email.matches("[^\\s@]+@[^\\s@]+\\.[^\\s@]+")) {
        problems.put("email", List.of("Email: " + email + " is not properly formatted"));
      }
    }
    if (!problems.isEmpty()) {
      return null;
    }
    if (existing.isPresent()) {
      UserRecord user = existing.get();
      apply(user, wanted, values);
      return new Outcome(user, false);
    }
    UserRecord user = new UserRecord(nextUserId++, name, email, externalId, now());
    user.fields.putAll(values);
    users.put(user.id, user);
    return new Outcome(user, true);
  }

  /** Matches a request object to a user: by external id first, then by email. */
  private Optional<UserRecord> match(JsonNode wanted) {
    String externalId = text(wanted, "external_id");
    if (externalId != null) {
      Optional<UserRecord> byExternalId = findByExternalId(externalId);
      if (byExternalId.isPresent()) {
        return byExternalId;
      }
    }
    String email = text(wanted, "email");
    return email == null ? Optional.empty() : findByEmailOrIdentity(email);
  }

  private static String identityOf(JsonNode wanted) {
    String externalId = text(wanted, "external_id");
    return externalId != null ? "external_id:" + externalId.toLowerCase(Locale.ROOT)
        : "email:" + String.valueOf(text(wanted, "email")).toLowerCase(Locale.ROOT);
  }

  private void apply(UserRecord user, JsonNode changes, Map<String, Object> values) {
    String name = text(changes, "name");
    if (name != null && !name.isBlank()) {
      user.name = name;
    }
    String externalId = text(changes, "external_id");
    if (externalId != null) {
      user.externalId = externalId;
    }
    String email = text(changes, "email");
    if (email != null && (user.email == null || !user.email.equalsIgnoreCase(email))
        && user.secondaryEmails.stream().noneMatch(email::equalsIgnoreCase)) {
      if (user.email == null) {
        user.email = email;
      } else {
        user.secondaryEmails.add(email);
      }
    }
    user.fields.putAll(values);
    user.updatedAt = now();
  }

  private Reply createOrUpdateMany(JsonNode body) {
    if (!bulkImport) {
      return error(403, "Forbidden", "You do not have access to this page. Bulk user import is"
          + " not enabled for this account.");
    }
    return startBulkJob(body, (wanted, result) -> {
      Map<String, List<String>> problems = new LinkedHashMap<>();
      boolean existed = match(wanted).isPresent();
      Outcome outcome = createOrUpdate(wanted, problems);
      if (outcome == null) {
        failed(result, existed ? "UserUpdateError" : "UserCreateError", problems);
      } else {
        result.put("id", outcome.user.id);
        succeeded(result, outcome.created);
      }
      if (text(wanted, "email") != null) {
        result.put("email", text(wanted, "email"));
      }
      if (text(wanted, "external_id") != null) {
        result.put("external_id", text(wanted, "external_id"));
      }
    });
  }

  private Reply updateMany(JsonNode body) {
    return startBulkJob(body, (wanted, result) -> {
      long id = wanted.path("id").asLong(-1);
      result.put("id", id);
      UserRecord user = users.get(id);
      Map<String, List<String>> problems = new LinkedHashMap<>();
      Map<String, Object> values = validateFields(wanted.path("user_fields"), problems);
      if (user == null) {
        problems.put("id", List.of("User " + id + " not found"));
      }
      if (!problems.isEmpty()) {
        failed(result, "UserUpdateError", problems);
      } else {
        apply(user, wanted, values);
        succeeded(result, false);
      }
    });
  }

  /** Checks a bulk body's {@code users} and queues a job applying {@code item} to each. */
  private Reply startBulkJob(JsonNode body, BiConsumer<JsonNode, ObjectNode> item) {
    JsonNode list = body.path("users");
    if (!list.isArray() || list.isEmpty()) {
      return Reply.json(400, "{\"error\":{\"title\":\"Invalid attribute\",\"message\":\"users"
          + " must be a non-empty array\"}}");
    }
    if (list.size() > MAX_BULK_USERS) {
      return tooMany("users", list.size());
    }
    return startJob(list.size(), () -> {
      List<ObjectNode> results = new ArrayList<>();
      for (int index = 0; index < list.size(); index++) {
        ObjectNode result = NODES.objectNode();
        result.put("index", index);
        item.accept(list.get(index), result);
        results.add(result);
      }
      return results;
    });
  }

  private static void succeeded(ObjectNode result, boolean created) {
    result.put("action", created ? "create" : "update");
    result.put("status", created ? "Created" : "Updated");
    result.put("success", true);
  }

  private static void failed(ObjectNode result, String error, Map<String, List<String>> problems) {
    result.put("status", "Failed");
    result.put("success", false);
    result.put("error", error);
    result.put("details", describe(problems));
  }

  private static Reply tooMany(String what, int size) {
    return Reply.json(400, "{\"error\":{\"title\":\"Invalid attribute\",\"message\":\"Too many "
        + what + ": " + size + " (at most " + MAX_BULK_USERS + ")\"}}");
  }

  // ---------------------------------------------------------------- jobs

  private Reply startJob(int total, Supplier<List<ObjectNode>> work) {
    if (runningJobs() >= MAX_JOBS) {
      return error(429, "TooManyJobs", "Number of allowed bulk jobs (" + MAX_JOBS
          + ") exceeded; wait for running jobs to finish");
    }
    String id = String.format("%032x", ++nextJobNumber * 0x9E3779B97F4A7C15L);
    Job job = new Job(id, total, work);
    jobs.put(id, job);
    return ok(200, NODES.objectNode().set("job_status", jobJson(job)));
  }

  private Reply showJob(String id) {
    Job job = jobs.get(id);
    if (job == null) {
      return error(404, "RecordNotFound", "Not found");
    }
    poll(job);
    return ok(200, NODES.objectNode().set("job_status", jobJson(job)));
  }

  private Reply showManyJobs(Map<String, String> query) {
    ArrayNode list = NODES.arrayNode();
    for (String id : split(query.getOrDefault("ids", ""))) {
      Job job = jobs.get(id);
      if (job != null) {
        poll(job);
        list.add(jobJson(job));
      }
    }
    return ok(200, NODES.objectNode().set("job_statuses", list));
  }

  private void poll(Job job) {
    if (job.done) {
      return;
    }
    job.polls++;
    if (job.polls < jobPollsUntilComplete) {
      job.status = "working";
      return;
    }
    List<ObjectNode> results = new ArrayList<>(job.work.get());
    Collections.reverse(results);
    job.results = results;
    job.status = "completed";
    job.done = true;
  }

  private ObjectNode jobJson(Job job) {
    ObjectNode node = NODES.objectNode();
    node.put("id", job.id);
    node.put("url", baseUri + "/api/v2/job_statuses/" + job.id + ".json");
    node.put("status", job.status);
    node.put("total", job.total);
    node.put("progress", job.done ? job.total : 0);
    node.put("message", job.done ? "Completed at " + now() : null);
    if (job.results == null) {
      node.putNull("results");
    } else {
      node.set("results", NODES.arrayNode().addAll(job.results));
    }
    return node;
  }

  // ---------------------------------------------------------------- user fields

  private Reply listFields(Map<String, String> query) {
    int size;
    try {
      size = Integer.parseInt(query.getOrDefault("page[size]", "100"));
    } catch (NumberFormatException e) {
      size = -1;
    }
    if (size < 1 || size > 100) {
      return Reply.json(400, "{\"errors\":[{\"code\":\"InvalidPaginationParameter\",\"title\":"
          + "\"Invalid pagination parameter\",\"detail\":\"page[size] must be between 1 and"
          + " 100\"}]}");
    }
    int start = 0;
    String after = query.get("page[after]");
    if (after != null) {
      try {
        start = Integer.parseInt(new String(Base64.getUrlDecoder().decode(after),
            StandardCharsets.UTF_8));
      } catch (IllegalArgumentException badCursor) {
        return Reply.json(400, "{\"errors\":[{\"code\":\"InvalidPaginationParameter\",\"title\":"
            + "\"Invalid pagination parameter\",\"detail\":\"page[after] is not a cursor\"}]}");
      }
    }
    List<FieldRecord> all = new ArrayList<>(fields.values());
    int end = Math.min(all.size(), start + size);
    ArrayNode list = NODES.arrayNode();
    for (int i = start; i < end; i++) {
      list.add(fieldJson(all.get(i)));
    }
    boolean more = end < all.size();
    String cursor = Base64.getUrlEncoder().encodeToString(
        String.valueOf(end).getBytes(StandardCharsets.UTF_8));
    ObjectNode answer = NODES.objectNode();
    answer.set("user_fields", list);
    ObjectNode meta = answer.putObject("meta");
    meta.put("has_more", more);
    meta.put("after_cursor", more ? cursor : null);
    meta.putNull("before_cursor");
    ObjectNode links = answer.putObject("links");
    links.put("next", more ? baseUri + "/api/v2/user_fields?page[size]=" + size
        + "&page[after]=" + cursor : null);
    links.putNull("prev");
    return ok(200, answer);
  }

  private Reply showField(String idOrKey) {
    for (FieldRecord field : fields.values()) {
      if (String.valueOf(field.id).equals(idOrKey) || field.key.equalsIgnoreCase(idOrKey)) {
        return ok(200, NODES.objectNode().set("user_field", fieldJson(field)));
      }
    }
    return error(404, "RecordNotFound", "Not found");
  }

  private Reply createField(JsonNode body) {
    JsonNode wanted = body.path("user_field");
    String key = text(wanted, "key");
    String typeName = text(wanted, "type") == null ? "text" : text(wanted, "type");
    Map<String, List<String>> problems = new LinkedHashMap<>();
    if (key == null || !KEY_SHAPE.matcher(key).matches()) {
      problems.put("key", List.of("Key: is invalid"));
    } else if (fields.containsKey(key.toLowerCase(Locale.ROOT))) {
      problems.put("key", List.of("Key: has already been taken"));
    }
    ZendeskFieldType type = null;
    try {
      type = ZendeskFieldType.fromApiName(typeName);
    } catch (IllegalArgumentException unknown) {
      problems.put("type", List.of("Type: is not included in the list"));
    }
    String title = text(wanted, "title");
    if (title == null || title.isBlank()) {
      problems.put("title", List.of("Title: cannot be blank"));
    }
    if (!problems.isEmpty()) {
      return invalid(problems);
    }
    FieldRecord field = new FieldRecord(nextFieldId++, key, type, title,
        text(wanted, "description"), wanted.path("active").asBoolean(true));
    fields.put(key.toLowerCase(Locale.ROOT), field);
    return ok(201, NODES.objectNode().set("user_field", fieldJson(field)));
  }

  private ObjectNode fieldJson(FieldRecord field) {
    ObjectNode node = NODES.objectNode();
    node.put("id", field.id);
    node.put("url", baseUri + "/api/v2/user_fields/" + field.id + ".json");
    node.put("key", field.key);
    node.put("type", field.type.apiName());
    node.put("title", field.title);
    node.put("description", field.description);
    node.put("active", field.active);
    return node;
  }

  /**
   * The values of known keys, typed; unknown keys are ignored, as Zendesk does. Values of the
   * wrong JSON type are reported per key.
   */
  private Map<String, Object> validateFields(JsonNode userFields,
      Map<String, List<String>> problems) {
    Map<String, Object> values = new LinkedHashMap<>();
    if (!userFields.isObject()) {
      return values;
    }
    userFields.properties().forEach(entry -> {
      FieldRecord field = fields.get(entry.getKey().toLowerCase(Locale.ROOT));
      if (field == null) {
        return;
      }
      JsonNode value = entry.getValue();
      if (value.isNull()) {
        values.put(field.key, null);
        return;
      }
      Object typed = typed(field.type, value);
      if (typed == null) {
        problems.put(field.key, List.of(field.title + ": " + describe(value) + " is not a valid "
            + field.type.apiName() + " value"));
      } else {
        values.put(field.key, typed);
      }
    });
    return values;
  }

  private static Object typed(ZendeskFieldType type, JsonNode value) {
    switch (type) {
      case INTEGER:
        return value.isIntegralNumber() ? value.asLong() : null;
      case DECIMAL:
        return value.isNumber() ? value.decimalValue() : null;
      case CHECKBOX:
        return value.isBoolean() ? value.asBoolean() : null;
      case DATE:
        if (!value.isTextual()) {
          return null;
        }
        try {
          return LocalDate.parse(value.asText()).toString();
        } catch (DateTimeParseException notADate) {
          return null;
        }
      default:
        return value.isTextual() ? value.asText() : null;
    }
  }

  private static String describe(JsonNode value) {
    String text = value.toString();
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }

  private static String describe(Map<String, List<String>> problems) {
    List<String> all = new ArrayList<>();
    problems.values().forEach(all::addAll);
    return String.join("; ", all);
  }

  // ---------------------------------------------------------------- limits and helpers

  /** Zendesk's single-user write limits: 1 per second per account, 5 per minute per user. */
  private Reply singleUserLimit(String userKey) {
    Instant now = now();
    if (lastSingleUserWrite != null
        && Duration.between(lastSingleUserWrite, now).compareTo(Duration.ofSeconds(1)) < 0) {
      return Reply.text(429, "Too Many Requests").header("Retry-After", "1");
    }
    Deque<Instant> recent = singleUserWrites.computeIfAbsent(userKey, k -> new ArrayDeque<>());
    while (!recent.isEmpty() && !recent.peekFirst().plusSeconds(60).isAfter(now)) {
      recent.removeFirst();
    }
    if (recent.size() >= 5) {
      return Reply.text(429, "Rate limit for updating this user exceeded");
    }
    recent.addLast(now);
    lastSingleUserWrite = now;
    return null;
  }

  private Optional<UserRecord> findByEmail(String email) {
    return users.values().stream()
        .filter(user -> user.email != null && user.email.equalsIgnoreCase(email)).findFirst();
  }

  private Optional<UserRecord> findByEmailOrIdentity(String email) {
    return users.values().stream().filter(user ->
        (user.email != null && user.email.equalsIgnoreCase(email))
            || user.secondaryEmails.stream().anyMatch(email::equalsIgnoreCase)).findFirst();
  }

  private Optional<UserRecord> findByExternalId(String externalId) {
    return users.values().stream().filter(user ->
        user.externalId != null && user.externalId.equalsIgnoreCase(externalId)).findFirst();
  }

  private ObjectNode userJson(UserRecord user) {
    ObjectNode node = NODES.objectNode();
    node.put("id", user.id);
    node.put("url", baseUri + "/api/v2/users/" + user.id + ".json");
    node.put("name", user.name);
    node.put("email", user.email);
    node.put("external_id", user.externalId);
    node.put("role", "end-user");
    node.put("created_at", user.createdAt.toString());
    node.put("updated_at", user.updatedAt.toString());
    ObjectNode values = node.putObject("user_fields");
    for (FieldRecord field : fields.values()) {
      values.set(field.key, JSON.valueToTree(user.fields.get(field.key)));
    }
    return node;
  }

  private static List<String> split(String csv) {
    List<String> parts = new ArrayList<>();
    for (String part : csv.split(",")) {
      if (!part.isBlank()) {
        parts.add(part.strip());
      }
    }
    return parts;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Reply error(int status, String code, String description) {
    ObjectNode node = NODES.objectNode();
    node.put("error", code);
    node.put("description", description);
    return ok(status, node);
  }

  private static Reply invalid(Map<String, List<String>> problems) {
    ObjectNode node = NODES.objectNode();
    node.put("error", "RecordInvalid");
    node.put("description", "Record validation errors");
    ObjectNode details = node.putObject("details");
    problems.forEach((key, messages) -> {
      ArrayNode list = details.putArray(key);
      messages.forEach(message -> list.addObject().put("description", message));
    });
    return ok(422, node);
  }

  private static Reply ok(int status, JsonNode body) {
    try {
      return Reply.json(status, JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Instant now() {
    return config.clock().instant();
  }

  private static final class UserRecord {
    final long id;
    String name;
    String email;
    String externalId;
    final List<String> secondaryEmails = new ArrayList<>();
    final Map<String, Object> fields = new HashMap<>();
    final Instant createdAt;
    Instant updatedAt;

    UserRecord(long id, String name, String email, String externalId, Instant now) {
      this.id = id;
      this.name = name;
      this.email = email;
      this.externalId = externalId;
      this.createdAt = now;
      this.updatedAt = now;
    }

    FakeUser snapshot(Map<String, FieldRecord> definitions) {
      Map<String, Object> values = new LinkedHashMap<>();
      definitions.values().forEach(field -> values.put(field.key, fields.get(field.key)));
      return new FakeUser(id, name, email, externalId, secondaryEmails, values);
    }
  }

  private static final class FieldRecord {
    final long id;
    final String key;
    final ZendeskFieldType type;
    final String title;
    final String description;
    final boolean active;

    FieldRecord(long id, String key, ZendeskFieldType type, String title, String description,
        boolean active) {
      this.id = id;
      this.key = key;
      this.type = type;
      this.title = title;
      this.description = description;
      this.active = active;
    }

    FakeUserField snapshot() {
      return new FakeUserField(id, key, type, title, description, active);
    }
  }

  private static final class Job {
    final String id;
    final int total;
    final Supplier<List<ObjectNode>> work;
    String status = "queued";
    int polls;
    boolean done;
    List<ObjectNode> results;

    Job(String id, int total, Supplier<List<ObjectNode>> work) {
      this.id = id;
      this.total = total;
      this.work = work;
    }
  }
}
