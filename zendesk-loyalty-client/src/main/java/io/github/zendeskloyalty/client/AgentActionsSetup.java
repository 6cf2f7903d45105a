package io.github.zendeskloyalty.client;

import java.util.List;

/**
 * What {@link ZendeskLoyaltySync#installAgentActions} found or created in Zendesk for goodwill
 * points: the two ticket fields, the webhook and its signing secret, the trigger and the example
 * macro (ids; -1 or null for what a dry run would create), and what it created.
 *
 * <pre>{@code
 * AgentActionsSetup setup = sync.installAgentActions(URI.create("https://loyalty.acme.com/zendesk/agent-actions"), false);
 * AgentActions actions = AgentActions.builder().sync(sync)
 *     .verifier(ZendeskWebhookVerifier.builder().signingSecret(setup.signingSecret()).build())
 *     .goodwillField(setup.goodwillField()).handler(handler).build();
 * }</pre>
 *
 * @param signingSecret the webhook's signing secret (never in {@code toString})
 * @param created what was created (or, in a dry run, would be), in words
 */
public record AgentActionsSetup(boolean dryRun, long goodwillField, long reasonField,
    String webhookId, String signingSecret, long triggerId, long macroId, List<String> created) {

  /** Copies the list. */
  public AgentActionsSetup {
    created = List.copyOf(created);
  }

  @Override
  public String toString() {
    return "AgentActionsSetup[dryRun=" + dryRun + ", goodwillField=" + goodwillField
        + ", reasonField=" + reasonField + ", webhookId=" + webhookId + ", signingSecret="
        + (signingSecret == null ? "none" : "****") + ", triggerId=" + triggerId + ", macroId="
        + macroId + ", created=" + created + "]";
  }
}
