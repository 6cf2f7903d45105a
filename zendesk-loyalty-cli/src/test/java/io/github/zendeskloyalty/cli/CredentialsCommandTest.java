package io.github.zendeskloyalty.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.zendeskloyalty.testkit.FakeEndpoint;
import io.github.zendeskloyalty.testkit.FakeFault;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import io.github.zendeskloyalty.testkit.FakeZendeskExtension;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CredentialsCommandTest {

  @RegisterExtension
  static FakeZendeskExtension zendesk = new FakeZendeskExtension();

  @Test
  void checkSaysWhoAnAdminIsAndExitsZero(FakeZendesk fake) throws Exception {
    Cli.Result result = Cli.admin(fake).run("credentials", "check");

    assertThat(result.exit()).as(result.all()).isZero();
    assertThat(result.out()).contains("role admin", "An admin", "a***@fake-zendesk.test")
        .doesNotContain(FakeZendesk.ADMIN_EMAIL);

    JsonNode json = JsonMapper.builder().build().readTree(
        Cli.admin(fake).run("credentials", "check", "--json").out());
    assertThat(json.path("role").asText()).isEqualTo("admin");
    assertThat(json.path("canManageUserFields").asBoolean()).isTrue();
  }

  @Test
  void checkOfClientCredentialsSaysTheirKindScopesAndExpiryAndNoSecret(FakeZendesk fake)
      throws Exception {
    Cli.Result result = Cli.admin(fake).env("ZENDESK_OAUTH_SCOPES", "read write")
        .run("credentials", "check");
    JsonNode json = JsonMapper.builder().build().readTree(Cli.admin(fake)
        .run("credentials", "check", "--json", "--scopes", "read,write").out());

    assertThat(result.exit()).as(result.all()).isZero();
    assertThat(result.out()).contains("Kind: OAuth client credentials", "scopes read write",
        "the access token expires 20");
    assertThat(result.all()).doesNotContain(FakeZendesk.OAUTH_CLIENT_SECRET)
        .doesNotContain("API tokens stop working");
    assertThat(json.path("credentials").asText()).isEqualTo("CLIENT_CREDENTIALS");
    assertThat(json.path("scopes").toString()).isEqualTo("[\"read\",\"write\"]");
    assertThat(json.path("accessTokenExpiresAt").asText()).isNotEmpty();
    assertThat(json.has("apiTokenDaysLeft")).isFalse();
    assertThat(fake.oauthTokensIssued("CLIENT_CREDENTIALS")).isEqualTo(2);
  }

  @Test
  void checkOfAnApiTokenSaysItsDaysLeftAndWhatReplacesIt(FakeZendesk fake) throws Exception {
    Cli.Result result = Cli.apiTokenAdmin(fake).run("credentials", "check");
    JsonNode json = JsonMapper.builder().build().readTree(
        Cli.apiTokenAdmin(fake).run("credentials", "check", "--json").out());
    long daysLeft = java.time.temporal.ChronoUnit.DAYS.between(
        java.time.LocalDate.now(java.time.ZoneOffset.UTC), java.time.LocalDate.of(2027, 4, 30));

    assertThat(result.exit()).isZero();
    assertThat(result.out()).contains("Kind: an API token (legacy)",
        "API tokens stop working on 2027-04-30 (" + daysLeft + " days left",
        "ZENDESK_CLIENT_ID=<its identifier> ZENDESK_CLIENT_SECRET=<its secret> zendesk-loyalty"
            + " credentials check");
    assertThat(json.path("credentials").asText()).isEqualTo("API_TOKEN");
    assertThat(json.path("apiTokenDaysLeft").asLong()).isEqualTo(daysLeft);
  }

  @Test
  void checkOfAnAgentExitsFourAndSaysFieldsNeedAnAdmin(FakeZendesk fake) {
    Cli.Result result = Cli.agent(fake).run("credentials", "check");

    assertThat(result.exit()).isEqualTo(4);
    assertThat(result.out()).contains("role agent", "cannot create user fields");
  }

  @Test
  void checkWithAWrongClientSecretExitsThreeNamingTheClientAndNeverPrintsTheSecret(
      FakeZendesk fake) {
    Cli.Result result = Cli.admin(fake).env("ZENDESK_CLIENT_SECRET", "wrong-secret-s3cret")
        .run("credentials", "check");
    Cli.Result fromStdin = Cli.bare().account(fake).env("ZENDESK_CLIENT_ID",
        FakeZendesk.OAUTH_CLIENT_ID).stdin(FakeZendesk.OAUTH_CLIENT_SECRET + "\n")
        .run("credentials", "check", "--client-secret-stdin");

    assertThat(result.exit()).isEqualTo(3);
    assertThat(result.err()).contains(FakeZendesk.OAUTH_CLIENT_ID, "Admin Center");
    assertThat(result.all()).doesNotContain("wrong-secret-s3cret");
    assertThat(fromStdin.exit()).as(fromStdin.all()).isZero();
  }

  @Test
  void checkWithAWrongApiTokenExitsThreeNamingTheCausesAndNeverPrintsTheToken(
      FakeZendesk fake) {
    Cli.Result result = Cli.apiTokenAdmin(fake).env("ZENDESK_API_TOKEN", "wrong-token-s3cret")
        .run("credentials", "check");

    assertThat(result.exit()).isEqualTo(3);
    assertThat(result.err()).contains("401", "token access");
    assertThat(result.all()).doesNotContain("wrong-token-s3cret")
        .doesNotContain(Base64.getEncoder().encodeToString((FakeZendesk.ADMIN_EMAIL
            + "/token:wrong-token-s3cret").getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void checkWhereNoAccountAnswersExitsFive(FakeZendesk fake) {
    fake.failNext(1, FakeEndpoint.SHOW_CURRENT_USER, FakeFault.status(404));

    Cli.Result result = Cli.admin(fake).run("credentials", "check");

    assertThat(result.exit()).isEqualTo(5);
    assertThat(result.err()).contains("--subdomain");
  }

  @Test
  void checkWhenNothingListensExitsFive() {
    Cli.Result result = Cli.bare().env("ZENDESK_EMAIL", "a@example.com")
        .env("ZENDESK_API_TOKEN", "t").run("credentials", "check", "--base-uri",
            "http://127.0.0.1:1");

    assertThat(result.exit()).isEqualTo(5);
  }

  @Test
  void checkWhileZendeskIsDownExitsSix(FakeZendesk fake) {
    fake.failNext(3, FakeEndpoint.SHOW_CURRENT_USER, FakeFault.status(503));

    assertThat(Cli.admin(fake).run("credentials", "check").exit()).isEqualTo(6);
  }

  @Test
  void checkReadsAnOauthTokenFromTheEnvironmentOrStandardInput(FakeZendesk fake) {
    Cli.Result fromEnv = Cli.bare().account(fake)
        .env("ZENDESK_OAUTH_TOKEN", FakeZendesk.OAUTH_ACCESS_TOKEN).run("credentials", "check");
    Cli.Result fromStdin = Cli.bare().account(fake).stdin(FakeZendesk.OAUTH_ACCESS_TOKEN + "\n")
        .run("credentials", "check", "--oauth-token-stdin");

    assertThat(fromEnv.exit()).isZero();
    assertThat(fromStdin.exit()).isZero();
  }

  @Test
  void withoutCredentialsItSaysWhatToSetAndExitsTwo(FakeZendesk fake) {
    Cli.Result nothing = Cli.bare().account(fake).run("credentials", "check");
    Cli.Result noSecret = Cli.bare().account(fake).env("ZENDESK_CLIENT_ID", "loyalty")
        .run("credentials", "check");
    Cli.Result noToken = Cli.bare().account(fake).env("ZENDESK_EMAIL", "a@example.com")
        .run("credentials", "check");
    Cli.Result noAccount = Cli.bare().run("credentials", "check");

    assertThat(nothing.exit()).isEqualTo(2);
    assertThat(nothing.err()).contains("ZENDESK_CLIENT_ID", "ZENDESK_CLIENT_SECRET",
        "credentials login", "2027-04-30");
    assertThat(noSecret.exit()).isEqualTo(2);
    assertThat(noSecret.err()).contains("ZENDESK_CLIENT_SECRET", "--client-secret-stdin");
    assertThat(noToken.exit()).isEqualTo(2);
    assertThat(noToken.err()).contains("ZENDESK_API_TOKEN", "--api-token-stdin");
    assertThat(noAccount.exit()).isEqualTo(2);
    assertThat(noAccount.err()).contains("--subdomain", "--fake");
  }

  @Test
  void aTokenIsNeverTakenFromAnArgument() {
    Cli.Result result = Cli.bare().run("credentials", "encode", "--email", "a@example.com",
        "--api-token", "s3cret");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("unknown arguments --api-token, (a value, not shown)",
        "credentials encode --help");
    assertThat(result.all()).doesNotContain("s3cret");
  }

  @Test
  void aSecretTypedAfterAMistypedOptionIsNeverEchoedInAnyForm() {
    Cli.Result separate = Cli.bare().run("credentials", "check", "--api-token", "SECRET-1");
    Cli.Result joined = Cli.bare().run("credentials", "check", "--api-token=SECRET-2");
    Cli.Result misspelt = Cli.bare().run("credentials", "check", "--oauth-tokn", "SECRET-3");

    assertThat(separate.exit()).isEqualTo(2);
    assertThat(joined.exit()).isEqualTo(2);
    assertThat(joined.err()).contains("--api-token=…");
    assertThat(misspelt.exit()).isEqualTo(2);
    assertThat(separate.all() + joined.all() + misspelt.all()).doesNotContain("SECRET");
  }

  @Test
  void encodeSaysItIsLegacy() {
    assertThat(Cli.bare().run("credentials", "encode", "--help").out()).contains("Legacy",
        "2027-04-30", "credentials login");
  }

  @Test
  void encodeBuildsTheSeedsBase64CredentialFromStandardInputOrTheEnvironment() {
    String expected = Base64.getEncoder().encodeToString(
        "jane@example.com/token:abc123".getBytes(StandardCharsets.UTF_8));

    Cli.Result fromStdin = Cli.bare().stdin("abc123\n")
        .run("credentials", "encode", "--email", "jane@example.com", "--api-token-stdin");
    Cli.Result fromEnv = Cli.bare().env("ZENDESK_EMAIL", "jane@example.com")
        .env("ZENDESK_API_TOKEN", "abc123").run("credentials", "encode");

    assertThat(fromStdin.exit()).isZero();
    assertThat(fromStdin.out().strip()).isEqualTo(expected);
    assertThat(fromEnv.out().strip()).isEqualTo(expected);
  }

  @Test
  void encodeRefusesAMissingTokenOrEmptyInput() {
    assertThat(Cli.bare().run("credentials", "encode", "--email", "jane@example.com").exit())
        .isEqualTo(2);
    Cli.Result empty = Cli.bare().stdin("")
        .run("credentials", "encode", "--email", "jane@example.com", "--api-token-stdin");
    assertThat(empty.exit()).isEqualTo(2);
    assertThat(empty.err()).contains("standard input held no token");
  }

  @Test
  void fakeFlagNeedsNothingElse() {
    Cli.Result result = Cli.bare().run("credentials", "check", "--fake");

    assertThat(result.exit()).isZero();
    assertThat(result.err()).contains("embedded fake Zendesk");
  }

  @Test
  void versionAndHelpWithAnExample() {
    assertThat(Cli.bare().run("--version").out()).startsWith("zendesk-loyalty ");
    Cli.Result help = Cli.bare().run("credentials", "check", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("Example:", "Exit codes:");
  }
}
