package io.github.zendeskloyalty.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.zendeskloyalty.testkit.FakeEndpoint;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import io.github.zendeskloyalty.testkit.ManualClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code credentials login} with the test playing the person at the browser: it reads the
 * authorization page the command printed, opens it (the fake's admin approves with a 302 to the
 * command's loopback callback), and the command stores the pair, which later commands renew.
 */
class CredentialsLoginCommandTest {

  private static final Pattern PAGE = Pattern.compile("^  (http\\S+/oauth/authorizations/new\\S+)$",
      Pattern.MULTILINE);

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T10:00:00Z"));
  private final HttpClient browser = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NORMAL).build();
  private FakeZendesk fake;
  @TempDir
  Path dir;

  @BeforeEach
  void start() {
    fake = FakeZendesk.builder().clock(clock).start();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private Cli publicClient() {
    return Cli.bare().account(fake).env("ZENDESK_CLIENT_ID", FakeZendesk.OAUTH_PUBLIC_CLIENT_ID);
  }

  /** The access token the file holds (the SDK's plain form: no encryption key given). */
  private static String accessToken(Path file) throws Exception {
    JsonNode entries = JsonMapper.builder().build().readTree(file.toFile()).path("tokens");
    String value = entries.elements().next().path("value").asText();
    assertThat(value).startsWith("plain:");
    return JsonMapper.builder().build().readTree(value.substring("plain:".length()))
        .path("access_token").asText();
  }

  private HttpResponse<String> open(URI page) throws Exception {
    return browser.send(HttpRequest.newBuilder(page).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aLoginInTheBrowserStoresAPairThatLaterCommandsRenewAndWriteBack() throws Exception {
    Path file = dir.resolve("config/acme.json");
    Cli.Running login = publicClient().start("credentials", "login", "--token-file",
        file.toString(), "--port", "0");

    URI page = URI.create(login.awaitErr(PAGE));
    HttpResponse<String> shown = open(page);
    Cli.Result result = login.end();

    assertThat(result.exit()).as(result.all()).isZero();
    assertThat(shown.statusCode()).isEqualTo(200);
    assertThat(shown.body()).contains("you can close this window");
    assertThat(page.getQuery()).contains("code_challenge_method=S256", "scope=read write",
        "redirect_uri=http://127.0.0.1:");
    assertThat(result.out()).contains("Connected as", "role admin", file.toString());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    String stored = Files.readString(file);
    assertThat(fake.oauthTokensIssued("AUTHORIZATION_CODE")).isEqualTo(1);
    assertThat(result.all()).as("no token on the screen").doesNotContain(accessToken(file));

    Cli.Result check = publicClient().run("credentials", "check", "--token-file",
        file.toString());
    assertThat(check.exit()).as(check.all()).isZero();
    assertThat(check.out()).contains("an OAuth pair");
    assertThat(fake.oauthTokensIssued("REFRESH_TOKEN")).as("still fresh: not renewed").isZero();

    clock.advance(Duration.ofMinutes(31)); // the access token expired at Zendesk
    Cli.Result renewed = publicClient().run("credentials", "check", "--token-file",
        file.toString());
    assertThat(renewed.exit()).as(renewed.all()).isZero();
    assertThat(fake.oauthTokensIssued("REFRESH_TOKEN")).isEqualTo(1);
    assertThat(Files.readString(file)).as("the rotated pair written back").isNotEqualTo(stored);

    Cli.Result again = publicClient().run("fields", "verify", "--token-file", file.toString());
    assertThat(again.exit()).as("the old refresh token is dead; the file's new one serves")
        .isIn(0, 1);
    assertThat(again.err()).doesNotContain("reconnect");
    assertThat(fake.oauthTokensIssued("REFRESH_TOKEN")).isEqualTo(1);
  }

  @Test
  void aDeniedPageOrAForgedCallbackConnectsNothingAndExitsThree() throws Exception {
    Path file = dir.resolve("acme.json");
    Cli.Running denied = publicClient().start("credentials", "login", "--token-file",
        file.toString(), "--port", "0");
    URI page = URI.create(denied.awaitErr(PAGE));
    open(fake.denyAuthorization(page));
    Cli.Result deniedResult = denied.end();

    Cli.Running forged = publicClient().start("credentials", "login", "--token-file",
        file.toString(), "--port", "0");
    URI forgedPage = URI.create(forged.awaitErr(PAGE));
    URI callback = fake.authorize(forgedPage);
    open(URI.create(callback.toString().replaceAll("state=[^&]+", "state=forged")));
    Cli.Result forgedResult = forged.end();

    assertThat(deniedResult.exit()).isEqualTo(3);
    assertThat(deniedResult.err()).contains("not connected", "access_denied");
    assertThat(forgedResult.exit()).isEqualTo(3);
    assertThat(forgedResult.err()).contains("state does not match");
    assertThat(file).doesNotExist();
    assertThat(fake.oauthTokensIssued("AUTHORIZATION_CODE")).isZero();
  }

  @Test
  void printGivesThePairAsJsonForASecretManager() throws Exception {
    Cli.Running login = publicClient().start("credentials", "login", "--print", "--port", "0",
        "--scopes", "users:read,users:write");
    open(URI.create(login.awaitErr(PAGE)));
    Cli.Result result = login.end();

    assertThat(result.exit()).as(result.all()).isZero();
    JsonNode pair = JsonMapper.builder().build().readTree(result.out());
    assertThat(pair.path("access_token").asText()).isNotEmpty();
    assertThat(pair.path("refresh_token").asText()).isNotEmpty();
    assertThat(Instant.parse(pair.path("expires_at").asText()))
        .isBetween(Instant.now().plusSeconds(29 * 60), Instant.now().plusSeconds(30 * 60));
    assertThat(pair.path("scopes").toString()).contains("users:read", "users:write");
    assertThat(result.err()).contains("a secret");
  }

  @Test
  void noAnswerInTimeExitsThreeAndSaysWhatToCheck() throws Exception {
    Cli.Result result = publicClient().run("credentials", "login", "--print", "--port", "0",
        "--timeout-seconds", "1");

    assertThat(result.exit()).isEqualTo(3);
    assertThat(result.err()).contains("no answer from the browser within 1 s",
        "redirect URLs");
  }

  @Test
  void wrongSetupsAreRefusedBeforeTheBrowser() throws Exception {
    Path notOurs = dir.resolve("notes.json");
    Files.writeString(notOurs, "{\"mine\": true}");

    Cli.Result neither = publicClient().run("credentials", "login");
    Cli.Result foreignFile = publicClient().run("credentials", "login", "--token-file",
        notOurs.toString());
    Cli.Result noClient = Cli.bare().account(fake).run("credentials", "login", "--print");
    Cli.Result fileWithoutClient = Cli.bare().account(fake).run("credentials", "check",
        "--token-file", notOurs.toString());
    Cli.Result missingFile = publicClient().run("credentials", "check", "--token-file",
        dir.resolve("none.json").toString());

    assertThat(neither.exit()).isEqualTo(2);
    assertThat(neither.err()).contains("--token-file", "--print");
    assertThat(foreignFile.exit()).isEqualTo(2);
    assertThat(foreignFile.err()).contains("not a token file");
    assertThat(Files.readString(notOurs)).isEqualTo("{\"mine\": true}");
    assertThat(noClient.exit()).isEqualTo(2);
    assertThat(noClient.err()).contains("--client-id", "OAuth clients");
    assertThat(fileWithoutClient.exit()).isEqualTo(2);
    assertThat(fileWithoutClient.err()).contains("--client-id");
    assertThat(missingFile.exit()).isEqualTo(2);
    assertThat(missingFile.err()).contains("credentials login --token-file");
    assertThat(fake.requests(FakeEndpoint.OAUTH_TOKENS)).isEmpty();
  }

  @Test
  void aRevokedGrantSaysToLogInAgain() throws Exception {
    Path file = dir.resolve("acme.json");
    Cli.Running login = publicClient().start("credentials", "login", "--token-file",
        file.toString(), "--port", "0");
    open(URI.create(login.awaitErr(PAGE)));
    assertThat(login.end().exit()).isZero();

    fake.revokeOAuthTokens();
    Cli.Result result = publicClient().run("credentials", "check", "--token-file",
        file.toString());

    assertThat(result.exit()).isEqualTo(3);
    assertThat(result.err()).contains("need reconnecting", "credentials login");
  }
}
