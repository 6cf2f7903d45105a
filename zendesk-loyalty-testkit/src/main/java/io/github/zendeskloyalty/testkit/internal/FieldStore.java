package io.github.zendeskloyalty.testkit.internal;

import static io.github.zendeskloyalty.testkit.internal.Replies.NODES;
import static io.github.zendeskloyalty.testkit.internal.Replies.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zendeskloyalty.core.ZendeskFieldType;
import io.github.zendeskloyalty.testkit.FakeUserField;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * User-field definitions and the typing of their values, as Zendesk's User Fields API keeps
 * them: keys unique (ignoring case) and unchangeable, dropdowns with options, regexp fields with
 * their pattern, dates read back as {@code YYYY-MM-DDT00:00:00+00:00}. Guarded by the backend's
 * lock. Not part of the API.
 */
final class FieldStore {

  private static final Pattern KEY_SHAPE = Pattern.compile("[A-Za-z0-9_]*[A-Za-z_][A-Za-z0-9_]*");
  private static final int MAX_PAGE_SIZE = 100;

  /** One option of a dropdown or multiselect field. */
  record Option(long id, String name, String value) {}

  /** A field definition. */
  static final class Field {
    final long id;
    final String key;
    final ZendeskFieldType type;
    final Instant createdAt;
    String title;
    String description;
    boolean active;
    long position;
    List<Option> options = List.of();
    String regexp;
    Pattern compiled;
    Instant updatedAt;

    Field(long id, String key, ZendeskFieldType type, Instant now) {
      this.id = id;
      this.key = key;
      this.type = type;
      this.createdAt = now;
      this.updatedAt = now;
    }

    FakeUserField snapshot() {
      return new FakeUserField(id, key, type, title, description, active,
          options.stream().map(Option::value).toList(), regexp);
    }
  }

  private final Clock clock;
  private final Map<String, Field> byKey = new LinkedHashMap<>();
  private long nextId;
  private long nextOptionId;
  private String baseUri;

  FieldStore(Clock clock) {
    this.clock = clock;
    clear();
  }

  void baseUri(String baseUri) {
    this.baseUri = baseUri;
  }

  void clear() {
    byKey.clear();
    nextId = 5000;
    nextOptionId = 9000;
  }

  List<Field> all() {
    return List.copyOf(byKey.values());
  }

  Field byKey(String key) {
    return byKey.get(key.toLowerCase(Locale.ROOT));
  }

  Field byIdOrKey(String idOrKey) {
    for (Field field : byKey.values()) {
      if (String.valueOf(field.id).equals(idOrKey) || field.key.equalsIgnoreCase(idOrKey)) {
        return field;
      }
    }
    return null;
  }

  // ------------------------------------------------------------------ definitions

  /** Defines a field from an API body or a back door; problems go into {@code problems}. */
  Field create(JsonNode wanted, Map<String, List<String>> problems) {
    String key = text(wanted, "key");
    String typeName = text(wanted, "type") == null ? "text" : text(wanted, "type");
    if (key == null || !KEY_SHAPE.matcher(key).matches()) {
      problems.put("key", List.of("Key: is invalid"));
    } else if (byKey.containsKey(key.toLowerCase(Locale.ROOT))) {
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
      return null;
    }
    Field field = new Field(nextId++, key, type, clock.instant());
    field.position = byKey.size();
    field.active = true;
    if (!change(field, wanted, problems)) {
      return null;
    }
    byKey.put(key.toLowerCase(Locale.ROOT), field);
    return field;
  }

  /**
   * Applies the changeable attributes (title, description, active, position, options, pattern);
   * {@code key} and {@code type} cannot change and are ignored, as Zendesk ignores them.
   *
   * @return false, with problems, when the result would be invalid (nothing changed then)
   */
  boolean change(Field field, JsonNode wanted, Map<String, List<String>> problems) {
    List<Option> options = field.options;
    if (wanted.has("custom_field_options")) {
      options = options(wanted.path("custom_field_options"), problems);
    }
    boolean needsOptions = field.type == ZendeskFieldType.DROPDOWN
        || field.type == ZendeskFieldType.MULTISELECT;
    if (needsOptions && options.isEmpty() && !problems.containsKey("custom_field_options")) {
      problems.put("custom_field_options",
          List.of("Custom field options: You must add at least one option"));
    }
    String regexp = wanted.has("regexp_for_validation")
        ? text(wanted, "regexp_for_validation") : field.regexp;
    Pattern compiled = null;
    if (field.type == ZendeskFieldType.REGEXP) {
      if (regexp == null || regexp.isBlank()) {
        problems.put("regexp_for_validation", List.of("Regexp for validation: cannot be blank"));
      } else {
        try {
          compiled = Pattern.compile(regexp);
        } catch (PatternSyntaxException invalid) {
          problems.put("regexp_for_validation", List.of("Regexp for validation: is invalid"));
        }
      }
    }
    if (wanted.has("title") && (text(wanted, "title") == null || text(wanted, "title").isBlank())) {
      problems.put("title", List.of("Title: cannot be blank"));
    }
    if (!problems.isEmpty()) {
      return false;
    }
    if (wanted.has("title")) {
      field.title = text(wanted, "title");
    }
    if (wanted.has("description")) {
      field.description = text(wanted, "description");
    }
    if (wanted.has("active")) {
      field.active = wanted.path("active").asBoolean(true);
    }
    if (wanted.path("position").canConvertToLong()) {
      field.position = wanted.path("position").asLong();
    }
    field.options = options;
    field.regexp = field.type == ZendeskFieldType.REGEXP ? regexp : null;
    field.compiled = compiled;
    field.updatedAt = clock.instant();
    return true;
  }

