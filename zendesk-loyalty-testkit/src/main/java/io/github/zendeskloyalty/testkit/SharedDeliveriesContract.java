package io.github.zendeskloyalty.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.AgentActions;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SharedDeliveries} must do, as JUnit tests to extend for your own store (the
 * SDK's PostgreSQL and Redis ones pass it): a delivery is first once across instances, accounts
 * apart, and two {@link AgentActions} (two pods) receiving one invocation grant once.
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

  /** A new instance's deliveries for {@code account}, as a new pod would open them. */
  protected abstract SharedDeliveries instance(String account) throws Exception;

  private static String account(String test) {
    return test + "-" + System.nanoTime();
  }

  /** A delivery is first once, for every instance of one account; accounts are apart. */
  @Test
  public void aDeliveryIsFirstOnceAcrossInstances() throws Exception {
    String account = account("once");
    Instant now = Instant.now();
    Instant until = now.plus(Duration.ofMinutes(10));
    SharedDeliveries podA = instance(account);
    SharedDeliveries podB = instance(account);

    assertThat(podA.first("invocation:1", now, until)).isTrue();
    assertThat(podB.first("invocation:1", now, until)).as("the other pod").isFalse();
    assertThat(podA.first("invocation:1", now, until)).isFalse();
    assertThat(podB.first("invocation:2", now, until)).isTrue();
    assertThat(instance(account("another")).first("invocation:1", now, until)).isTrue();
  }

  /** Two pods receiving one invocation, each its own AgentActions: one grant, one note. */
  @Test
  public void twoPodsReceivingOneInvocationGrantOnce() throws Exception {
    String account = account("pods");
    String secret = "the-signing-secret";
    AtomicInteger awards = new AtomicInteger();
    try (FakeZendesk fake = FakeZendesk.builder().provisioned(FieldSchema.standard()).start();
         ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
      fake.addUser("Jane", "jane@example.com", null);
      FakeTicket ticket = fake.createTicket("jane@example.com", "Where is my parcel?");
      AgentActions[] pods = new AgentActions[2];
      for (int i = 0; i < 2; i++) {
        pods[i] = AgentActions.builder().sync(sync).goodwillField(777)
            .verifier(ZendeskWebhookVerifier.builder().signingSecret(secret).build())
            .deliveries(instance(account)).handler(grant -> {
              awards.incrementAndGet();
              return LoyaltyMember.builder().memberId("M-1").email("jane@example.com")
                  .availablePoints(new BigDecimal("1350")).lastModifiedDate(Instant.now())
                  .build();
            }).build();
      }
      byte[] body = ("{\"ticket_id\": \"" + ticket.id() + "\", \"requester_email\":"
          + " \"jane@example.com\", \"points\": \"100\", \"reason\": \"late delivery\","
          + " \"agent_id\": \"2\", \"request\": \"" + ticket.id() + "-1\"}")
          .getBytes(StandardCharsets.UTF_8);
      String timestamp = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
      Map<String, List<String>> headers = Map.of(
          ZendeskWebhookVerifier.SIGNATURE_HEADER,
          List.of(ZendeskWebhookVerifier.sign(secret, timestamp, body)),
          ZendeskWebhookVerifier.TIMESTAMP_HEADER, List.of(timestamp),
          ZendeskWebhookVerifier.INVOCATION_ID_HEADER, List.of("01HX-one-invocation"));

      AgentActions.Response first = pods[0].handle(headers, body);
      AgentActions.Response again = pods[1].handle(headers, body);

      assertThat(first.outcome()).isEqualTo(AgentActions.Outcome.GRANTED);
      assertThat(again.outcome()).isEqualTo(AgentActions.Outcome.DUPLICATE);
      assertThat(awards).hasValue(1);
      assertThat(fake.ticket(ticket.id()).orElseThrow().comments()).hasSize(1);
    }
  }
}
