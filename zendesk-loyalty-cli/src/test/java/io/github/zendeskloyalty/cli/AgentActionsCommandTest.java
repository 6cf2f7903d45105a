package io.github.zendeskloyalty.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.testkit.FakeZendesk;
import io.github.zendeskloyalty.testkit.FakeZendeskExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AgentActionsCommandTest {

  @RegisterExtension
  static FakeZendeskExtension zendesk = new FakeZendeskExtension();

  @Test
  void aDryRunSaysWhatItWouldCreateAndCreatesNothing(FakeZendesk fake) {
    Cli.Result result = Cli.admin(fake).run("agent-actions", "install", "--endpoint",
        "https://loyalty.example.com/zendesk/agent-actions", "--dry-run");

    assertThat(result.exit()).as(result.all()).isZero();
    assertThat(result.out()).contains("Would create ticket field 'Goodwill points'.",
        "Would create webhook 'Loyalty: goodwill points' to"
            + " https://loyalty.example.com/zendesk/agent-actions.");
    assertThat(fake.webhooks()).isEmpty();
  }

  @Test
  void installCreatesOnceAndPrintsTheSigningSecretAndASecondRunFindsItAll(FakeZendesk fake) {
    Cli.Result first = Cli.admin(fake).env("ZENDESK_LOYALTY_WEBHOOK_TOKEN", "a-bearer-token")
        .run("agent-actions", "install", "--endpoint",
            "https://loyalty.example.com/zendesk/agent-actions");
    Cli.Result second = Cli.admin(fake).run("agent-actions", "install", "--endpoint",
        "https://loyalty.example.com/zendesk/agent-actions");

    assertThat(first.exit()).as(first.all()).isZero();
    assertThat(first.out()).contains("Created trigger 'Loyalty: grant goodwill points'.",
        "The webhook's signing secret, for your receiver");
    assertThat(second.out()).contains("Everything was there already; nothing created.");
    assertThat(fake.webhooks()).hasSize(1);
    assertThat(fake.webhooks().get(0).path("authentication").path("type").asText())
        .isEqualTo("bearer_token");
    assertThat(first.all()).doesNotContain("a-bearer-token");
    assertThat(fake.triggers()).hasSize(1);
  }

  @Test
  void anAgentsCredentialsAreRefusedWithExitCodeFour(FakeZendesk fake) {
    Cli.Result result = Cli.agent(fake).run("agent-actions", "install", "--endpoint",
        "https://loyalty.example.com/zendesk/agent-actions");

    assertThat(result.exit()).as(result.all()).isEqualTo(4);
  }
}
