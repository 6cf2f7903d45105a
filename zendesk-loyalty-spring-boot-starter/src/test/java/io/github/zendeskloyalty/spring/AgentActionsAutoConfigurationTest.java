package io.github.zendeskloyalty.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.AgentActions;
import io.github.zendeskloyalty.client.GoodwillHandler;
import io.github.zendeskloyalty.client.ZendeskWebhookVerifier;
import io.github.zendeskloyalty.testkit.FakeTicket;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.http.converter.ByteArrayHttpMessageConverter;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * {@code zendesk.loyalty.agent-actions.*} with a {@link GoodwillHandler} bean: the endpoint
 * takes Zendesk's signed webhook, grants, notes the ticket and counts it; a bad signature is 401.
 */
class AgentActionsAutoConfigurationTest extends StarterTestBase {

  private static final String SECRET = "the-webhook-signing-secret";

  private final WebApplicationContextRunner web = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ZendeskLoyaltyAutoConfiguration.class,
          ZendeskLoyaltyAgentActionsAutoConfiguration.class));

  /** Runs the endpoint on a request to its path, as the DispatcherServlet would. */
  private static int post(RouterFunction<ServerResponse> endpoint, String body, String secret)
      throws Exception {
    return post(endpoint, body, secret, null);
  }

  private static int post(RouterFunction<ServerResponse> endpoint, String body, String secret,
      String bearerToken) throws Exception {
    return answer(endpoint, body, secret, bearerToken).statusCode().value();
  }

  private static ServerResponse answer(RouterFunction<ServerResponse> endpoint, String body,
      String secret, String bearerToken) throws Exception {
    MockHttpServletRequest servlet = new MockHttpServletRequest("POST", "/zendesk/agent-actions");
    if (bearerToken != null) {
      servlet.addHeader("Authorization", "Bearer " + bearerToken);
    }
    String timestamp = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    servlet.addHeader(ZendeskWebhookVerifier.SIGNATURE_HEADER, ZendeskWebhookVerifier.sign(
        secret, timestamp, body.getBytes(StandardCharsets.UTF_8)));
    servlet.addHeader(ZendeskWebhookVerifier.TIMESTAMP_HEADER, timestamp);
    servlet.addHeader(ZendeskWebhookVerifier.INVOCATION_ID_HEADER, "inv-" + System.nanoTime());
    servlet.setContent(body.getBytes(StandardCharsets.UTF_8));
    servlet.setContentType("application/json");
    ServerRequest request = ServerRequest.create(servlet,
        List.of(new ByteArrayHttpMessageConverter()));
    HandlerFunction<ServerResponse> handler = endpoint.route(request).orElseThrow();
    return handler.handle(request);
  }

  @Test
  @SuppressWarnings("unchecked") // the context knows the endpoint's bean as a raw RouterFunction
  void theEndpointGrantsNotesTheTicketAndCountsItAndRefusesABadSignature() {
    fake.addUser("Jane", "jane@example.com", null);
    FakeTicket ticket = fake.createTicket("jane@example.com", "Where is my parcel?");
    GoodwillHandler handler = grant -> member(7).toBuilder()
        .availablePoints(new BigDecimal("1350")).build();
    web.withPropertyValues(account())
        .withPropertyValues("zendesk.loyalty.agent-actions.signing-secret=" + SECRET,
            "zendesk.loyalty.agent-actions.goodwill-field=777")
        .withBean(GoodwillHandler.class, () -> handler)
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(context -> {
          RouterFunction<ServerResponse> endpoint = context.getBean(RouterFunction.class);
          String body = "{\"ticket_id\": \"" + ticket.id() + "\", \"requester_email\":"
              + " \"jane@example.com\", \"requester_external_id\": \"\", \"points\": \"100\","
              + " \"reason\": \"late delivery\", \"agent_id\": \"2\", \"request\": \"r1\"}";

          assertThat(post(endpoint, body, SECRET)).isEqualTo(200);
          assertThat(post(endpoint, body.replace("r1", "r2"), "a guessed secret")).isEqualTo(401);

          assertThat(fake.ticket(ticket.id()).orElseThrow().comments()).singleElement()
              .satisfies(note -> assertThat(note.body())
                  .isEqualTo("Awarded 100 points (reason: “late delivery”). Balance 1,350."));
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          assertThat(registry.get("zendesk.loyalty.goodwill.requests")
              .tags("outcome", "granted").counter().count()).isEqualTo(1);
          assertThat(registry.get("zendesk.loyalty.goodwill.requests")
              .tags("outcome", "unauthorized").counter().count()).isEqualTo(1);
          assertThat(registry.get("zendesk.loyalty.goodwill.notes")
              .tags("result", "written").counter().count()).isEqualTo(1);
          ConfigurationPropertiesReportEndpoint configprops =
              new ConfigurationPropertiesReportEndpoint(context.getBeanProvider(
                  SanitizingFunction.class).orderedStream().toList(), Show.ALWAYS);
          configprops.setApplicationContext(context);
          String shown = configprops.configurationPropertiesWithPrefix("zendesk.loyalty")
              .getContexts().values().iterator().next().getBeans().values().iterator().next()
              .getProperties().toString();
          assertThat(shown).contains("signingSecret=******").doesNotContain(SECRET);
        });
  }

  @Test
  @SuppressWarnings("unchecked") // the context knows the endpoint's bean as a raw RouterFunction
  void aConfiguredBearerTokenIsRequiredAndMasked() {
    fake.addUser("Jane", "jane@example.com", null);
    FakeTicket ticket = fake.createTicket("jane@example.com", "Where is my parcel?");
    web.withPropertyValues(account())
        .withPropertyValues("zendesk.loyalty.agent-actions.signing-secret=" + SECRET,
            "zendesk.loyalty.agent-actions.goodwill-field=777",
            "zendesk.loyalty.agent-actions.bearer-token=webhook-bearer-s3cret")
        .withBean(GoodwillHandler.class, () -> grant -> member(7))
        .run(context -> {
          RouterFunction<ServerResponse> endpoint = context.getBean(RouterFunction.class);
          String body = "{\"ticket_id\": \"" + ticket.id() + "\", \"requester_email\":"
              + " \"jane@example.com\", \"requester_external_id\": \"\", \"points\": \"10\","
              + " \"reason\": \"late\", \"agent_id\": \"2\", \"request\": \"b1\"}";

          assertThat(post(endpoint, body, SECRET)).as("signed, no token").isEqualTo(401);
          assertThat(post(endpoint, body, SECRET, "guessed")).isEqualTo(401);
          assertThat(post(endpoint, body, SECRET, "webhook-bearer-s3cret")).isEqualTo(200);
          ConfigurationPropertiesReportEndpoint configprops =
              new ConfigurationPropertiesReportEndpoint(context.getBeanProvider(
                  SanitizingFunction.class).orderedStream().toList(), Show.ALWAYS);
          configprops.setApplicationContext(context);
          assertThat(configprops.configurationPropertiesWithPrefix("zendesk.loyalty")
              .getContexts().values().iterator().next().getBeans().values().iterator().next()
              .getProperties().toString()).doesNotContain("webhook-bearer-s3cret");
        });
  }

  @Test
  @SuppressWarnings("unchecked") // the context knows the endpoint's bean as a raw RouterFunction
  void aFailingHandlerIsAnswered503WithARetryAfterSoZendeskDeliversAgain() {
    fake.addUser("Jane", "jane@example.com", null);
    FakeTicket ticket = fake.createTicket("jane@example.com", "Where is my parcel?");
    web.withPropertyValues(account())
        .withPropertyValues("zendesk.loyalty.agent-actions.signing-secret=" + SECRET,
            "zendesk.loyalty.agent-actions.goodwill-field=777",
            "zendesk.loyalty.agent-actions.when-store-fails=answer-retry")
        .withBean(GoodwillHandler.class, () -> grant -> {
          throw new IllegalStateException("the loyalty database is down");
        })
        .run(context -> {
          RouterFunction<ServerResponse> endpoint = context.getBean(RouterFunction.class);
          String body = "{\"ticket_id\": \"" + ticket.id() + "\", \"requester_email\":"
              + " \"jane@example.com\", \"requester_external_id\": \"\", \"points\": \"10\","
              + " \"reason\": \"late\", \"agent_id\": \"2\", \"request\": \"h1\"}";

          ServerResponse answer = answer(endpoint, body, SECRET, null);
          assertThat(answer.statusCode().value()).isEqualTo(503);
          assertThat(answer.headers().getFirst("Retry-After")).isEqualTo("10");
          assertThat(fake.ticket(ticket.id()).orElseThrow().comments()).isEmpty();
          assertThat(context.getBean(AgentActions.class)).isNotNull();
        });
  }

  @Test
  void aSecretWithoutAHandlerOrAFieldFailsTheStartNamingIt() {
    web.withPropertyValues(account())
        .withPropertyValues("zendesk.loyalty.agent-actions.signing-secret=" + SECRET,
            "zendesk.loyalty.agent-actions.goodwill-field=777")
        .run(context -> assertThat(context).hasFailed().getFailure()
            .hasStackTraceContaining("no GoodwillHandler bean"));
    web.withPropertyValues(account())
        .withPropertyValues("zendesk.loyalty.agent-actions.signing-secret=" + SECRET)
        .withBean(GoodwillHandler.class, () -> grant -> member(1))
        .run(context -> assertThat(context).hasFailed().getFailure()
            .hasStackTraceContaining("zendesk.loyalty.agent-actions.goodwill-field is required"));
  }

  @Test
  void withoutTheSecretThereIsNoEndpoint() {
    web.withPropertyValues(account())
        .run(context -> assertThat(context).doesNotHaveBean(AgentActions.class)
            .doesNotHaveBean(RouterFunction.class));
  }

  @Test
  void withSharedLimitsTheDeliveriesAreRememberedInThatStore(CapturedOutput output) {
    fake.addUser("Jane", "jane@example.com", null);
    FakeTicket ticket = fake.createTicket("jane@example.com", "Where is my parcel?");
    PGSimpleDataSource down = new PGSimpleDataSource(); // a database nobody answers at
    down.setServerNames(new String[] {"127.0.0.1"});
    down.setPortNumbers(new int[] {1});
    down.setConnectTimeout(1);
    runner.withConfiguration(AutoConfigurations.of(
            ZendeskLoyaltySharedLimitsAutoConfiguration.class,
            ZendeskLoyaltyAgentActionsAutoConfiguration.class))
        .withPropertyValues(account())
        .withPropertyValues("zendesk.loyalty.shared-limits=jdbc",
            "zendesk.loyalty.agent-actions.signing-secret=" + SECRET,
            "zendesk.loyalty.agent-actions.goodwill-field=777")
        .withBean(DataSource.class, () -> down)
        .withBean(GoodwillHandler.class, () -> grant -> member(7))
        .run(context -> {
          byte[] body = ("{\"ticket_id\": \"" + ticket.id() + "\", \"requester_email\":"
              + " \"jane@example.com\", \"points\": \"10\", \"reason\": \"late\","
              + " \"agent_id\": \"2\", \"request\": \"r1\"}").getBytes(StandardCharsets.UTF_8);
          String timestamp = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
          AgentActions.Response response = context.getBean(AgentActions.class).handle(Map.of(
              ZendeskWebhookVerifier.SIGNATURE_HEADER,
              List.of(ZendeskWebhookVerifier.sign(SECRET, timestamp, body)),
              ZendeskWebhookVerifier.TIMESTAMP_HEADER, List.of(timestamp)), body);

          assertThat(response.outcome()).as("a store down never drops a grant")
              .isEqualTo(AgentActions.Outcome.GRANTED);
          assertThat(output).as("the deliveries went to the shared store (down here)")
              .contains("SharedDeliveries failed");
          assertThat(output).as("and the agent's daily total, kept by the instance meanwhile")
              .contains("counted by this instance alone");
        });
  }
}
