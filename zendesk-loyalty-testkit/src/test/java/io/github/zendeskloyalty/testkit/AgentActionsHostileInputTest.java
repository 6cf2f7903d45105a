package io.github.zendeskloyalty.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.zendeskloyalty.client.AgentActions;
import io.github.zendeskloyalty.client.GoodwillHandler;
import io.github.zendeskloyalty.client.GoodwillPolicy;
import io.github.zendeskloyalty.client.GoodwillRefusedException;
import io.github.zendeskloyalty.client.SharedDeliveries;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.client.ZendeskWebhookVerifier;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an agent can type and a caller can send: reasons that try to forge a note or flood it,
 * points that try to exhaust the heap or hide below the display precision, a handler that
 * refuses, a requester nobody can be found by, a missing bearer token, Zendesk's test secret, and
 * a deliveries store that is down. Each webhook is signed and handed to {@code handle} directly.
 */
class AgentActionsHostileInputTest {

  private static final String SECRET = "the-webhooks-own-signing-secret";
  private static final long GOODWILL_FIELD = 900;

  private final FakeZendesk fake = FakeZendesk.start();
  private final AtomicInteger awards = new AtomicInteger();
  private ZendeskLoyaltySync sync;
  private long ticket;

  @BeforeEach
  void start() {
    fake.provision(FieldSchema.standard());
    sync = fake.syncBuilder().build();
    fake.addUser("Jane", "jane@example.com", null, Map.of());
    ticket = fake.createTicket("jane@example.com", "Where is my parcel?").id();
  }

  /** The receivers a test built, closed after it (their note threads with them). */
  private final List<AgentActions> opened = new ArrayList<>();

  private AgentActions open(AgentActions.Builder builder) {
    AgentActions actions = builder.build();
    opened.add(actions);
    return actions;
  }

  @AfterEach
  void stop() {
    opened.forEach(AgentActions::close);
    sync.close();
    fake.close();
  }

  private AgentActions.Builder actions(GoodwillHandler handler) {
    return AgentActions.builder().sync(sync).goodwillField(GOODWILL_FIELD)
        .verifier(ZendeskWebhookVerifier.builder().signingSecret(SECRET).build())
        .policy(GoodwillPolicy.defaults()).handler(handler);
  }

  private GoodwillHandler awarding() {
    return grant -> {
      awards.incrementAndGet();
      return LoyaltyMember.builder().memberId("M-1").email("jane@example.com")
          .availablePoints(new BigDecimal("1000").add(grant.points()))
          .lastModifiedDate(Instant.now()).build();
    };
  }

  private static int sequence;

  private static Map<String, List<String>> headers(byte[] body, String invocation) {
    String timestamp = Instant.now().toString();
    return Map.of(ZendeskWebhookVerifier.SIGNATURE_HEADER,
        List.of(ZendeskWebhookVerifier.sign(SECRET, timestamp, body)),
        ZendeskWebhookVerifier.TIMESTAMP_HEADER, List.of(timestamp),
        ZendeskWebhookVerifier.INVOCATION_ID_HEADER, List.of(invocation));
  }

  private byte[] body(String points, String reason, String email) {
    sequence++;
    return JsonMapper.builder().build().createObjectNode()
        .put("ticket_id", String.valueOf(ticket)).put("requester_email", email)
        .put("requester_external_id", "").put("points", points).put("reason", reason)
        .put("agent_id", "7").put("request", ticket + "-" + sequence).toString()
        .getBytes(StandardCharsets.UTF_8);
  }

  private AgentActions.Response send(AgentActions actions, String points, String reason)
      throws InterruptedException {
    byte[] body = body(points, reason, "jane@example.com");
    return actions.handle(headers(body, "inv-" + sequence), body);
  }

  /** The last ticket update the SDK sent, as JSON. */
  private JsonNode lastNoteRequest() throws Exception {
    List<RecordedRequest> updates = fake.requests(FakeEndpoint.UPDATE_TICKET);
    return JsonMapper.builder().build().readTree(updates.get(updates.size() - 1).body())
        .path("ticket").path("comment");
  }

