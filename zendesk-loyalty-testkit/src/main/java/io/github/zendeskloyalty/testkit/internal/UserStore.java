package io.github.zendeskloyalty.testkit.internal;

import static io.github.zendeskloyalty.testkit.internal.Replies.JSON;
import static io.github.zendeskloyalty.testkit.internal.Replies.NODES;
import static io.github.zendeskloyalty.testkit.internal.Replies.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zendeskloyalty.testkit.FakeUser;
import io.github.zendeskloyalty.testkit.FakeUserWrite;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The users, indexed by id, by every email identity and by external id (both compared ignoring
 * case, as Zendesk does), with their standard attributes and field values, and an optional log
 * of the field writes applied to them. Guarded by the backend's lock. Not part of the API.
 */
final class UserStore {

  private static final Set<String> ROLES = Set.of("end-user", "agent", "admin");
  private static final Set<String> TEXT_ATTRIBUTES =
      Set.of("phone", "notes", "details", "locale", "time_zone", "alias");
  private static final Pattern EMAIL_SHAPE = Pattern.compile("[^\\s@]+@[^\\s@]+\\.[^\\s@]+");
  private static final Pattern SEARCH_TERM =
      Pattern.compile("([a-z_]+):(\"([^\"]*)\"|([^\\s\"]+))|(\"([^\"]*)\"|([^\\s:\"<>=]+))");

  /**
   * The keys of Zendesk's user JSON the fake keeps no state for, with Zendesk's value for an end
   * user, so a client reading any documented key gets a value or null.
   */
  static final Map<String, JsonNode> DOCUMENTED_DEFAULTS = documentedDefaults();

  private static Map<String, JsonNode> documentedDefaults() {
    Map<String, JsonNode> defaults = new LinkedHashMap<>();
    for (String absent : List.of("alias", "custom_role_id", "default_group_id", "last_login_at",
        "photo", "remote_photo_url", "role_type", "shared_phone_number", "signature")) {
      defaults.put(absent, NODES.nullNode());
    }
    for (String no : List.of("chat_only", "moderator", "only_private_comments", "report_csv",
        "shared", "shared_agent", "suspended", "two_factor_auth_enabled")) {
      defaults.put(no, NODES.booleanNode(false));
    }
    defaults.put("iana_time_zone", NODES.textNode("America/New_York"));
    defaults.put("locale_id", NODES.numberNode(1));
    defaults.put("restricted_agent", NODES.booleanNode(true));
    defaults.put("ticket_restriction", NODES.textNode("requested"));
    return Map.copyOf(defaults);
  }

  /** A user as the fake keeps it. */
  static final class User {
    final long id;
    final Instant createdAt;
    String name;
    String email;
    String externalId;
    final List<String> secondaryEmails = new ArrayList<>();
    final Map<String, Object> fields = new HashMap<>();
    final Map<String, JsonNode> standard = new LinkedHashMap<>();
    Instant updatedAt;

    User(long id, String name, Instant now) {
      this.id = id;
      this.name = name;
      this.createdAt = now;
      this.updatedAt = now;
      standard.put("role", NODES.textNode("end-user"));
      standard.put("active", NODES.booleanNode(true));
      standard.put("verified", NODES.booleanNode(false));
      standard.put("locale", NODES.textNode("en-US"));
      standard.put("time_zone", NODES.textNode("Eastern Time (US & Canada)"));
      standard.put("phone", NODES.nullNode());
      standard.put("tags", NODES.arrayNode());
      standard.put("notes", NODES.nullNode());
      standard.put("details", NODES.nullNode());
      standard.put("organization_id", NODES.nullNode());
    }
  }

  private final Clock clock;
  private final Map<Long, User> byId = new LinkedHashMap<>();
  private final Map<String, User> byEmail = new HashMap<>();
  private final Map<String, User> byExternalId = new HashMap<>();
  private final NavigableMap<ChangeKey, User> byChange = new TreeMap<>();
  private final Deque<FakeUserWrite> writes = new ArrayDeque<>();
  private int writeLogSize;
  private long nextId;
  private String baseUri;

  UserStore(Clock clock, int writeLogSize) {
    this.clock = clock;
    this.writeLogSize = writeLogSize;
    clear();
  }

