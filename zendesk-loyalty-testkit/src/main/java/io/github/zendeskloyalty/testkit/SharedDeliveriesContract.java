package io.github.zendeskloyalty.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.AgentActions;
import io.github.zendeskloyalty.client.GoodwillPolicy;
import io.github.zendeskloyalty.client.SharedDeliveries;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.client.ZendeskWebhookVerifier;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SharedDeliveries} must do, as JUnit tests to extend for your own store (the
 * SDK's PostgreSQL and Redis ones pass it): a delivery is first once across instances, accounts
 * apart, and two {@link AgentActions} (two pods) receiving one invocation grant once; a running
 * total stays within its limit across instances, and an agent's daily limit holds across pods; a
 * grant waiting for approval on one pod is listed and approved, once, by another.
 *
 * <pre>{@code
 * class MyStoreDeliveriesTest extends SharedDeliveriesContract {
 *   protected SharedDeliveries instance(String account) {
 *     return new MyStoreDeliveries(store.connect(), account);
 *   }
 * }
 * }</pre>
 */
public abstract class SharedDeliveriesContract {

  private static final String SECRET = "the-signing-secret";

  /** A new instance's deliveries for {@code account}, as a new pod would open them. */
  protected abstract SharedDeliveries instance(String account) throws Exception;

  private static String account(String test) {
    return test + "-" + System.nanoTime();
  }

  /** A delivery is claimed once, for every instance of one account; accounts are apart. */
  @Test
  public void aDeliveryIsClaimedOnceAcrossInstances() throws Exception {
    String account = account("once");
    Instant now = Instant.now();
    Instant until = now.plus(Duration.ofMinutes(10));
    SharedDeliveries podA = instance(account);
    SharedDeliveries podB = instance(account);

    assertThat(podA.claim(List.of("invocation:1", "request:1"), now, until)).isTrue();
    assertThat(podB.claim(List.of("invocation:1", "request:1"), now, until))
        .as("the other pod").isFalse();
    assertThat(podA.claim(List.of("invocation:1"), now, until)).isFalse();
    assertThat(podB.claim(List.of("invocation:2", "request:1"), now, until))
        .as("another invocation of a request already claimed").isFalse();
    assertThat(podB.claim(List.of("invocation:2", "request:2"), now, until))
        .as("the refused claim recorded nothing: all or none").isTrue();
    assertThat(instance(account("another")).claim(List.of("invocation:1"), now, until))
        .isTrue();
  }

  /**
   * Two pods claiming at once, many rounds: the same delivery twice (its keys in either order),
   * and two invocations of one request: exactly one wins each round, never none (a store
   * claiming key by key lets each pod win one key, and nobody grants).
   */
  @Test
  public void concurrentClaimsFromTwoInstancesHaveExactlyOneWinner() throws Exception {
    String account = account("race");
    SharedDeliveries podA = instance(account);
    SharedDeliveries podB = instance(account);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 200; round++) {
        Instant now = Instant.now();
        Instant until = now.plus(Duration.ofMinutes(10));
        List<String> a = List.of("invocation:" + round, "request:" + round);
        List<String> b = switch (round % 3) {
          case 0 -> a; // the same delivery on both pods
          case 1 -> List.of("request:" + round, "invocation:" + round); // keys in another order
          default -> List.of("request:" + round, "invocation:" + round + "-refired");
        };
        CountDownLatch start = new CountDownLatch(1);
        Future<Boolean> first = pool.submit(() -> {
          start.await();
          return podA.claim(a, now, until);
        });
        Future<Boolean> second = pool.submit(() -> {
          start.await();
          return podB.claim(b, now, until);
        });
        start.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS) ^ second.get(10, TimeUnit.SECONDS))
            .as("round " + round + ": exactly one pod grants").isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Released keys are claimed again (others stay held); a pending note is seen by every
   * instance in the order first put, replaced in place, and removed only while unchanged.
   */
  @Test
  public void releasedKeysAreClaimedAgainAndPendingNotesAreRemovedOnlyUnchanged()
      throws Exception {
    String account = account("notes");
    Instant now = Instant.now();
    Instant until = now.plus(Duration.ofDays(2));
    SharedDeliveries podA = instance(account);
    SharedDeliveries podB = instance(account);

    assertThat(podA.claim(List.of("invocation:1", "ticket:9"), now, until)).isTrue();
    podB.release(List.of("ticket:9", "ticket:never-claimed"));
    assertThat(podB.claim(List.of("ticket:9", "invocation:2"), now, until)).isTrue();
    assertThat(podB.claim(List.of("invocation:1"), now, until)).as("not released").isFalse();

    podA.putPendingNote("w1", "{\"n\":1}", now, until);
    podA.putPendingNote("w2", "{\"n\":2}", now, until);
    podB.putPendingNote("w1", "{\"n\":3}", now, until);
    assertThat(podB.pendingNotes(now)).as("replaced in place").containsExactly("{\"n\":3}",
        "{\"n\":2}");
    assertThat(instance(account("another")).pendingNotes(now)).isEmpty();
    assertThat(podA.removePendingNote("w1", "{\"n\":1}")).as("replaced meanwhile").isFalse();
    assertThat(podA.removePendingNote("w1", "{\"n\":3}")).isTrue();
    assertThat(podB.removePendingNote("w1", "{\"n\":3}")).as("removed once").isFalse();
    assertThat(podB.pendingNotes(now)).containsExactly("{\"n\":2}");
  }

  /**
   * Two pods, each a copy of every delivery at once, the store failing a third of the calls,
   * {@code whenStoreFails(ANSWER_RETRY)}: a copy answered 503 is delivered again (to the other
   * pod) as Zendesk would; every round grants exactly once, and every ticket gets its note.
   */
  @Test
  public void duplicatesOnTwoPodsWithTheStoreFailingGrantExactlyOnce() throws Exception {
    String account = account("failing");
    try (FakeZendesk fake = FakeZendesk.builder().provisioned(FieldSchema.standard()).start();
         ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
      fake.addUser("Jane", "jane@example.com", null);
      AtomicInteger awards = new AtomicInteger();
      ManualClock clock = new ManualClock(Instant.now());
      AgentActions[] pods = new AgentActions[2];
      for (int i = 0; i < 2; i++) {
        pods[i] = pod(sync, new FailingDeliveries(instance(account), 1.0 / 3, 42 + i),
            GoodwillPolicy.defaults(), awards).clock(clock)
            .whenStoreFails(AgentActions.StoreFailure.ANSWER_RETRY).build();
      }
      List<Long> tickets = new java.util.ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        for (int round = 0; round < 60; round++) {
          FakeTicket ticket = fake.createTicket("jane@example.com", "Parcel " + round);
          tickets.add(ticket.id());
          byte[] body = grant(ticket, "10", "1");
          Map<String, List<String>> headers = headers("inv-" + account + "-" + round, body);
          CountDownLatch start = new CountDownLatch(1);
          List<Future<AgentActions.Outcome>> copies = new java.util.ArrayList<>();
          for (int copy = 0; copy < 2; copy++) {
            int first = copy;
            copies.add(pool.submit(() -> {
              start.await();
              for (int attempt = 0; attempt < 30; attempt++) { // Zendesk: 503 → again
                AgentActions.Response response = pods[(first + attempt) % 2]
                    .handle(headers, body);
                if (response.status() != 503) {
                  return response.outcome();
                }
              }
              return AgentActions.Outcome.RETRY;
            }));
          }
          int before = awards.get();
          start.countDown();
          List<AgentActions.Outcome> outcomes = List.of(copies.get(0).get(30, TimeUnit.SECONDS),
              copies.get(1).get(30, TimeUnit.SECONDS));
          assertThat(outcomes).as("round " + round).containsExactlyInAnyOrder(
              AgentActions.Outcome.GRANTED, AgentActions.Outcome.DUPLICATE);
          assertThat(awards.get() - before).as("round " + round + ": one grant").isOne();
        }
      } finally {
        pool.shutdownNow();
      }
      for (int repairs = 0; repairs < 40 && unnoted(fake, tickets) > 0; repairs++) {
        clock.advance(Duration.ofMinutes(31)); // past any note's backoff
        pods[repairs % 2].repairPendingNotes(); // a note whose write met the store failing
      }
      assertThat(unnoted(fake, tickets)).as("tickets still without their note").isZero();
      for (AgentActions pod : pods) {
        pod.close();
      }
    }
  }

  private static long unnoted(FakeZendesk fake, List<Long> tickets) {
    return tickets.stream().filter(id -> fake.ticket(id).orElseThrow().comments().isEmpty())
        .count();
  }

  /** A running total stays within its limit, whichever instance adds; giving back is added. */
  @Test
  public void aTotalStaysWithinItsLimitAcrossInstances() throws Exception {
    String account = account("totals");
    Instant now = Instant.now();
    Instant until = now.plus(Duration.ofMinutes(10));
    SharedDeliveries podA = instance(account);
    SharedDeliveries podB = instance(account);
    BigDecimal limit = new BigDecimal("300");
    String agentToday = "agent-day:2@2026-12-06";

    assertThat(podA.addWithin(agentToday, new BigDecimal("200"), limit, now, until)).isTrue();
    assertThat(podB.addWithin(agentToday, new BigDecimal("200"), limit, now, until))
        .as("the other pod: 400 would pass 300").isFalse();
    assertThat(podB.addWithin(agentToday, new BigDecimal("100"), limit, now, until))
        .as("up to the limit").isTrue();
    assertThat(podA.addWithin(agentToday, BigDecimal.ONE, limit, now, until)).isFalse();
    assertThat(podA.addWithin(agentToday, new BigDecimal("-200"), limit, now, until))
        .as("giving back").isTrue();
    assertThat(podB.addWithin(agentToday, new BigDecimal("150"), limit, now, until)).isTrue();
    assertThat(podB.addWithin(agentToday, new BigDecimal("51"), limit, now, until))
        .as("250 + 51").isFalse();
    assertThat(podA.addWithin(agentToday, new BigDecimal("301"), limit, now, until))
        .as("more than the limit alone").isFalse();
    assertThat(instance(account("another")).addWithin(agentToday, limit, limit, now, until))
        .as("another account's total").isTrue();
  }

  /** A grant waiting is seen by every instance and taken by one; accounts are apart. */
  @Test
  public void aGrantWaitingIsTakenOnceAcrossInstances() throws Exception {
    String account = account("approvals");
    Instant now = Instant.now();
    Instant until = now.plus(Duration.ofDays(7));
    SharedDeliveries podA = instance(account);
    SharedDeliveries podB = instance(account);

    podA.putAwaiting("g1", "{\"id\":\"g1\"}", now, until);
    podA.putAwaiting("g2", "{\"id\":\"g2\"}", now, until);
    assertThat(podB.awaiting(now)).as("in the order put").containsExactly("{\"id\":\"g1\"}",
        "{\"id\":\"g2\"}");
    assertThat(instance(account("another")).awaiting(now)).isEmpty();
    assertThat(podB.takeAwaiting("g1", now)).contains("{\"id\":\"g1\"}");
    assertThat(podA.takeAwaiting("g1", now)).as("taken once").isEmpty();
    assertThat(podA.awaiting(now)).containsExactly("{\"id\":\"g2\"}");
  }

  /** A grant waiting for approval on one pod is approved on another (a restart loses nothing). */
  @Test
  public void aGrantWaitingOnOnePodIsApprovedOnAnother() throws Exception {
    AtomicInteger awards = new AtomicInteger();
    onJanesTicket((fake, sync, ticket) -> {
      AgentActions[] pods = pods(account("approve"), sync, GoodwillPolicy.defaults(), awards);

      AgentActions.Response waiting = send(pods[0], "01HX-big-grant", ticket, "800", "1");
      assertThat(waiting.outcome()).isEqualTo(AgentActions.Outcome.AWAITING_APPROVAL);
      assertThat(pods[1].awaitingApproval()).as("seen from the other pod")
          .singleElement().satisfies(grant -> {
            assertThat(grant.id()).isEqualTo("01HX-big-grant");
            assertThat(grant.points()).isEqualByComparingTo("800");
            assertThat(grant.ticketId()).isEqualTo(ticket.id());
          });

      assertThat(pods[1].approve("01HX-big-grant")).hasValueSatisfying(response ->
          assertThat(response.outcome()).isEqualTo(AgentActions.Outcome.GRANTED));
      assertThat(pods[0].approve("01HX-big-grant")).as("approved once").isEmpty();
      assertThat(pods[0].awaitingApproval()).isEmpty();
      assertThat(awards).hasValue(1);
    });
  }

  /** Two pods receiving one invocation, each its own AgentActions: one grant, one note. */
  @Test
  public void twoPodsReceivingOneInvocationGrantOnce() throws Exception {
    AtomicInteger awards = new AtomicInteger();
    onJanesTicket((fake, sync, ticket) -> {
      AgentActions[] pods = pods(account("pods"), sync, GoodwillPolicy.defaults(), awards);

      AgentActions.Response first = send(pods[0], "01HX-one-invocation", ticket, "100", "1");
      AgentActions.Response again = send(pods[1], "01HX-one-invocation", ticket, "100", "1");

      assertThat(first.outcome()).isEqualTo(AgentActions.Outcome.GRANTED);
      assertThat(again.outcome()).isEqualTo(AgentActions.Outcome.DUPLICATE);
      assertThat(awards).hasValue(1);
      assertThat(fake.ticket(ticket.id()).orElseThrow().comments()).hasSize(1);
    });
  }

  /** An agent's daily limit holds across pods: each pod does not allow it its own. */
  @Test
  public void anAgentsDailyLimitHoldsAcrossPods() throws Exception {
    AtomicInteger awards = new AtomicInteger();
    onJanesTicket((fake, sync, ticket) -> {
      AgentActions[] pods = pods(account("daily"), sync, new GoodwillPolicy(
          new BigDecimal("1000"), new BigDecimal("300"), new BigDecimal("1000")), awards);

      AgentActions.Response onA = send(pods[0], "01HX-first", ticket, "200", "1");
      AgentActions.Response onB = send(pods[1], "01HX-second", ticket, "200", "2");

      assertThat(onA.outcome()).isEqualTo(AgentActions.Outcome.GRANTED);
      assertThat(onB.reason()).as("400 of 300 today, though pod B granted nothing yet")
          .isEqualTo("over_daily_limit");
      assertThat(awards).hasValue(1);
    });
  }

  private AgentActions[] pods(String account, ZendeskLoyaltySync sync, GoodwillPolicy policy,
      AtomicInteger awards) throws Exception {
    AgentActions[] pods = new AgentActions[2];
    for (int i = 0; i < 2; i++) {
      pods[i] = pod(sync, instance(account), policy, awards).build();
      opened.add(pods[i]);
    }
    return pods;
  }

  /** The pods a test opened, closed after it (their note threads with them). */
  private final List<AgentActions> opened = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Closes the pods the test opened. */
  @org.junit.jupiter.api.AfterEach
  public void closePods() {
    opened.forEach(AgentActions::close);
    opened.clear();
  }

  /** A pod's receiver on {@code deliveries}, its handler counting awards, no repair thread. */
  private static AgentActions.Builder pod(ZendeskLoyaltySync sync, SharedDeliveries deliveries,
      GoodwillPolicy policy, AtomicInteger awards) {
    return AgentActions.builder().sync(sync).goodwillField(777).policy(policy)
        .verifier(ZendeskWebhookVerifier.builder().signingSecret(SECRET).build())
        .deliveries(deliveries).repairEvery(Duration.ZERO).handler(grant -> {
          awards.incrementAndGet();
          return LoyaltyMember.builder().memberId("M-1").email("jane@example.com")
              .availablePoints(new BigDecimal("1350")).lastModifiedDate(Instant.now())
              .build();
        });
  }

  /** What each two-pod test starts from: Jane's ticket on a fake, and a sync to it. */
  private interface OnTicket {
    void run(FakeZendesk fake, ZendeskLoyaltySync sync, FakeTicket ticket) throws Exception;
  }

  private static void onJanesTicket(OnTicket test) throws Exception {
    try (FakeZendesk fake = FakeZendesk.builder().provisioned(FieldSchema.standard()).start();
         ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
      fake.addUser("Jane", "jane@example.com", null);
      test.run(fake, sync, fake.createTicket("jane@example.com", "Where is my parcel?"));
    }
  }

  /** Delivers invocation {@code invocation} of agent 2's grant to {@code pod}, signed. */
  private static AgentActions.Response send(AgentActions pod, String invocation,
      FakeTicket ticket, String points, String update) throws InterruptedException {
    byte[] body = grant(ticket, points, update);
    return pod.handle(headers(invocation, body), body);
  }

  /** Agent 2's grant of {@code points} on the ticket, from the ticket update {@code update}. */
  private static byte[] grant(FakeTicket ticket, String points, String update) {
    return ("{\"ticket_id\": \"" + ticket.id() + "\", \"requester_email\":"
        + " \"jane@example.com\", \"points\": \"" + points + "\", \"reason\": \"late"
        + " delivery\", \"agent_id\": \"2\", \"request\": \"" + ticket.id() + "-" + update
        + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, List<String>> headers(String invocation, byte[] body) {
    String timestamp = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    return Map.of(
        ZendeskWebhookVerifier.SIGNATURE_HEADER,
        List.of(ZendeskWebhookVerifier.sign(SECRET, timestamp, body)),
        ZendeskWebhookVerifier.TIMESTAMP_HEADER, List.of(timestamp),
        ZendeskWebhookVerifier.INVOCATION_ID_HEADER, List.of(invocation));
  }
}
