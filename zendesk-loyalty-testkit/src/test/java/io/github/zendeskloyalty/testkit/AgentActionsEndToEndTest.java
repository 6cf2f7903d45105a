package io.github.zendeskloyalty.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.zendeskloyalty.client.AgentActions;
import io.github.zendeskloyalty.client.AgentActionsSetup;
import io.github.zendeskloyalty.client.GoodwillHandler;
import io.github.zendeskloyalty.client.GoodwillPolicy;
import io.github.zendeskloyalty.client.RetryPolicy;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.client.ZendeskWebhookVerifier;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole goodwill loop on the fake: an agent sets the goodwill field on a ticket, the fake's
 * trigger sends a signed webhook to a receiver, {@link AgentActions} grants through the handler,
 * the balance reaches the profile and the ticket gets an internal note.
 */
class AgentActionsEndToEndTest {

  private final FakeZendesk fake = FakeZendesk.start();
  private ZendeskLoyaltySync sync;
  private HttpServer receiver;
  private final AtomicReference<AgentActions> actions = new AtomicReference<>();
  private final List<AgentActions.Response> responses = new CopyOnWriteArrayList<>();
  private final AtomicInteger awards = new AtomicInteger();
  private final AtomicInteger failFirst = new AtomicInteger();
  /** The Retry-After of the receiver's 503 while it is down. */
  private volatile String retryAfter = "5";
  /** The receiver's answer while it is down. */
  private volatile int failStatus = 503;
  /** The longest a {@code handle} took. */
  private volatile java.time.Duration longestAnswer = java.time.Duration.ZERO;
  private BigDecimal balance = new BigDecimal("1250");
  private AgentActionsSetup setup;