  void baseUri(String baseUri) {
    this.baseUri = baseUri;
  }

  void writeLogSize(int size) {
    this.writeLogSize = size;
    while (writes.size() > size) {
      writes.removeFirst();
    }
  }

  /** Where a user stands in the order of changes: its update time, then its id. */
  record ChangeKey(Instant updatedAt, long id) implements Comparable<ChangeKey> {
    @Override
    public int compareTo(ChangeKey other) {
      int order = updatedAt.compareTo(other.updatedAt);
      return order != 0 ? order : Long.compare(id, other.id);
    }
  }

  /** The users changed after {@code after}, oldest change first (a view, not a copy). */
  Iterable<User> changedAfter(ChangeKey after) {
    return byChange.tailMap(after, false).values();
  }

  void clear() {
    byChange.clear();
    byId.clear();
    byEmail.clear();
    byExternalId.clear();
    writes.clear();
    nextId = 1000;
  }

  List<User> all() {
    return List.copyOf(byId.values());
  }

  int size() {
    return byId.size();
  }

  User byId(long id) {
    return byId.get(id);
  }

  /** By primary email only. */
  User byPrimaryEmail(String email) {
    User user = byEmail.get(lower(email));
    return user != null && user.email != null && user.email.equalsIgnoreCase(email) ? user : null;
  }

  /** By any email identity, primary or secondary. */
  User byEmail(String email) {
    return byEmail.get(lower(email));
  }

  User byExternalId(String externalId) {
    return byExternalId.get(lower(externalId));
  }

  List<FakeUserWrite> writes() {
    return List.copyOf(writes);
  }

  private static String lower(String text) {
    return text.toLowerCase(Locale.ROOT);
  }

  // ------------------------------------------------------------------ writes

  /** Matches a request object to a user: by external id first, then by any email identity. */
  User match(JsonNode wanted) {
    String externalId = text(wanted, "external_id");
    if (externalId != null && byExternalId(externalId) != null) {
      return byExternalId(externalId);
    }
    String email = text(wanted, "email");
    return email == null ? null : byEmail(email);
  }

  /** Creates a user from a request object; null, with problems, when it is invalid. */
  User create(JsonNode wanted, Map<String, Object> values, Map<String, List<String>> problems) {
    User user = insert(wanted, values, problems);
    if (user != null) {
      logWrite(user, values);
    }
    return user;
  }

  private User insert(JsonNode wanted, Map<String, Object> values,
      Map<String, List<String>> problems) {
    String name = text(wanted, "name");
    String email = text(wanted, "email");
    if (name == null || name.isBlank()) {
      problems.put("name", List.of("Name: cannot be blank"));
    }
    if (email != null && !EMAIL_SHAPE.matcher(email).matches()) {
      problems.put("email", List.of("Email: " + email + " is not properly formatted"));
    }
    checkStandard(wanted, problems);
    if (!problems.isEmpty()) {
      return null;
    }
    User user = new User(nextId++, name, clock.instant());
    byId.put(user.id, user);
    byChange.put(new ChangeKey(user.updatedAt, user.id), user);
    if (email != null) {
      user.email = email;
      byEmail.put(lower(email), user);
    }
    String externalId = text(wanted, "external_id");
    if (externalId != null) {
      user.externalId = externalId;
      byExternalId.put(lower(externalId), user);
    }
    applyStandard(user, wanted);
    user.fields.putAll(values);
    return user;
  }

  /** Checks what an update would change; problems go into {@code problems}. */
  void checkUpdate(JsonNode changes, Map<String, List<String>> problems) {
    checkStandard(changes, problems);
    String externalId = text(changes, "external_id");
    String email = text(changes, "email");
    if (email != null && !EMAIL_SHAPE.matcher(email).matches()) {
      problems.put("email", List.of("Email: " + email + " is not properly formatted"));
    }
    if (externalId != null && externalId.isBlank()) {
      problems.put("external_id", List.of("External id: cannot be blank"));
    }
  }

