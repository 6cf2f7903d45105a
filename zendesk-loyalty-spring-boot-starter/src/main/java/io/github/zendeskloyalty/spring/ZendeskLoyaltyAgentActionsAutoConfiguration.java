package io.github.zendeskloyalty.spring;

import io.github.zendeskloyalty.client.AgentActions;
import io.github.zendeskloyalty.client.GoodwillHandler;
import io.github.zendeskloyalty.client.GoodwillPolicy;
import io.github.zendeskloyalty.client.SharedDeliveries;
import io.github.zendeskloyalty.client.SingleUserWriteSlots;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.client.ZendeskWebhookVerifier;
import io.github.zendeskloyalty.micrometer.ZendeskLoyaltyMetrics;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Goodwill points granted from a ticket, without code but the handler: with
 * {@code zendesk.loyalty.agent-actions.signing-secret} and {@code .goodwill-field} set (both
 * printed by {@code zendesk-loyalty agent-actions install}) and a {@link GoodwillHandler} bean,
 * the starter builds {@link AgentActions} and, in a Spring MVC application, receives the webhook
 * at {@code zendesk.loyalty.agent-actions.path} (default {@code /zendesk/agent-actions}). With
 * Micrometer, the meter {@code zendesk.loyalty.goodwill.requests{outcome,reason}}. With
 * {@code zendesk.loyalty.shared-limits=jdbc|redis}, handled deliveries are remembered in that
 * store, so a delivery landing twice on different replicas grants once. The secret is masked in
 * Actuator.
 *
 * <pre>
 * zendesk.loyalty.agent-actions.signing-secret=${ZENDESK_WEBHOOK_SECRET}
 * zendesk.loyalty.agent-actions.goodwill-field=360001234567
 * zendesk.loyalty.agent-actions.approval-above=500
 * </pre>
 *
 * <pre>{@code
 * @Bean
 * GoodwillHandler goodwill(LoyaltyService loyalty) {
 *   return grant -> loyalty.award(grant.requesterEmail(), grant.points(), grant.reason());
 * }
 * }</pre>
 */
@AutoConfiguration(after = ZendeskLoyaltyAutoConfiguration.class)
@ConditionalOnProperty(prefix = "zendesk.loyalty.agent-actions", name = "signing-secret")
@ConditionalOnBean(ZendeskLoyaltySync.class)
public class ZendeskLoyaltyAgentActionsAutoConfiguration {

  /**
   * The receiver.
   *
   * @throws IllegalStateException naming what is missing: the goodwill field, or a handler
   */
  @Bean
  @ConditionalOnMissingBean
  AgentActions zendeskLoyaltyAgentActions(ZendeskLoyaltySync sync,
      ZendeskLoyaltyProperties properties, ObjectProvider<GoodwillHandler> handler,
      ObjectProvider<AgentActions.Listener> listeners, ObjectProvider<Clock> clock,
      ObjectProvider<SingleUserWriteSlots> sharedLimits) {
    ZendeskLoyaltyProperties.AgentActionsSettings settings = properties.getAgentActions();
    if (settings.getGoodwillField() == null) {
      throw new IllegalStateException("zendesk.loyalty.agent-actions.goodwill-field is required"
          + " with the signing secret: the id of the 'Goodwill points' ticket field that"
          + " 'zendesk-loyalty agent-actions install' printed");
    }
    GoodwillHandler award = handler.getIfUnique();
    if (award == null) {
      throw new IllegalStateException("zendesk.loyalty.agent-actions.signing-secret is set, but"
          + " the application has no GoodwillHandler bean (or several): declare the one that"
          + " awards the points");
    }
    Clock time = clock.getIfAvailable(Clock::systemUTC);
    AgentActions.Builder builder = AgentActions.builder().sync(sync)
        .verifier(ZendeskWebhookVerifier.builder().signingSecret(settings.getSigningSecret())
            .acceptTestSecret(settings.isAcceptTestSecret()).clock(time).build())
        .goodwillField(settings.getGoodwillField()).handler(award).clock(time)
        .whenStoreFails(settings.getWhenStoreFails())
        .policy(new GoodwillPolicy(settings.getMaxPerGrant(), settings.getMaxPerAgentPerDay(),
            settings.getApprovalAbove()));
    if (settings.getBearerToken() != null && !settings.getBearerToken().isBlank()) {
      builder.bearerToken(settings.getBearerToken());
    }
    listeners.orderedStream().forEach(builder::listener);
    if (sharedLimits.getIfUnique() instanceof SharedDeliveries deliveries) {
      builder.deliveries(deliveries); // zendesk.loyalty.shared-limits=jdbc|redis: across pods
    }
    return builder.build();
  }

  /** The webhook's endpoint, in a Spring MVC application. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(RouterFunction.class)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  static class Endpoint {
    @Bean
    RouterFunction<ServerResponse> zendeskLoyaltyAgentActionsEndpoint(AgentActions actions,
        ZendeskLoyaltyProperties properties) {
      return RouterFunctions.route().POST(properties.getAgentActions().getPath(),
          request -> {
            AgentActions.Response response = actions.handle(headers(request),
                request.body(byte[].class));
            ServerResponse.BodyBuilder answer = ServerResponse.status(response.status());
            response.headers().forEach(answer::header);
            return answer.build();
          }).build();
    }

    /** The headers a verification reads (Spring 7's HttpHeaders is no Map any more). */
    private static Map<String, List<String>> headers(ServerRequest request) {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (String name : List.of(ZendeskWebhookVerifier.SIGNATURE_HEADER,
          ZendeskWebhookVerifier.TIMESTAMP_HEADER, ZendeskWebhookVerifier.INVOCATION_ID_HEADER,
          "Authorization")) {
        List<String> values = request.headers().header(name);
        if (!values.isEmpty()) {
          headers.put(name, values);
        }
      }
      return headers;
    }
  }

  /** Goodwill meters, when the application has Micrometer's. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ZendeskLoyaltyMetrics.class)
  @ConditionalOnBean(ZendeskLoyaltyMetrics.class)
  static class Meters {
    @Bean
    AgentActions.Listener zendeskLoyaltyGoodwillMeters(ZendeskLoyaltyMetrics metrics) {
      return metrics.agentActions();
    }
  }
}
