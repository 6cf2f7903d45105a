package io.github.zendeskloyalty.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.zendeskloyalty.client.CurrentUser;
import io.github.zendeskloyalty.client.FieldProvisioning;
import io.github.zendeskloyalty.client.ZendeskAuthenticationException;
import io.github.zendeskloyalty.client.FieldReport;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskOperation;
import io.github.zendeskloyalty.core.FieldSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Lists and creates user fields. Not part of the API; see {@link FieldProvisioning}. */
final class FieldProvisioner implements FieldProvisioning {

  private static final int PAGE_SIZE = 100;
  private static final int MAX_PAGES = 1_000;

  private final ZendeskHttp http;
  private final FieldSchema schema;

  /** Provisions the schema's fields through the given caller. */
  public FieldProvisioner(ZendeskHttp http, FieldSchema schema) {
    this.http = http;
    this.schema = schema;
  }

  /** Who the credentials are; an anonymous answer means Zendesk ignored them. */
  public CurrentUser currentUser() {
    JsonNode user = call(ZendeskOperation.SHOW_CURRENT_USER, "/users/me", null,
        (status, body) -> AnswerReader.object(body, "user"));
    if (!user.path("id").canConvertToLong() || user.path("id").isNull()) {
      throw new ZendeskAuthenticationException("GET /users/me answered for an anonymous user:"
          + " Zendesk did not accept the credentials. Check the email and API token, and that"
          + " token access is enabled in Admin Center.",
          new ZendeskException.Answer(401, null, Map.of(), null), null);
    }
    return new CurrentUser(user.path("id").asLong(), user.path("name").asText(""),
        user.path("email").asText(""), user.path("role").asText(""));
  }

  @Override
  public FieldReport verify() {
    return compare(listFields(), List.of());
  }

  @Override
  public FieldReport ensure() {
    FieldReport before = verify();
    List<FieldSchema.Field> created = new ArrayList<>();
    for (FieldSchema.Field field : before.missing()) {
      Map<String, Object> definition = new LinkedHashMap<>();
      definition.put("type", field.type().apiName());
      definition.put("key", field.key());
      definition.put("title", field.title());
      definition.put("description", field.description());
      definition.put("active", true);
      call(ZendeskOperation.CREATE_USER_FIELD, "/user_fields", Map.of("user_field", definition),
          (status, body) -> AnswerReader.object(body, "user_field"));
      created.add(field);
    }
    if (created.isEmpty()) {
      return before;
    }
    return compare(listFields(), created);
  }

  private FieldReport compare(Map<String, JsonNode> existing, List<FieldSchema.Field> created) {
    List<FieldSchema.Field> present = new ArrayList<>();
    List<FieldSchema.Field> missing = new ArrayList<>();
    List<FieldReport.TypeMismatch> mismatched = new ArrayList<>();
    List<FieldSchema.Field> inactive = new ArrayList<>();
    for (FieldSchema.Field field : schema.fields()) {
      JsonNode definition = existing.get(field.key().toLowerCase(Locale.ROOT));
      if (definition == null) {
        missing.add(field);
        continue;
      }
      String type = definition.path("type").asText("");
      if (!type.equals(field.type().apiName())) {
        mismatched.add(new FieldReport.TypeMismatch(field, type));
      } else {
        present.add(field);
      }
      if (!definition.path("active").asBoolean(true)) {
        inactive.add(field);
      }
    }
    return new FieldReport(present, missing, mismatched, inactive, created);
  }

  /** Every user field of the account by lower-case key, following cursor pages. */
  private Map<String, JsonNode> listFields() {
    Map<String, JsonNode> byKey = new HashMap<>();
    String cursor = null;
    for (int page = 0; page < MAX_PAGES; page++) {
      String path = "/user_fields?page%5Bsize%5D=" + PAGE_SIZE
          + (cursor == null ? "" : "&page%5Bafter%5D=" + ZendeskHttp.encode(cursor));
      JsonNode body = call(ZendeskOperation.LIST_USER_FIELDS, path, null, FieldProvisioner::page);
      for (JsonNode field : body.path("user_fields")) {
        byKey.put(field.path("key").asText("").toLowerCase(Locale.ROOT), field);
      }
      JsonNode meta = body.path("meta");
      cursor = meta.path("after_cursor").asText(null);
      if (!meta.path("has_more").asBoolean(false) || cursor == null) {
        return byKey;
      }
    }
    throw new ZendeskException("user field listing did not end after " + MAX_PAGES + " pages");
  }

  /** A page of fields: an array of objects, each with a key and a type. */
  private static JsonNode page(int status, JsonNode body) {
    for (JsonNode field : AnswerReader.array(body, "user_fields")) {
      AnswerReader.text(field, "key", "a user field");
      AnswerReader.text(field, "type", "a user field");
    }
    return body;
  }

  private JsonNode call(ZendeskOperation operation, String path, Object body,
      AnswerReader<JsonNode> reader) {
    try {
      return http.call(operation, path, body, null, reader);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ZendeskException(operation.method() + " " + operation.pathTemplate()
          + " was interrupted before Zendesk answered");
    }
  }
}