  /**
   * Applies a checked update. An email that is not yet one of the user's identities becomes a
   * secondary identity (the primary one only when the user had none), as Zendesk does.
   */
  void update(User user, JsonNode changes, Map<String, Object> values) {
    String name = text(changes, "name");
    if (name != null && !name.isBlank()) {
      user.name = name;
    }
    String externalId = text(changes, "external_id");
    if (externalId != null && !externalId.equals(user.externalId)) {
      // another id, or the same in another case: Zendesk keeps the case the request used
      if (user.externalId != null) {
        byExternalId.remove(lower(user.externalId));
      }
      user.externalId = externalId;
      byExternalId.put(lower(externalId), user);
    }
    String email = text(changes, "email");
    if (email != null && byEmail(email) != user) {
      if (user.email == null) {
        user.email = email;
      } else {
        user.secondaryEmails.add(email);
      }
      byEmail.put(lower(email), user);
    }
    applyStandard(user, changes);
    user.fields.putAll(values);
    byChange.remove(new ChangeKey(user.updatedAt, user.id));
    user.updatedAt = clock.instant();
    byChange.put(new ChangeKey(user.updatedAt, user.id), user);
    logWrite(user, values);
  }

  /** Adds a user directly, as an agent would; fails on a taken email or external id. */
  User add(String name, String email, String externalId, Map<String, Object> values) {
    if (email != null && byEmail(email) != null) {
      throw new IllegalArgumentException("the fake already has a user with email " + email);
    }
    if (externalId != null && byExternalId(externalId) != null) {
      throw new IllegalArgumentException("the fake already has a user with external id "
          + externalId);
    }
    ObjectNode wanted = NODES.objectNode().put("name", name);
    wanted.put("email", email);
    wanted.put("external_id", externalId);
    Map<String, List<String>> problems = new LinkedHashMap<>();
    User user = insert(wanted, values, problems);
    if (user == null) {
      throw new IllegalArgumentException("the fake cannot add this user: " + problems);
    }
    return user;
  }

  private static void checkStandard(JsonNode wanted, Map<String, List<String>> problems) {
    JsonNode role = wanted.path("role");
    if (!role.isMissingNode() && !role.isNull() && !ROLES.contains(role.asText())) {
      problems.put("role", List.of("Role: is not included in the list"));
    }
    for (String flag : List.of("verified", "active", "suspended")) {
      JsonNode value = wanted.path(flag);
      if (!value.isMissingNode() && !value.isNull() && !value.isBoolean()) {
        problems.put(flag, List.of(flag + ": must be true or false"));
      }
    }
    JsonNode organization = wanted.path("organization_id");
    if (!organization.isMissingNode() && !organization.isNull()
        && !organization.isIntegralNumber()) {
      problems.put("organization_id", List.of("Organization: is invalid"));
    }
    JsonNode tags = wanted.path("tags");
    if (!tags.isMissingNode() && !tags.isNull() && !tags.isArray()) {
      problems.put("tags", List.of("Tags: must be a list"));
    }
    for (String attribute : TEXT_ATTRIBUTES) {
      JsonNode value = wanted.path(attribute);
      if (!value.isMissingNode() && !value.isNull() && !value.isTextual()) {
        problems.put(attribute, List.of(attribute + ": must be text"));
      }
    }
  }

  private static void applyStandard(User user, JsonNode wanted) {
    for (String attribute : List.of("role", "verified", "active", "suspended", "organization_id",
        "tags",
        "phone", "notes", "details", "locale", "time_zone", "alias")) {
      JsonNode value = wanted.get(attribute);
      if (value != null) {
        user.standard.put(attribute, value.deepCopy());
      }
    }
  }

  private void logWrite(User user, Map<String, Object> values) {
    if (writeLogSize <= 0 || values.isEmpty()) {
      return;
    }
    if (writes.size() >= writeLogSize) {
      writes.removeFirst();
    }
    writes.addLast(new FakeUserWrite(user.id, clock.instant(), values));
  }

  // ------------------------------------------------------------------ search