  private List<Option> options(JsonNode given, Map<String, List<String>> problems) {
    List<Option> options = new ArrayList<>();
    if (!given.isArray()) {
      problems.put("custom_field_options", List.of("Custom field options: must be a list"));
      return options;
    }
    for (JsonNode option : given) {
      String name = text(option, "name");
      String value = text(option, "value");
      if (name == null || name.isBlank() || value == null || value.isBlank()) {
        problems.put("custom_field_options",
            List.of("Custom field options: each option needs a name and a value"));
        return List.of();
      }
      options.add(new Option(option.path("id").canConvertToLong() && option.path("id").asLong() > 0
          ? option.path("id").asLong() : nextOptionId++, name, value));
    }
    return List.copyOf(options);
  }

  void delete(Field field) {
    byKey.remove(field.key.toLowerCase(Locale.ROOT));
  }

  // ------------------------------------------------------------------ values

  /**
   * The values of known keys, typed; unknown keys are ignored, as Zendesk does. Values a field
   * cannot hold are reported per key.
   */
  Map<String, Object> values(JsonNode userFields, Map<String, List<String>> problems) {
    Map<String, Object> values = new LinkedHashMap<>();
    if (!userFields.isObject()) {
      return values;
    }
    for (Iterator<String> names = userFields.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      Field field = byKey.get(name.toLowerCase(Locale.ROOT));
      if (field == null) {
        continue;
      }
      JsonNode value = userFields.get(name);
      if (value.isNull()) {
        values.put(field.key, null);
        continue;
      }
      Object typed = typed(field, value);
      if (typed == null) {
        problems.put(field.key, List.of(field.title + ": " + describe(value) + " is not a valid "
            + field.type.apiName() + " value"));
      } else {
        values.put(field.key, typed);
      }
    }
    return values;
  }

  private static Object typed(Field field, JsonNode value) {
    switch (field.type) {
      case INTEGER:
        return value.isIntegralNumber() && value.canConvertToLong() ? value.asLong() : null;
      case DECIMAL:
        return value.isNumber() ? value.decimalValue() : null;
      case CHECKBOX:
        return value.isBoolean() ? value.asBoolean() : null;
      case DATE:
        return value.isTextual() ? date(value.asText()) : null;
      case DROPDOWN:
        return value.isTextual() && hasOption(field, value.asText()) ? value.asText() : null;
      case MULTISELECT:
        return multiselect(field, value);
      case LOOKUP:
        return value.isIntegralNumber() ? value.asLong() : null;
      case REGEXP:
        return value.isTextual() && field.compiled.matcher(value.asText()).matches()
            ? value.asText() : null;
      default:
        return value.isTextual() ? value.asText() : null;
    }
  }

  /**
   * A Zendesk date field takes {@code YYYY-MM-DD} or an ISO-8601 date-time, keeps the date, and
   * answers it as midnight UTC: {@code 2026-11-24T00:00:00+00:00}.
   */
  private static String date(String text) {
    LocalDate date;
    try {
      date = LocalDate.parse(text);
    } catch (DateTimeParseException notADate) {
      try {
        date = OffsetDateTime.parse(text).toLocalDate();
      } catch (DateTimeParseException notADateTime) {
        return null;
      }
    }
    return date + "T00:00:00+00:00";
  }

  private static boolean hasOption(Field field, String value) {
    return field.options.stream().anyMatch(option -> option.value().equals(value));
  }