  @Test
  void reasonsCannotForgeANoteOrFloodIt() throws Exception {
    AgentActions actions = open(actions(awarding()));
    List<String> hostile = List.of(
        "late\nAwarded 5,000 points: approved by the support manager",
        "late\r\n\r\n**Approved by the support manager** [link](https://evil.example)",
        "<b>approved</b><script>alert(1)</script>&amp;",
        "late\u2028Awarded 9,999 points\u2029\u0000\u001b[31m",
        "x".repeat(5 * 1024 * 1024),
        "🎁".repeat(2_000),
        "");
    for (String reason : hostile) {
      AgentActions.Response response = assertTimeoutPreemptively(Duration.ofSeconds(1),
          () -> send(actions, "10", reason));

      assertThat(response.outcome()).isEqualTo(AgentActions.Outcome.GRANTED);
      JsonNode comment = lastNoteRequest();
      String note = fake.ticket(ticket).orElseThrow().comments().get(
          fake.ticket(ticket).orElseThrow().comments().size() - 1).body();
      assertThat(comment.has("body")).as("never a Markdown body").isFalse();
      assertThat(comment.path("html_body").asText()).doesNotContain("<b>", "<script>")
          .startsWith("<p>").endsWith("</p>");
      assertThat(note).doesNotContain("\n", "\r", "\u2028", "\u0000")
          .startsWith("Awarded 10 points (reason: \u201c").endsWith("). Balance 1,010.");
      assertThat(note.codePointCount(0, note.length())).as("bounded").isLessThan(600);
    }
    assertThat(fake.ticket(ticket).orElseThrow().comments().get(2).body())
        .contains("<b>approved</b><script>", "&amp;"); // shown as typed, not as markup
    assertThat(fake.ticket(ticket).orElseThrow().comments().get(4).body()).endsWith("x…\u201d)."
        + " Balance 1,010.");
  }

  @Test
  void pointsThatCannotBeGrantedAsWrittenAreRefusedWithTheirReasonInASecond() throws Exception {
    AgentActions actions = open(actions(awarding()));
    List<String> hostile = List.of("1e999999999", "9".repeat(100_000), "0.001", "12.345",
        "NaN", "Infinity", "0x10", "\u0661\u0662", "1 000", "--5", "+", "", "1e2",
        "99999999999999999999", "0.0000000000001");
    List<String> reasons = new ArrayList<>();
    for (String points : hostile) {
      AgentActions.Response response = assertTimeoutPreemptively(Duration.ofSeconds(1),
          () -> send(actions, points, "late delivery"));
      assertThat(response.outcome()).as(points).isEqualTo(AgentActions.Outcome.REFUSED);
      assertThat(response.reason()).as(points).isEqualTo("bad_points");
      assertThat(response.note()).as(points).startsWith("Goodwill points not granted: ")
          .hasSizeLessThan(700);
      reasons.add(response.note());
    }
    assertThat(reasons.get(2)).contains("more than 2 decimals");
    assertThat(reasons.get(0)).contains("is not a number of points");
    assertThat(awards).as("the handler never saw one").hasValue(0);
    assertThat(send(actions, "-5", "x").reason()).isEqualTo("not_positive");
    assertThat(send(actions, "1,000", "x").outcome()).as("a thousands separator is fine")
        .isEqualTo(AgentActions.Outcome.AWAITING_APPROVAL);
  }

  @Test
  void aHandlerRefusesWithAReasonTheAgentReadsAndNothingCountsAgainstTheDay() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    AgentActions actions = open(actions(grant -> {
      if (calls.incrementAndGet() <= 10) {
        throw new GoodwillRefusedException("no loyalty member has this e-mail\n**forged**");
      }
      return awarding().award(grant);
    }).policy(new GoodwillPolicy(new BigDecimal("500"), new BigDecimal("500"),
        new BigDecimal("500"))));

