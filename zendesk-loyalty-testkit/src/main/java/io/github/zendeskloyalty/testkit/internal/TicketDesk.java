package io.github.zendeskloyalty.testkit.internal;

import static io.github.zendeskloyalty.testkit.internal.Replies.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zendeskloyalty.client.ZendeskWebhookVerifier;
import io.github.zendeskloyalty.testkit.FakeTicket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tickets with custom fields and comments, ticket fields, webhooks (with signing secrets),
 * triggers and macros: what an agent action needs. A ticket update (an agent's, or through the
 * API) runs the triggers; one whose conditions hold calls its webhook with its JSON body, the
 * placeholders filled, signed as Zendesk signs, on a thread of its own, and again (up to three
 * more times) while the endpoint answers what Zendesk retries ({@link #retried}), times out or
 * cannot be reached. Guarded by the backend's lock, but for the
 * deliveries. Not part of the API.
 */
final class TicketDesk {

  /** How many times a delivery Zendesk retries is tried again. */
  static final int DELIVERY_RETRIES = 3;

  /** A delivery of a webhook: to where, its invocation id, and each attempt's status (0: none). */
  record Delivery(String webhookId, String invocationId, String body, List<Integer> attempts) {}

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z0-9_.]+)\\s*}}");

  private final Clock clock;
  private final Function<Long, String[]> requester;
  private final Map<Long, ObjectNode> tickets = new LinkedHashMap<>();
  private final Map<Long, ObjectNode> ticketFields = new LinkedHashMap<>();
  private final Map<String, ObjectNode> webhooks = new LinkedHashMap<>();
  private final Map<String, String> secrets = new LinkedHashMap<>();
  private final Map<Long, ObjectNode> triggers = new LinkedHashMap<>();
  private final Map<Long, ObjectNode> macros = new LinkedHashMap<>();
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  private final ExecutorService sender = Executors.newSingleThreadExecutor(task -> {
    Thread thread = new Thread(task, "fake-zendesk-webhooks");
    thread.setDaemon(true);
    return thread;
  });
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  /** The definitions' ids: the same after a reset, as a set-up made again gets them. */
  private long nextId = 9000;
  /** Tickets' ids never repeat, as Zendesk's, resets or not. */
  private long nextTicketId = 100_000;
  private String signingSecret;
  private int copies = 1;

  /**
   * @param requester a user id's email and external id
   */
  TicketDesk(Clock clock, Function<Long, String[]> requester) {
    this.clock = clock;
    this.requester = requester;
  }

  void clear() {
    nextId = 9000; // the same definition ids after a reset
    tickets.clear();
    ticketFields.clear();
    webhooks.clear();
    secrets.clear();
    triggers.clear();
    macros.clear();
    deliveries.clear();
    copies = 1;
  }

  /** The signing secret of webhooks created from now on; null: a random one each. */
  void signingSecretOfNewWebhooks(String secret) {
    this.signingSecret = secret;
  }

  /** Points a webhook at another endpoint; an unknown one is ignored. */
  void endpoint(String webhookId, URI endpoint) {
    ObjectNode webhook = webhooks.get(webhookId);
    if (webhook != null) {
      webhook.put("endpoint", endpoint.toString());
    }
  }

  /** Each invocation is delivered this many times (Zendesk delivers at least once). */
  void deliveriesPerInvocation(int copies) {
    this.copies = copies;
  }

  List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  // ------------------------------------------------------------------ tickets

  FakeTicket createTicket(long requesterId, String subject) {
    ObjectNode ticket = NODES.objectNode();
    long id = ++nextTicketId;
    ticket.put("id", id).put("subject", subject).put("requester_id", requesterId)
        .put("updated_at", now());
    ticket.putArray("custom_fields");
    ticket.putArray("comments");
    tickets.put(id, ticket);
    return snapshot(ticket);
  }

  FakeTicket ticket(long id) {
    ObjectNode ticket = tickets.get(id);
    return ticket == null ? null : snapshot(ticket);
  }

  Reply show(long id) {
    ObjectNode ticket = tickets.get(id);
    return ticket == null ? Replies.notFound()
        : Replies.ok(200, NODES.objectNode().set("ticket", json(ticket)));
  }

  /** {@code PUT /tickets/{id}}: custom fields and a comment; then the triggers run. */
  Reply update(long id, JsonNode body, long authorId) {
    ObjectNode ticket = tickets.get(id);
    if (ticket == null) {
      return Replies.notFound();
    }
    JsonNode changes = body.path("ticket");
    if (!changes.isObject()) {
      return Replies.invalidAttribute("no 'ticket' object");
    }
    apply(ticket, changes.path("custom_fields"), authorId);
    JsonNode comment = changes.path("comment");
    if (comment.isObject()) {
      // with an html_body, Zendesk's body is its plain text: tags dropped, entities read
      String html = comment.path("html_body").asText(null);
      ((ArrayNode) ticket.get("comments")).addObject()
          .put("body", html == null ? comment.path("body").asText("") : plain(html))
          .put("html_body", html)
          .put("public", comment.path("public").asBoolean(true)).put("author_id", authorId);
    }
    ticket.put("updated_at", now());
    runTriggers(ticket, authorId);
    return Replies.ok(200, NODES.objectNode().set("ticket", json(ticket)));
  }

  /** An agent's edit of custom fields in the agent workspace: the triggers run. */
  boolean agentUpdate(long id, Map<Long, Object> values, long agentId) {
    ObjectNode ticket = tickets.get(id);
    if (ticket == null) {
      return false;
    }
    ArrayNode fields = NODES.arrayNode();
    values.forEach((field, value) -> fields.addObject().put("id", field)
        .set("value", Replies.JSON.valueToTree(value)));
    apply(ticket, fields, agentId);
    ticket.put("updated_at", now());
    runTriggers(ticket, agentId);
    return true;
  }

  private void apply(ObjectNode ticket, JsonNode fields, long authorId) {
    ArrayNode held = (ArrayNode) ticket.get("custom_fields");
    for (JsonNode field : fields) {
      long fieldId = field.path("id").asLong();
      for (int i = 0; i < held.size(); i++) {
        if (held.get(i).path("id").asLong() == fieldId) {
          held.remove(i);
          break;
        }
      }
      held.addObject().put("id", fieldId).set("value", field.path("value").deepCopy());
    }
    ticket.put("last_author_id", authorId);
  }

  // ------------------------------------------------------------------ definitions

  Reply list(String kind) {
    ArrayNode list = NODES.arrayNode();
    definitions(kind).values().forEach(list::add);
    ObjectNode body = NODES.objectNode();
    body.set(kind, list);
    body.putNull("next_page");
    body.put("count", list.size());
    return Replies.ok(200, body);
  }

  Reply create(String kind, JsonNode body) {
    String one = kind.substring(0, kind.length() - 1);
    JsonNode wanted = body.path(one);
    if (!wanted.isObject()) {
      return Replies.invalidAttribute("no '" + one + "' object");
    }
    ObjectNode created = wanted.deepCopy();
    if (kind.equals("webhooks")) {
      String id = "01" + UUID.randomUUID().toString().replace("-", "").substring(0, 24)
          .toUpperCase(java.util.Locale.ROOT);
      created.put("id", id);
      webhooks.put(id, created);
      secrets.put(id, signingSecret != null ? signingSecret : Base64.getEncoder()
          .encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)));
    } else {
      long id = ++nextId;
      created.put("id", id);
      definitionsById(kind).put(id, created);
    }
    ObjectNode reply = NODES.objectNode();
    reply.set(one, created);
    return Replies.ok(201, reply);
  }

  Reply signingSecret(String webhookId) {
    String secret = secrets.get(webhookId);
    if (secret == null) {
      return Replies.notFound();
    }
    ObjectNode body = NODES.objectNode();
    body.putObject("signing_secret").put("algorithm", "SHA256").put("secret", secret);
    return Replies.ok(200, body);
  }

  List<JsonNode> all(String kind) {
    return List.copyOf(definitions(kind).values());
  }

  private Map<?, ObjectNode> definitions(String kind) {
    return kind.equals("webhooks") ? webhooks : definitionsById(kind);
  }

  private Map<Long, ObjectNode> definitionsById(String kind) {
    return switch (kind) {
      case "ticket_fields" -> ticketFields;
      case "triggers" -> triggers;
      case "macros" -> macros;
      default -> throw new IllegalArgumentException(kind);
    };
  }

  // ------------------------------------------------------------------ triggers

  /**
   * Runs the active triggers on an updated ticket: conditions {@code all} of
   * {@code custom_fields_<id>} with {@code present} or {@code is}; a
   * {@code notification_webhook} action sends its body.
   */
  private void runTriggers(ObjectNode ticket, long actorId) {
    for (ObjectNode trigger : triggers.values()) {
      if (!trigger.path("active").asBoolean(true) || !holds(trigger.path("conditions"), ticket)) {
        continue;
      }
      for (JsonNode action : trigger.path("actions")) {
        if (action.path("field").asText().equals("notification_webhook")
            && action.path("value").isArray() && action.path("value").size() == 2) {
          String webhookId = action.path("value").get(0).asText();
          ObjectNode webhook = webhooks.get(webhookId);
          if (webhook != null && "active".equals(webhook.path("status").asText("active"))) {
            send(webhookId, webhook, fill(action.path("value").get(1).asText(), ticket, actorId));
          }
        }
      }
    }
  }

  private boolean holds(JsonNode conditions, ObjectNode ticket) {
    for (JsonNode condition : conditions.path("all")) {
      String field = condition.path("field").asText();
      if (!field.startsWith("custom_fields_")) {
        return false;
      }
      JsonNode value = customField(ticket, Long.parseLong(field.substring(14)));
      boolean present = value != null && !value.isNull() && !value.asText().isEmpty();
      boolean holds = switch (condition.path("operator").asText()) {
        case "present" -> present;
        case "not_present" -> !present;
        case "is" -> present && value.asText().equals(condition.path("value").asText());
        default -> false;
      };
      if (!holds) {
        return false;
      }
    }
    return conditions.path("all").size() > 0;
  }

  private String fill(String template, ObjectNode ticket, long actorId) {
    String[] who = requester.apply(ticket.path("requester_id").asLong());
    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      String value;
      if (name.equals("ticket.id")) {
        value = ticket.path("id").asText();
      } else if (name.equals("ticket.requester.email")) {
        value = who[0];
      } else if (name.equals("ticket.requester.external_id")) {
        value = who[1];
      } else if (name.equals("current_user.id")) {
        value = Long.toString(actorId);
      } else if (name.equals("ticket.updated_at_with_timestamp")) {
        value = ticket.path("updated_at").asText();
      } else if (name.startsWith("ticket.ticket_field_")) {
        JsonNode field = customField(ticket, Long.parseLong(name.substring(20)));
        value = field == null || field.isNull() ? "" : field.asText();
      } else {
        value = "";
      }
      String escaped = Replies.JSON.valueToTree(value == null ? "" : value).toString();
      matcher.appendReplacement(out, Matcher.quoteReplacement(
          escaped.substring(1, escaped.length() - 1)));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private static JsonNode customField(ObjectNode ticket, long fieldId) {
    for (JsonNode field : ticket.path("custom_fields")) {
      if (field.path("id").asLong() == fieldId) {
        return field.path("value");
      }
    }
    return null;
  }

  /** Delivers on the sender thread: signed, {@code copies} times, retried on failure. */
  private void send(String webhookId, ObjectNode webhook, String body) {
    String invocation = UUID.randomUUID().toString();
    String secret = secrets.get(webhookId);
    URI endpoint = URI.create(webhook.path("endpoint").asText());
    JsonNode authentication = webhook.path("authentication");
    for (int copy = 0; copy < copies; copy++) {
      Delivery delivery = new Delivery(webhookId, invocation, body, new CopyOnWriteArrayList<>());
      deliveries.add(delivery);
      sender.execute(() -> deliver(delivery, endpoint, secret, authentication));
    }
  }

  private void deliver(Delivery delivery, URI endpoint, String secret, JsonNode authentication) {
    for (int attempt = 0; attempt <= DELIVERY_RETRIES; attempt++) {
      String timestamp = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
      byte[] bytes = delivery.body().getBytes(StandardCharsets.UTF_8);
      HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
          .timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json")
          .header(ZendeskWebhookVerifier.SIGNATURE_HEADER,
              ZendeskWebhookVerifier.sign(secret, timestamp, bytes))
          .header(ZendeskWebhookVerifier.TIMESTAMP_HEADER, timestamp)
          .header(ZendeskWebhookVerifier.INVOCATION_ID_HEADER, delivery.invocationId())
          .header("X-Zendesk-Webhook-Id", delivery.webhookId())
          .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
      if ("bearer_token".equals(authentication.path("type").asText())) {
        request.header("Authorization", "Bearer "
            + authentication.path("data").path("token").asText());
      }
      int status;
      boolean retried;
      try {
        HttpResponse<Void> answer = http.send(request.build(),
            HttpResponse.BodyHandlers.discarding());
        status = answer.statusCode();
        retried = retried(status, answer.headers().firstValue("Retry-After").orElse(null));
      } catch (InterruptedException stopped) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.io.IOException unreachableOrTimedOut) {
        status = 0;
        retried = true;
      }
      delivery.attempts().add(status);
      if (!retried) {
        return;
      }
      try {
        TimeUnit.MILLISECONDS.sleep(20L << attempt);
      } catch (InterruptedException stopped) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Whether Zendesk delivers again after this answer: a 409, or a 429 or 503 whose Retry-After
   * is under 60 seconds (Zendesk's webhook documentation, "Webhook retries"); never after a 2xx
   * or any other answer. The fake does not wait the Retry-After out.
   */
  static boolean retried(int status, String retryAfter) {
    if (status == 409) {
      return true;
    }
    if (status != 429 && status != 503 || retryAfter == null) {
      return false;
    }
    try {
      long seconds = Long.parseLong(retryAfter.strip());
      return seconds >= 0 && seconds < 60;
    } catch (NumberFormatException notSeconds) {
      return false;
    }
  }

  void close() {
    sender.shutdownNow();
  }

  // ------------------------------------------------------------------ views

  private String now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private ObjectNode json(ObjectNode ticket) {
    ObjectNode json = ticket.deepCopy();
    json.remove("comments");
    return json;
  }

  private FakeTicket snapshot(ObjectNode ticket) {
    Map<Long, Object> fields = new LinkedHashMap<>();
    for (JsonNode field : ticket.path("custom_fields")) {
      JsonNode value = field.path("value");
      fields.put(field.path("id").asLong(), value.isNull() ? null
          : value.isNumber() ? value.numberValue() : value.isBoolean() ? value.asBoolean()
          : value.asText());
    }
    List<FakeTicket.Comment> comments = new ArrayList<>();
    for (JsonNode comment : ticket.path("comments")) {
      comments.add(new FakeTicket.Comment(comment.path("body").asText(),
          comment.path("public").asBoolean(), comment.path("author_id").asLong()));
    }
    return new FakeTicket(ticket.path("id").asLong(), ticket.path("requester_id").asLong(),
        ticket.path("subject").asText(), fields, comments);
  }

  /** The plain text of an HTML body, as Zendesk keeps it in {@code body}. */
  static String plain(String html) {
    return html.replaceAll("<[^>]*>", "").replace("&lt;", "<").replace("&gt;", ">")
        .replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
  }
}
