package io.github.zendeskloyalty.spring.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.zendeskloyalty.client.AgentActions;
import io.github.zendeskloyalty.client.GoodwillHandler;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.testkit.FakeTicket;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import io.github.zendeskloyalty.testkit.FakeZendeskExtension;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Spring Boot test of the agent actions on the fake, as README shows it: the fake built with
 * its agent actions installed (the same field ids and signing secret after every reset), their
 * properties from {@link FakeZendesk#springBootProperties()}, the webhook pointed at the
 * application. Here a loopback server hands each webhook to the starter's {@link AgentActions}
 * (the tests have no servlet container); with {@code webEnvironment = RANDOM_PORT}, point it at
 * the application's own endpoint instead.
 */
@SpringBootTest(classes = {SampleLoyaltyApplication.class,
    AgentActionsApplicationTest.Goodwill.class})
class AgentActionsApplicationTest {

  @RegisterExtension
  static FakeZendeskExtension zendesk = new FakeZendeskExtension(FakeZendesk.builder()
      .provisioned(FieldSchema.standard()).agentActionsInstalled());

  @DynamicPropertySource
  static void zendesk(DynamicPropertyRegistry registry) {
    zendesk.fake().springBootProperties().forEach((key, value) -> registry.add(key, () -> value));
  }

  /** The backend's award: every grant lands on member M-1 with 1,250 points before it. */
  @TestConfiguration
  static class Goodwill {
    @Bean
    GoodwillHandler goodwillHandler() {
      return grant -> LoyaltyMember.builder().memberId("M-1").email(grant.requesterEmail())
          .availablePoints(new BigDecimal("1250").add(grant.points()))
          .lastModifiedDate(Instant.now()).build();
    }
  }

  @Autowired
  AgentActions actions;

  private HttpServer receiver;

  @BeforeEach
  void receive(FakeZendesk fake) throws Exception {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/zendesk/agent-actions", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      int status;
      try {
        AgentActions.Response response = actions.handle(exchange.getRequestHeaders(), body);
        response.headers().forEach(exchange.getResponseHeaders()::add);
        status = response.status();
      } catch (InterruptedException stopped) {
        Thread.currentThread().interrupt();
        status = 503;
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    receiver.start();
    fake.agentActionsEndpoint(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort()
        + "/zendesk/agent-actions"));
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
  }

  private static void await(String what, BooleanSupplier condition) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("still waiting for " + what).isLessThan(until);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  private static void grantsOnATicket(FakeZendesk fake, int points, String expectedNote) {
    fake.addUser("Jane", "jane@example.com", null);
    FakeTicket ticket = fake.createTicket("jane@example.com", "Where is my parcel?");
    fake.updateTicketAsAgent(ticket.id(), Map.of(fake.agentActions().goodwillField(), points,
        fake.agentActions().reasonField(), "late delivery"));
    await("the note", () -> !fake.ticket(ticket.id()).orElseThrow().comments().isEmpty());
    assertThat(fake.ticket(ticket.id()).orElseThrow().comments()).singleElement()
        .satisfies(note -> assertThat(note.body()).isEqualTo(expectedNote));
    assertThat(fake.ticket(ticket.id()).orElseThrow().customFields()
        .get(fake.agentActions().goodwillField())).as("the goodwill field cleared").isNull();
  }

  @Test
  void anAgentsGoodwillIsGrantedAndNotedByTheApplication(FakeZendesk fake) {
    grantsOnATicket(fake, 100, "Awarded 100 points (reason: “late delivery”). Balance 1,350.");
  }

  @Test
  void afterTheFakesResetTheSameContextStillReceivesIt(FakeZendesk fake) {
    // the extension reset the fake before this test: the agent actions are there again, with
    // the field ids and the secret the context was started with
    grantsOnATicket(fake, 40, "Awarded 40 points (reason: “late delivery”). Balance 1,290.");
  }
}
