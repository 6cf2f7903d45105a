package io.github.zendeskloyalty.testkit.internal;

import static io.github.zendeskloyalty.testkit.internal.Replies.NODES;
import static io.github.zendeskloyalty.testkit.internal.Replies.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The users endpoints: show, show many, search, the single-user writes and the two bulk writes
 * with their job results in Zendesk's shapes. Guarded by the backend's lock. Not part of the API.
 */
final class UserEndpoints {

  private final FakeAccount account;
  private final UserStore users;
  private final FieldStore fields;
  private final JobQueue jobs;
  private String baseUri;

  UserEndpoints(FakeAccount account, UserStore users, FieldStore fields, JobQueue jobs) {
    this.account = account;
    this.users = users;
    this.fields = fields;
    this.jobs = jobs;
  }

  void baseUri(String baseUri) {
    this.baseUri = baseUri;
  }

  private ObjectNode userJson(UserStore.User user) {
    return users.json(user, fields.all());
  }

  Reply show(long id) {
    UserStore.User user = users.byId(id);
    return user == null ? Replies.notFound()
        : Replies.ok(200, NODES.objectNode().set("user", userJson(user)));
  }

  Reply showMany(Map<String, String> query) {
    ArrayNode list = NODES.arrayNode();
    String key = query.containsKey("ids") ? "ids" : "external_ids";
    if (!query.containsKey(key)) {
      return Replies.invalidAttribute("ids or external_ids is required");
    }
    List<String> ids = Replies.split(query.get(key));
    if (ids.size() > FakeBackend.MAX_BULK_USERS) {
      return Replies.tooMany(key, ids.size(), FakeBackend.MAX_BULK_USERS);
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

  /** {@code GET /users/count}, exact here; Zendesk's is approximate above 100,000 users. */
  Reply count() {
    ObjectNode count = NODES.objectNode();
    count.put("value", users.size());
    count.put("refreshed_at", Replies.time(account.now()));
    return Replies.ok(200, NODES.objectNode().set("count", count));
  }

  Reply search(Map<String, String> query) {
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

  Reply update(long id, JsonNode body) {
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

  Reply createOrUpdate(JsonNode body) {
    JsonNode wanted = body.path("user");
    UserStore.User existing = users.match(wanted);
    Reply limited = account.singleUserLimit(existing != null ? "id:" + existing.id
        : "new:" + text(wanted, "external_id") + "/" + text(wanted, "email"));
    if (limited != null) {
      return limited;
    }
    Map<String, List<String>> problems = new LinkedHashMap<>();
    Written written = write(wanted, problems);
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
  private Written write(JsonNode wanted, Map<String, List<String>> problems) {
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
   * {@code create_or_update_many}. Results in request order, with the keys the job-status
   * result schemas of Zendesk's OpenAPI document require: a success is {@code {"id", "index",
   * "action": "create"|"update", "success": true, "status": "Created"|"Updated"}}; a failure is
   * {@code {"id", "index", "action", "success": false, "status": "Failed", "error", "details"}},
   * its {@code id} null when no user exists; {@code email} and {@code external_id} as sent.
   */
  Reply createOrUpdateMany(JsonNode body) {
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
      Written written = problems.isEmpty() ? write(wanted, problems) : null;
      if (written == null) {
        if (existing != null) {
          result.put("id", existing.id);
        } else {
          result.putNull("id");
        }
        result.put("index", index);
        result.put("action", existing != null ? "update" : "create");
        result.put("success", false);
        result.put("status", "Failed");
        result.put("error", existing != null ? "UserUpdateError" : "UserCreateError");
        result.put("details", describe(problems));
      } else {
        result.put("id", written.user().id);
        result.put("index", index);
        result.put("action", written.created() ? "create" : "update");
        result.put("success", true);
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
   * Results: {@code {"id", "index", "action": "update", "success", "status":
   * "Updated"|"Failed"}}, with {@code error} and {@code details} on failure ({@code id} null for
   * an external id no user has).
   */
  Reply updateMany(Map<String, String> query, JsonNode body) {
    List<Long> ids = new ArrayList<>();
    List<JsonNode> changes = new ArrayList<>();
    if (query.containsKey("ids") || query.containsKey("external_ids")) {
      boolean byId = query.containsKey("ids");
      List<String> keys = Replies.split(query.get(byId ? "ids" : "external_ids"));
      if (keys.isEmpty() || keys.size() > FakeBackend.MAX_BULK_USERS) {
        return keys.isEmpty() ? Replies.invalidAttribute("ids must not be empty")
            : Replies.tooMany(byId ? "ids" : "external_ids", keys.size(), FakeBackend.MAX_BULK_USERS);
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
        long id = user.path("id").asLong(-1);
        if (id < 0 && text(user, "external_id") != null) {
          UserStore.User found = users.byExternalId(text(user, "external_id"));
          id = found == null ? -1 : found.id;
        }
        ids.add(id);
        changes.add(user);
      }
    }
    return jobs.submit("update_many_users", ids.size(), (index, fail) -> {
      long id = ids.get(index);
      ObjectNode result = NODES.objectNode();
      String externalId = changes.get(index).has("id") ? null
          : text(changes.get(index), "external_id");
      if (id >= 0 || externalId == null) {
        result.put("id", id);
      } else {
        result.putNull("id");
      }
      result.put("index", index);
      if (externalId != null) {
        result.put("external_id", externalId);
      }
      result.put("action", "update");
      UserStore.User user = users.byId(id);
      Map<String, List<String>> problems = new LinkedHashMap<>();
      Map<String, Object> values = fields.values(changes.get(index).path("user_fields"), problems);
      users.checkUpdate(changes.get(index), problems);
      if (user == null) {
        problems.put("id", List.of(externalId != null ? "User with external id " + externalId
            + " not found" : "User " + id + " not found"));
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
    if (list.size() > FakeBackend.MAX_BULK_USERS) {
      return Replies.tooMany("users", list.size(), FakeBackend.MAX_BULK_USERS);
    }
    return null;
  }

  private static String describe(Map<String, List<String>> problems) {
    List<String> all = new ArrayList<>();
    problems.values().forEach(all::addAll);
    return String.join("; ", all);
  }
}