  private static Object multiselect(Field field, JsonNode value) {
    if (!value.isArray()) {
      return null;
    }
    List<String> chosen = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isTextual() || !hasOption(field, item.asText())) {
        return null;
      }
      chosen.add(item.asText());
    }
    return List.copyOf(chosen);
  }

  private static String describe(JsonNode value) {
    String text = value.toString();
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }

  // ------------------------------------------------------------------ JSON

  ObjectNode json(Field field) {
    ObjectNode node = NODES.objectNode();
    node.put("id", field.id);
    node.put("url", baseUri + "/api/v2/user_fields/" + field.id + ".json");
    node.put("key", field.key);
    node.put("type", field.type.apiName());
    node.put("title", field.title);
    node.put("raw_title", field.title);
    node.put("description", field.description);
    node.put("raw_description", field.description);
    node.put("position", field.position);
    node.put("active", field.active);
    node.put("system", false);
    node.put("regexp_for_validation", field.regexp);
    node.putNull("tag");
    node.putNull("relationship_filter");
    node.putNull("relationship_target_type");
    node.put("created_at", Replies.time(field.createdAt));
    node.put("updated_at", Replies.time(field.updatedAt));
    if (field.type == ZendeskFieldType.DROPDOWN || field.type == ZendeskFieldType.MULTISELECT) {
      ArrayNode options = node.putArray("custom_field_options");
      for (Option option : field.options) {
        ObjectNode item = options.addObject();
        item.put("id", option.id());
        item.put("name", option.name());
        item.put("raw_name", option.name());
        item.put("value", option.value());
      }
    }
    return node;
  }

  /**
   * A page of fields: cursor pagination when {@code page[size]} or {@code page[after]} is sent,
   * else offset pagination ({@code page}, {@code per_page}) with {@code count} and page links.
   */
  Reply list(Map<String, String> query) {
    if (query.containsKey("page[size]") || query.containsKey("page[after]")) {
      return cursorPage(query);
    }
    int perPage;
    int page;
    try {
      perPage = Integer.parseInt(query.getOrDefault("per_page", "100"));
      page = Integer.parseInt(query.getOrDefault("page", "1"));
    } catch (NumberFormatException e) {
      return Replies.invalidAttribute("page and per_page must be numbers");
    }
    if (perPage < 1 || page < 1) {
      return Replies.invalidAttribute("page and per_page must be at least 1");
    }
    perPage = Math.min(perPage, MAX_PAGE_SIZE);
    List<Field> all = all();
    int start = (int) Math.min(all.size(), (long) (page - 1) * perPage);
    int end = Math.min(all.size(), start + perPage);
    ObjectNode answer = NODES.objectNode();
    ArrayNode list = answer.putArray("user_fields");
    all.subList(start, end).forEach(field -> list.add(json(field)));
    String self = baseUri + "/api/v2/user_fields.json?per_page=" + perPage + "&page=";
    answer.put("next_page", end < all.size() ? self + (page + 1) : null);
    answer.put("previous_page", page > 1 ? self + (page - 1) : null);
    answer.put("count", all.size());
    return Replies.ok(200, answer);
  }

  private Reply cursorPage(Map<String, String> query) {
    int size;
    try {
      size = Integer.parseInt(query.getOrDefault("page[size]", "100"));
    } catch (NumberFormatException e) {
      size = -1;
    }
    if (size < 1 || size > MAX_PAGE_SIZE) {
      return Replies.invalidPagination("page[size] must be between 1 and 100");
    }
    int start = 0;
    String after = query.get("page[after]");
    if (after != null) {
      try {
        start = Integer.parseInt(new String(Base64.getUrlDecoder().decode(after),
            StandardCharsets.UTF_8));
      } catch (IllegalArgumentException badCursor) {
        return Replies.invalidPagination("page[after] is not a cursor");
      }
    }
    List<Field> all = all();
    start = Math.max(0, Math.min(start, all.size()));
    int end = Math.min(all.size(), start + size);
    ObjectNode answer = NODES.objectNode();
    ArrayNode list = answer.putArray("user_fields");
    all.subList(start, end).forEach(field -> list.add(json(field)));
    boolean more = end < all.size();
    String cursor = Base64.getUrlEncoder().encodeToString(
        String.valueOf(end).getBytes(StandardCharsets.UTF_8));
    ObjectNode meta = answer.putObject("meta");
    meta.put("has_more", more);
    meta.put("after_cursor", more ? cursor : null);
    meta.putNull("before_cursor");
    ObjectNode links = answer.putObject("links");
    links.put("next", more ? baseUri + "/api/v2/user_fields?page[size]=" + size
        + "&page[after]=" + cursor : null);
    links.putNull("prev");
    return Replies.ok(200, answer);
  }
}
