package io.github.zendeskloyalty.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.zendeskloyalty.client.AgentActionsSetup;
import io.github.zendeskloyalty.client.ZendeskOperation;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates what the goodwill loop needs in Zendesk, or finds it (by title or name), never making
 * a second: the ticket fields, the webhook (and reads its signing secret), the trigger and an
 * example macro. A dry run reads and says what it would create. Not part of the API.
 */
public final class AgentActionsInstaller {

  /** The goodwill points field's title. */
  public static final String POINTS_FIELD = "Goodwill points";
  /** The reason field's title. */
  public static final String REASON_FIELD = "Goodwill reason";
  /** The webhook's name. */
  public static final String WEBHOOK = "Loyalty: goodwill points";
  /** The trigger's title. */
  public static final String TRIGGER = "Loyalty: grant goodwill points";
  /** The example macro's title. */
  public static final String MACRO = "Loyalty: 100 goodwill points for a late delivery";

  private final ZendeskHttp http;

  AgentActionsInstaller(ZendeskHttp http) {
    this.http = http;
  }

  /**
   * Installs (or, in a dry run, plans) the loop for webhooks sent to {@code endpoint}.
   *
   * @param bodyTemplate the webhook body, with {@code <field>} and {@code <reason>} for the
   *     fields' ids
   */
  public AgentActionsSetup install(URI endpoint, String bearerToken, String bodyTemplate,
      boolean dryRun) throws InterruptedException {
    List<String> created = new ArrayList<>();
    Long points = find(ZendeskOperation.LIST_TICKET_FIELDS, "ticket_fields", "title",
        POINTS_FIELD);
    if (points == null) {
      points = dryRun ? -1L : create(ZendeskOperation.CREATE_TICKET_FIELD, "ticket_field",
          Map.of("type", "integer", "title", POINTS_FIELD, "description",
              "Points to grant the requester; cleared once handled."));
      created.add("ticket field '" + POINTS_FIELD + "'");
    }
    Long reason = find(ZendeskOperation.LIST_TICKET_FIELDS, "ticket_fields", "title",
        REASON_FIELD);
    if (reason == null) {
      reason = dryRun ? -1L : create(ZendeskOperation.CREATE_TICKET_FIELD, "ticket_field",
          Map.of("type", "text", "title", REASON_FIELD));
      created.add("ticket field '" + REASON_FIELD + "'");
    }
    String webhook = findText(ZendeskOperation.LIST_WEBHOOKS, "webhooks", "name", WEBHOOK);
    if (webhook == null) {
      Map<String, Object> definition = new LinkedHashMap<>();
      definition.put("name", WEBHOOK);
      definition.put("endpoint", endpoint.toString());
      definition.put("http_method", "POST");
      definition.put("request_format", "json");
      definition.put("status", "active");
      definition.put("subscriptions", List.of("conditional_ticket_events"));
      if (bearerToken != null) {
        definition.put("authentication", Map.of("type", "bearer_token", "add_position",
            "header", "data", Map.of("token", bearerToken)));
      }
      webhook = dryRun ? null : createText(ZendeskOperation.CREATE_WEBHOOK, "webhook", definition);
      created.add("webhook '" + WEBHOOK + "' to " + endpoint);
    }
    String secret = webhook == null ? null : http.call(
        ZendeskOperation.SHOW_WEBHOOK_SIGNING_SECRET, "/webhooks/" + ZendeskHttp.encode(webhook)
            + "/signing_secret", null, null, (status, body) -> {
          JsonNode value = AnswerReader.object(body, "signing_secret").path("secret");
          if (!value.isTextual() || value.asText().isBlank()) {
            throw new AnswerReader.Malformed("no signing 'secret'");
          }
          return value.asText();
        });
    Long trigger = find(ZendeskOperation.LIST_TRIGGERS, "triggers", "title", TRIGGER);
    if (trigger == null) {
      String body = bodyTemplate.replace("<field>", String.valueOf(points))
          .replace("<reason>", String.valueOf(reason));
      trigger = dryRun ? -1L : create(ZendeskOperation.CREATE_TRIGGER, "trigger", Map.of(
          "title", TRIGGER, "active", true,
          "conditions", Map.of("all", List.of(Map.of("field", "custom_fields_" + points,
              "operator", "present"))),
          "actions", List.of(Map.of("field", "notification_webhook",
              "value", List.of(String.valueOf(webhook), body)))));
      created.add("trigger '" + TRIGGER + "'");
    }
    Long macro = find(ZendeskOperation.LIST_MACROS, "macros", "title", MACRO);
    if (macro == null) {
      macro = dryRun ? -1L : create(ZendeskOperation.CREATE_MACRO, "macro", Map.of(
          "title", MACRO, "actions", List.of(
              Map.of("field", "custom_fields_" + points, "value", "100"),
              Map.of("field", "custom_fields_" + reason, "value", "late delivery"))));
      created.add("macro '" + MACRO + "'");
    }
    return new AgentActionsSetup(dryRun, points, reason, webhook, secret, trigger, macro,
        created);
  }

  /** The id of the one definition whose {@code key} is {@code value}, or null. */
  private Long find(ZendeskOperation list, String array, String key, String value)
      throws InterruptedException {
    String id = findText(list, array, key, value);
    return id == null ? null : Long.valueOf(id);
  }

  private String findText(ZendeskOperation list, String array, String key, String value)
      throws InterruptedException {
    return http.call(list, list.pathTemplate(), null, null, (status, body) -> {
      for (JsonNode item : AnswerReader.array(body, array)) {
        if (value.equals(item.path(key).asText(null))) {
          if (!item.path("id").isValueNode() || item.path("id").asText().isBlank()) {
            throw new AnswerReader.Malformed("a listed " + array + " item without an id");
          }
          return item.path("id").asText();
        }
      }
      return null;
    });
  }

  private long create(ZendeskOperation operation, String object, Map<String, Object> definition)
      throws InterruptedException {
    return Long.parseLong(createText(operation, object, definition));
  }

  private String createText(ZendeskOperation operation, String object,
      Map<String, Object> definition) throws InterruptedException {
    return http.call(operation, operation.pathTemplate(), Map.of(object, definition), null,
        (status, body) -> {
          JsonNode id = AnswerReader.object(body, object).path("id");
          if (!id.isValueNode() || id.asText().isBlank()) {
            throw new AnswerReader.Malformed("no '" + object + "' id");
          }
          return id.asText();
        });
  }
}