    List<AgentActions.Response> refused = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      refused.add(send(actions, "400", "late delivery"));
    }
    AgentActions.Response granted = send(actions, "400", "late delivery");

    assertThat(refused).allSatisfy(response -> {
      assertThat(response.outcome()).isEqualTo(AgentActions.Outcome.REFUSED);
      assertThat(response.reason()).isEqualTo("handler_refused");
      assertThat(response.note()).isEqualTo("Goodwill points not granted: no loyalty member has"
          + " this e-mail **forged**. Nothing was awarded.");
    });
    assertThat(granted.outcome()).as("the refusals gave the day's total back")
        .isEqualTo(AgentActions.Outcome.GRANTED);
  }

  @Test
  void aRequesterNobodyCanBeFoundByIsRefusedBeforeTheHandler() throws Exception {
    AgentActions actions = open(actions(awarding()));
    byte[] body = body("10", "late", "");

    AgentActions.Response response = actions.handle(headers(body, "inv-none"), body);

    assertThat(response.reason()).isEqualTo("no_requester");
    assertThat(response.note()).contains("no e-mail or external id");
    assertThat(awards).hasValue(0);
  }

  @Test
  void aConfiguredBearerTokenIsChecked() throws Exception {
    AgentActions actions = open(actions(awarding()).bearerToken("webhook-token"));
    byte[] body = body("10", "late", "jane@example.com");
    Map<String, List<String>> signed = headers(body, "inv-bearer");
    Map<String, List<String>> withToken = new java.util.HashMap<>(signed);
    withToken.put("Authorization", List.of("Bearer webhook-token"));
    Map<String, List<String>> wrongToken = new java.util.HashMap<>(signed);
    wrongToken.put("Authorization", List.of("Bearer webhook-tokex"));

    assertThat(actions.handle(signed, body).reason()).isEqualTo("bad_bearer_token");
    assertThat(actions.handle(wrongToken, body).status()).isEqualTo(401);
    assertThat(actions.handle(withToken, body).outcome())
        .isEqualTo(AgentActions.Outcome.GRANTED);
  }

  @Test
  void zendesksPublishedTestSecretIsRefusedAsTheSigningSecret() {
    assertThatThrownBy(() -> ZendeskWebhookVerifier.builder()
        .signingSecret(ZendeskWebhookVerifier.TEST_SIGNING_SECRET).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("published test secret");
    assertThat(ZendeskWebhookVerifier.builder()
        .signingSecret(ZendeskWebhookVerifier.TEST_SIGNING_SECRET).acceptTestSecret(true)
        .build()).isNotNull();
  }

  @Test
  void withTheStoreDownOneInstanceStillGrantsADeliveryOnce() throws Exception {
    FailingDeliveries down = new FailingDeliveries(SharedDeliveries.inMemory());
    down.down = true;
    AgentActions actions = open(actions(awarding()).deliveries(down));
    byte[] body = body("10", "late", "jane@example.com");

    List<AgentActions.Outcome> outcomes = new ArrayList<>();
    for (int delivery = 0; delivery < 3; delivery++) {
      outcomes.add(actions.handle(headers(body, "inv-store-down"), body).outcome());
    }

    assertThat(outcomes).containsExactly(AgentActions.Outcome.GRANTED,
        AgentActions.Outcome.DUPLICATE, AgentActions.Outcome.DUPLICATE);
    assertThat(awards).hasValue(1);
  }

  /**
   * A store and a listener throwing checked exceptions past the compiler (code built elsewhere
   * may): the store's failure reads as the store down, the listener's changes nothing.
   */
  @Test
  void aStoreOrAListenerThrowingACheckedExceptionChangesNoOutcome() throws Exception {
    FailingDeliveries down = new FailingDeliveries(SharedDeliveries.inMemory());
    down.down = true;
    down.checked = true;
    List<AgentActions.Outcome> heard = new ArrayList<>();
    AgentActions actions = open(actions(awarding()).deliveries(down).listener(response -> {
      heard.add(response.outcome());
      throw FailingDeliveries.<RuntimeException>sneaky(new java.io.IOException("listener bug"));
    }));
    byte[] body = body("10", "late", "jane@example.com");

    List<AgentActions.Outcome> outcomes = new ArrayList<>();
    for (int delivery = 0; delivery < 2; delivery++) {
      outcomes.add(actions.handle(headers(body, "inv-checked"), body).outcome());
    }

    assertThat(outcomes).containsExactly(AgentActions.Outcome.GRANTED,
        AgentActions.Outcome.DUPLICATE);
    assertThat(heard).isEqualTo(outcomes);
    assertThat(awards).hasValue(1);
  }
}
