package io.github.zendeskloyalty.cli.internal;

import io.github.zendeskloyalty.client.AgentActionsSetup;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code agent-actions}: goodwill points granted from a ticket. Not part of the API. */
@Command(name = "agent-actions", mixinStandardHelpOptions = true,
    description = "Set up goodwill points granted from a Zendesk ticket.",
    subcommands = AgentActionsCommands.Install.class)
public final class AgentActionsCommands {

  /** {@code agent-actions install}. */
  @Command(name = "install", mixinStandardHelpOptions = true,
      description = {"Creates, or finds and never duplicates, what the loop needs in Zendesk:"
          + " the 'Goodwill points' and 'Goodwill reason' ticket fields, a webhook to ENDPOINT"
          + " (its signing secret is printed once, for your receiver; with"
          + " ZENDESK_LOYALTY_WEBHOOK_TOKEN set, it also sends that bearer token), the trigger"
          + " that calls it and an example macro. An admin's credentials."},
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:installed (or, with --dry-run, planned)", "2:a wrong flag",
          "3:Zendesk refused the credentials", "4:not an admin's credentials",
          "5:no account there", "6:Zendesk unavailable or rate-limited"},
      footerHeading = "%nExample:%n",
      footer = "  zendesk-loyalty agent-actions install --endpoint"
          + " https://loyalty.acme.com/zendesk/agent-actions --subdomain acme --email admin@acme.com")
  public static final class Install implements Callable<Integer> {
    private final Context context;
    @Mixin Account account;
    @Mixin Commands.Output output;

    @Option(names = "--endpoint", required = true, paramLabel = "URL",
        description = "Where Zendesk sends the webhook: your receiver (AgentActions.handle).")
    URI endpoint;

    @Option(names = "--dry-run", description = "Create nothing; say what would be created.")
    boolean dryRun;

    /** Where a bearer token for the webhook's authentication is read (never an argument). */
    static final String BEARER_TOKEN_VARIABLE = "ZENDESK_LOYALTY_WEBHOOK_TOKEN";

    public Install(Context context) {
      this.context = context;
    }

    @Override
    public Integer call() throws Exception {
      if (!endpoint.isAbsolute() || !(endpoint.getScheme().equals("https")
          || endpoint.getScheme().equals("http"))) {
        throw new IllegalArgumentException("--endpoint must be an absolute http(s) URL: "
            + endpoint);
      }
      AgentActionsSetup setup;
      try (Account.Connection connection = account.open(context, FieldSchema.standard(), false);
           ZendeskLoyaltySync sync = connection.builder().build()) {
        setup = sync.installAgentActions(endpoint, context.env().get(BEARER_TOKEN_VARIABLE),
            dryRun);
      }
      if (output.json) {
        Commands.printJson(context, Commands.JSON.createObjectNode()
            .put("dryRun", setup.dryRun()).put("goodwillField", setup.goodwillField())
            .put("reasonField", setup.reasonField()).put("webhookId", setup.webhookId())
            .put("signingSecret", setup.signingSecret()).put("triggerId", setup.triggerId())
            .put("macroId", setup.macroId())
            .set("created", Commands.JSON.valueToTree(setup.created())));
        return ExitCodes.OK;
      }
      if (setup.created().isEmpty()) {
        context.out().println("Everything was there already; nothing created.");
      }
      for (String created : setup.created()) {
        context.out().println((setup.dryRun() ? "Would create " : "Created ") + created + ".");
      }
      if (!setup.dryRun()) {
        context.out().printf("Goodwill field %d, reason field %d, webhook %s, trigger %d, macro"
            + " %d.%n", setup.goodwillField(), setup.reasonField(), setup.webhookId(),
            setup.triggerId(), setup.macroId());
        context.out().println("The webhook's signing secret, for your receiver"
            + " (ZendeskWebhookVerifier): " + setup.signingSecret());
      }
      return ExitCodes.OK;
    }
  }
}