  /**
   * The users a search query finds: terms {@code type:user}, {@code email:},
   * {@code external_id:}, {@code name:} (a quoted phrase or one word), {@code role:} and bare
   * words (in the name or email), all of which must match.
   *
   * @throws IllegalArgumentException naming a term the fake does not understand
   */
  List<User> search(String query) {
    List<Predicate<User>> terms = new ArrayList<>();
    Collection<User> candidates = byId.values();
    String text = query.strip();
    Matcher matcher = SEARCH_TERM.matcher(text);
    int end = 0;
    while (matcher.find()) {
      if (!text.substring(end, matcher.start()).isBlank()) {
        throw new IllegalArgumentException("cannot read the query near '"
            + text.substring(end, matcher.start()) + "'");
      }
      end = matcher.end();
      if (matcher.group(1) != null) {
        String value = matcher.group(3) != null ? matcher.group(3) : matcher.group(4);
        terms.add(term(matcher.group(1), value));
        if (matcher.group(1).equals("email") || matcher.group(1).equals("external_id")) {
          User indexed = matcher.group(1).equals("email") ? byEmail(value) : byExternalId(value);
          candidates = indexed == null ? List.of() : List.of(indexed);
        }
      } else {
        String word = lower(matcher.group(6) != null ? matcher.group(6) : matcher.group(7));
        terms.add(user -> contains(user.name, word) || contains(user.email, word));
      }
    }
    if (!text.substring(end).isBlank()) {
      throw new IllegalArgumentException("cannot read the query near '" + text.substring(end)
          + "'");
    }
    if (terms.isEmpty()) {
      throw new IllegalArgumentException("the query is empty");
    }
    return candidates.stream().filter(user -> terms.stream().allMatch(t -> t.test(user)))
        .toList();
  }

  private Predicate<User> term(String key, String value) {
    String wanted = lower(value);
    switch (key) {
      case "type":
        if (!wanted.equals("user")) {
          throw new IllegalArgumentException("the fake searches users only, not type:" + value);
        }
        return user -> true;
      case "email":
        return user -> byEmail(value) == user;
      case "external_id":
        return user -> user.externalId != null && lower(user.externalId).equals(wanted);
      case "name":
        return user -> user.name != null && (lower(user.name).equals(wanted)
            || List.of(lower(user.name).split("\\s+")).contains(wanted));
      case "role":
        return user -> user.standard.get("role").asText().equals(wanted);
      default:
        throw new IllegalArgumentException("the fake does not support the search term " + key
            + ": (supported: type, email, external_id, name, role, and plain words)");
    }
  }

  private static boolean contains(String text, String needle) {
    return text != null && text.toLowerCase(Locale.ROOT).contains(needle);
  }

  // ------------------------------------------------------------------ JSON

  ObjectNode json(User user, List<FieldStore.Field> definitions) {
    ObjectNode node = NODES.objectNode();
    node.put("id", user.id);
    node.put("url", baseUri + "/api/v2/users/" + user.id + ".json");
    node.put("name", user.name);
    node.put("email", user.email);
    node.put("external_id", user.externalId);
    user.standard.forEach(node::set);
    DOCUMENTED_DEFAULTS.forEach((key, value) -> {
      if (!node.has(key)) {
        node.set(key, value.deepCopy());
      }
    });
    node.put("created_at", Replies.time(user.createdAt));
    node.put("updated_at", Replies.time(user.updatedAt));
    ObjectNode values = node.putObject("user_fields");
    for (FieldStore.Field field : definitions) {
      values.set(field.key, valueNode(user.fields.get(field.key)));
    }
    return node;
  }

  /** A stored field value as JSON, without a round trip through the mapper. */
  private static JsonNode valueNode(Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof String text) {
      return NODES.textNode(text);
    }
    if (value instanceof Long number) {
      return NODES.numberNode(number);
    }
    if (value instanceof BigDecimal decimal) {
      return NODES.numberNode(decimal);
    }
    if (value instanceof Boolean flag) {
      return NODES.booleanNode(flag);
    }
    return JSON.valueToTree(value);
  }

  FakeUser snapshot(User user, List<FieldStore.Field> definitions) {
    Map<String, Object> values = new LinkedHashMap<>();
    definitions.forEach(field -> values.put(field.key, user.fields.get(field.key)));
    Map<String, Object> attributes = new LinkedHashMap<>();
    user.standard.forEach((key, value) -> attributes.put(key, JSON.convertValue(value,
        Object.class)));
    return new FakeUser(user.id, user.name, user.email, user.externalId, user.secondaryEmails,
        values, attributes);
  }
}