  @BeforeEach
  void start() throws Exception {
    fake.provision(FieldSchema.standard());
    sync = fake.syncBuilder().build();
    sync.onPointsChanged(jane(), SyncTrigger.POINTS_AWARDED).get(30, TimeUnit.SECONDS);
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/agent-actions", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (failFirst.getAndDecrement() > 0) { // the receiver down for a moment
        if (retryAfter != null) {
          exchange.getResponseHeaders().add("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(failStatus, -1);
        exchange.close();
        return;
      }
      int status;
      try {
        long started = System.nanoTime();
        AgentActions.Response response = actions.get().handle(exchange.getRequestHeaders(), body);
        java.time.Duration took = java.time.Duration.ofNanos(System.nanoTime() - started);
        if (took.compareTo(longestAnswer) > 0) {
          longestAnswer = took;
        }
        responses.add(response);
        status = response.status();
        response.headers().forEach(exchange.getResponseHeaders()::add);
      } catch (InterruptedException stopped) {
        Thread.currentThread().interrupt();
        status = 503;
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    receiver.start();
    setup = sync.installAgentActions(URI.create("http://127.0.0.1:"
        + receiver.getAddress().getPort() + "/agent-actions"), false);
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
    if (actions.get() != null) {
      actions.get().close();
    }
    sync.close();
    fake.close();
  }

  private synchronized LoyaltyMember jane() {
    return LoyaltyMember.builder().memberId("M-1").email("jane@example.com")
        .availablePoints(balance).lastModifiedDate(Instant.now()).build();
  }

  private void receive(GoodwillPolicy policy, GoodwillHandler handler) {
    close(actions.getAndSet(AgentActions.builder().sync(sync)
        .verifier(ZendeskWebhookVerifier.builder().signingSecret(setup.signingSecret()).build())
        .goodwillField(setup.goodwillField()).policy(policy).handler(handler).build()));
  }

  private static void close(AgentActions replaced) {
    if (replaced != null) {
      replaced.close();
    }
  }

  private GoodwillHandler awarding() {
    return grant -> {
      awards.incrementAndGet();
      synchronized (this) {
        balance = balance.add(grant.points());
      }
      return jane();
    };
  }

  private long ticketWithGoodwill(int points, String reason) {
    FakeTicket ticket = fake.createTicket("jane@example.com", "Where is my parcel?");
    fake.updateTicketAsAgent(ticket.id(), Map.of(setup.goodwillField(), points,
        setup.reasonField(), reason));
    return ticket.id();
  }

  private List<FakeTicket.Comment> notes(long ticket) {
    return fake.ticket(ticket).orElseThrow().comments();
  }

  private static void await(String what, BooleanSupplier condition) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("still waiting for " + what).isLessThan(until);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  @Test
  void anAgentsGoodwillPointsReachTheProfileAndTheTicketGetsANote() throws Exception {
    receive(GoodwillPolicy.defaults(), awarding());

    long ticket = ticketWithGoodwill(100, "late delivery");

    await("the internal note", () -> !notes(ticket).isEmpty());
    FakeTicket.Comment note = notes(ticket).get(0);
    assertThat(note.body()).isEqualTo("Awarded 100 points (reason: “late delivery”). Balance 1,350.");
    assertThat(note.isPublic()).isFalse();
    assertThat(fake.ticket(ticket).orElseThrow().customFields().get(setup.goodwillField()))
        .as("the goodwill field cleared, so the trigger does not fire again").isNull();
    await("the new balance on the profile", () -> "1350".equals(String.valueOf(fake
        .user("jane@example.com").orElseThrow().userFields().get("zrl_member_available_points"))));
    assertThat(awards).hasValue(1);
    await("the attempt's answer recorded",
        () -> fake.webhookDeliveries().get(0).attempts().size() == 1);
    assertThat(fake.webhookDeliveries()).singleElement()
        .satisfies(delivery -> assertThat(delivery.attempts()).containsExactly(200));
  }

  @Test
  void aWebhookDeliveredThreeTimesGrantsOnce() {
    receive(GoodwillPolicy.defaults(), awarding());
    fake.deliverEachInvocation(3);

    long ticket = ticketWithGoodwill(40, "a broken voucher");

    await("three deliveries answered", () -> responses.size() == 3);
    assertThat(responses).extracting(AgentActions.Response::reason)
        .containsExactlyInAnyOrder("granted", "duplicate", "duplicate");
    assertThat(responses).extracting(AgentActions.Response::outcome).containsExactlyInAnyOrder(
        AgentActions.Outcome.GRANTED, AgentActions.Outcome.DUPLICATE,
        AgentActions.Outcome.DUPLICATE);
    assertThat(awards).hasValue(1);
    assertThat(notes(ticket)).hasSize(1);
  }

  @Test
  void aGrantAboveTheThresholdWaitsForApprovalThenIsGranted() throws Exception {
    receive(new GoodwillPolicy(new BigDecimal("1000"), new BigDecimal("5000"),
        new BigDecimal("200")), awarding());

    long ticket = ticketWithGoodwill(500, "a lost parcel");

    await("the note", () -> !notes(ticket).isEmpty());
    assertThat(notes(ticket).get(0).body()).isEqualTo("Goodwill points waiting for approval:"
        + " 500 points (reason: “a lost parcel”) is above 200.");
    assertThat(awards).hasValue(0);
    String id = actions.get().awaitingApproval().get(0).id();

    assertThat(actions.get().approve(id)).hasValueSatisfying(response ->
        assertThat(response.outcome()).isEqualTo(AgentActions.Outcome.GRANTED));
    assertThat(notes(ticket).get(1).body())
        .isEqualTo("Awarded 500 points (reason: “a lost parcel”). Balance 1,750.");
    assertThat(actions.get().approve(id)).as("approved once").isEmpty();
  }

  @Test
  void aGrantOverTheLimitIsRefusedAndAFailingHandlerLeavesANoteAndNoGrant() {
    receive(GoodwillPolicy.defaults(), grant -> {
      throw new IllegalStateException("the loyalty database is down");
    });

    long failed = ticketWithGoodwill(100, "late delivery");
    long refused = ticketWithGoodwill(5_000, "a very late delivery");

    await("both notes", () -> !notes(failed).isEmpty() && !notes(refused).isEmpty());
    // the fake records an attempt's status once the receiver has answered, after the note
    await("every attempt's answer recorded", () -> fake.webhookDeliveries().stream()
        .anyMatch(delivery -> delivery.attempts().size() == 3) && fake.webhookDeliveries()
        .stream().allMatch(delivery -> delivery.attempts().contains(200)));
    assertThat(fake.webhookDeliveries()).extracting(FakeWebhookDelivery::attempts)
        .as("a failing handler answers 503 with Retry-After twice, then notes the failure")
        .containsExactlyInAnyOrder(List.of(503, 503, 200), List.of(200));
    assertThat(notes(failed).get(0).body()).isEqualTo("Goodwill points not granted: the loyalty"
        + " system failed (IllegalStateException). Nothing was awarded.");
    assertThat(notes(refused).get(0).body()).isEqualTo("Goodwill points not granted: 5,000"
        + " points is more than the 1,000 a grant may give.");
    assertThat(fake.user("jane@example.com").orElseThrow().userFields()
        .get("zrl_member_available_points")).hasToString("1250");
  }

  @Test
  void aRequestWithoutZendesksSignatureIsRefusedWith401AndChangesNothing() throws Exception {
    receive(GoodwillPolicy.defaults(), awarding());
    FakeTicket ticket = fake.createTicket("jane@example.com", "Where is my parcel?");
    String body = "{\"ticket_id\": \"" + ticket.id() + "\", \"requester_email\":"
        + " \"jane@example.com\", \"points\": \"900\", \"reason\": \"forged\", \"agent_id\": \"2\"}";

    HttpResponse<Void> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/agent-actions"))
        .header(ZendeskWebhookVerifier.SIGNATURE_HEADER, ZendeskWebhookVerifier.sign(
            "a guessed secret", Instant.now().toString(), body.getBytes()))
        .header(ZendeskWebhookVerifier.TIMESTAMP_HEADER, Instant.now().toString())
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.discarding());

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(awards).hasValue(0);
    assertThat(notes(ticket.id())).isEmpty();
  }

  @Test
  void installingAgainFindsWhatIsThereAndADryRunCreatesNothing() throws Exception {
    AgentActionsSetup again = sync.installAgentActions(URI.create("http://127.0.0.1:1/x"), false);

    assertThat(again.created()).isEmpty();
    assertThat(again.goodwillField()).isEqualTo(setup.goodwillField());
    assertThat(again.webhookId()).isEqualTo(setup.webhookId());
    assertThat(fake.webhooks()).hasSize(1);
    assertThat(fake.triggers()).hasSize(1);
    assertThat(fake.macros()).hasSize(1);
    assertThat(fake.ticketFields()).hasSize(2);
    assertThat(again.toString()).doesNotContain(setup.signingSecret());

    fake.reset();
    AgentActionsSetup planned = sync.installAgentActions(URI.create("http://127.0.0.1:1/x"),
        true);
    assertThat(planned.created()).hasSize(5);
    assertThat(fake.webhooks()).isEmpty();
    assertThat(fake.ticketFields()).isEmpty();
  }

  @Test
  void aWebhookTheReceiverFailedIsSentAgainAsZendeskRetries() {
    receive(GoodwillPolicy.defaults(), awarding());
    failFirst.set(2);

    long ticket = ticketWithGoodwill(25, "a missing item");

    await("the note", () -> !notes(ticket).isEmpty());
    // the fake records an attempt's status once the receiver has answered, after the note
    await("the third attempt's answer recorded",
        () -> fake.webhookDeliveries().get(0).attempts().size() == 3);
    assertThat(fake.webhookDeliveries()).singleElement()
        .satisfies(delivery -> assertThat(delivery.attempts()).containsExactly(503, 503, 200));
    assertThat(awards).hasValue(1);
  }

  @Test
  void zendeskRetriesOnly409AndA429Or503WithARetryAfterUnderAMinute() throws Exception {
    receive(GoodwillPolicy.defaults(), awarding());
    Object[][] answers = {{500, "5", List.of(500)}, {503, null, List.of(503)},
        {503, "120", List.of(503)}, {409, null, List.of(409, 200)}, {429, "1", List.of(429, 200)}};
    for (int i = 0; i < answers.length; i++) {
      Object[] answer = answers[i];
      failStatus = (Integer) answer[0];
      retryAfter = (String) answer[1];
      failFirst.set(1);
      ticketWithGoodwill(1, "a retry");
      @SuppressWarnings("unchecked")
      List<Integer> expected = (List<Integer>) answer[2];
      int delivery = i;
      await("the attempts after " + answer[0] + " (Retry-After " + answer[1] + ")",
          () -> fake.webhookDeliveries().size() == delivery + 1
              && fake.webhookDeliveries().get(delivery).attempts().equals(expected));
    }
  }

  @Test
  void aHandlerThatFailsOnceIsAnsweredRetryAndZendesksNextDeliveryGrantsOnce() {
    AtomicInteger calls = new AtomicInteger();
    GoodwillHandler award = awarding();
    receive(GoodwillPolicy.defaults(), grant -> {
      if (calls.incrementAndGet() == 1) {
        throw new java.io.IOException("the loyalty API refused the connection");
      }
      return award.award(grant);
    });

    long ticket = ticketWithGoodwill(40, "a dented box");

    await("the note", () -> !notes(ticket).isEmpty());
    assertThat(notes(ticket)).extracting(FakeTicket.Comment::body)
        .containsExactly("Awarded 40 points (reason: “a dented box”). Balance 1,290.");
    await("both attempts recorded",
        () -> fake.webhookDeliveries().get(0).attempts().size() == 2);
    assertThat(fake.webhookDeliveries().get(0).attempts()).containsExactly(503, 200);
    assertThat(awards).hasValue(1);
  }

  @Test
  void aNoteZendeskRefusesIsWrittenLaterOnceAndTheTicketsNextUpdatesGrantNothing()
      throws Exception {
    ManualClock clock = new ManualClock(Instant.now());
    try (ZendeskLoyaltySync noRetries = fake.syncBuilder().retryPolicy(RetryPolicy.none())
        .build()) {
      close(actions.getAndSet(AgentActions.builder().sync(noRetries).clock(clock)
          .verifier(ZendeskWebhookVerifier.builder().signingSecret(setup.signingSecret()).build())
          .goodwillField(setup.goodwillField()).handler(awarding())
          .repairEvery(java.time.Duration.ZERO).build()));
      fake.failNext(3, FakeEndpoint.UPDATE_TICKET, FakeFault.status(503));

      long ticket = ticketWithGoodwill(100, "late delivery");

      await("the grant", () -> responses.size() == 1);
      assertThat(responses.get(0).outcome()).isEqualTo(AgentActions.Outcome.GRANTED);
      await("the first note write", () -> noteWrites(ticket) == 1);
      assertThat(notes(ticket)).isEmpty();
      assertThat(goodwill(ticket)).as("still set: the note and the clearing are one update")
          .isNotNull();

      // the agent answers the customer: the trigger fires again, its field still set
      fake.updateTicketAsAgent(ticket, Map.of(setup.reasonField(), "late delivery, again"));
      await("the second delivery", () -> responses.size() == 2);
      assertThat(responses.get(1).outcome()).isEqualTo(AgentActions.Outcome.DUPLICATE);
      await("the repair it started", () -> noteWrites(ticket) == 2);

      // two attempts failed: the next is due 60 s after the second, the one after 120 s later
      clock.advance(java.time.Duration.ofSeconds(59));
      assertThat(actions.get().repairPendingNotes()).as("not due yet").isZero();
      assertThat(noteWrites(ticket)).isEqualTo(2);
      clock.advance(java.time.Duration.ofSeconds(2));
      assertThat(actions.get().repairPendingNotes()).as("Zendesk's third refusal").isZero();
      assertThat(noteWrites(ticket)).isEqualTo(3);
      clock.advance(java.time.Duration.ofSeconds(119));
      assertThat(actions.get().repairPendingNotes()).as("not due yet").isZero();
      clock.advance(java.time.Duration.ofSeconds(2));
      assertThat(actions.get().repairPendingNotes()).isOne();
      assertThat(noteWrites(ticket)).isEqualTo(4);

      assertThat(notes(ticket)).extracting(FakeTicket.Comment::body)
          .containsExactly("Awarded 100 points (reason: “late delivery”). Balance 1,350.");
      assertThat(goodwill(ticket)).isNull();
      clock.advance(java.time.Duration.ofMinutes(30));
      assertThat(actions.get().repairPendingNotes()).as("written once").isZero();

      fake.updateTicketAsAgent(ticket, Map.of(setup.reasonField(), "thanks"));
      fake.updateTicketAsAgent(ticket, Map.of(setup.reasonField(), "closing"));
      assertThat(fake.webhookDeliveries()).as("the field cleared: the trigger fires no more")
          .hasSize(2);
      assertThat(awards).hasValue(1);
      actions.get().close();
    }
  }

  @Test
  void theAnswerWaitsForTheNoteAtMostNoteWaitWhateverZendeskDoes() throws Exception {
    receive(GoodwillPolicy.defaults(), awarding());
    fake.failNext(1, FakeEndpoint.UPDATE_TICKET, FakeFault.delay(java.time.Duration.ofSeconds(6)));

    long ticket = ticketWithGoodwill(10, "slow Zendesk");

    await("the answer", () -> responses.size() == 1);
    assertThat(responses.get(0).outcome()).isEqualTo(AgentActions.Outcome.GRANTED);
    assertThat(longestAnswer).as("answered after the 3 s note wait, not Zendesk's 6 s")
        .isLessThan(java.time.Duration.ofSeconds(5));
    await("the webhook's attempt recorded", () -> !fake.webhookDeliveries().get(0).attempts()
        .isEmpty());
    assertThat(fake.webhookDeliveries().get(0).attempts()).containsExactly(200);
    await("the note, once Zendesk answers", () -> !notes(ticket).isEmpty());
    assertThat(notes(ticket)).hasSize(1);
  }

  private long noteWrites(long ticket) {
    return fake.requests(FakeEndpoint.UPDATE_TICKET).stream()
        .filter(request -> request.path().endsWith("/tickets/" + ticket)).count();
  }

  private Object goodwill(long ticket) {
    return fake.ticket(ticket).orElseThrow().customFields().get(setup.goodwillField());
  }
}
