package io.github.zendeskloyalty.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Credentials, builder and limit validation: clear errors at the call site, no secrets shown. */
class ConfigurationTest {

  private static final String TOKEN = "abcdEFGH1234token";

  @Test
  void apiTokenBuildsTheBase64CredentialOfTheSeed() {
    ZendeskCredentials credentials = ZendeskCredentials.apiToken("admin@example.com", TOKEN);

    String expected = Base64.getEncoder().encodeToString(
        ("admin@example.com/token:" + TOKEN).getBytes(StandardCharsets.UTF_8));
    assertThat(credentials.authorizationHeader()).isEqualTo("Basic " + expected);
    assertThat(credentials).isEqualTo(ZendeskCredentials.basic(expected));
  }

  @Test
  void credentialsNeverShowTheirSecret() {
    String base64 = Base64.getEncoder().encodeToString(
        ("admin@example.com/token:" + TOKEN).getBytes(StandardCharsets.UTF_8));

    assertThat(ZendeskCredentials.apiToken("admin@example.com", TOKEN))
        .hasToString("ZendeskCredentials.apiToken(a***@example.com, ****)");
    assertThat(ZendeskCredentials.basic(base64).toString())
        .isEqualTo("ZendeskCredentials.basic(a***@example.com/token, ****)")
        .doesNotContain(base64, TOKEN);
    assertThat(ZendeskCredentials.oauth("oauth-secret-value")).hasToString("ZendeskCredentials.oauth(****)");
  }

  @Test
  void oauthIsABearerToken() {
    assertThat(ZendeskCredentials.oauth(" tok ").authorizationHeader()).isEqualTo("Bearer tok");
  }

  @Test
  void badCredentialsFailWithoutEchoingTheSecret() {
    assertThatThrownBy(() -> ZendeskCredentials.basic("not base64 !!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("base64Credential is not valid base64 (its value is not shown)");
    String noColon = Base64.getEncoder().encodeToString("justtext".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> ZendeskCredentials.basic(noColon))
        .hasMessageContaining("must encode '{email}/token:{api_token}'").hasMessageNotContaining(noColon);
    assertThatThrownBy(() -> ZendeskCredentials.apiToken("admin@example.com", " "))
        .hasMessage("apiToken must not be blank");
    assertThatThrownBy(() -> ZendeskCredentials.apiToken("admin@example.com/token", TOKEN))
        .hasMessageContaining("without '/token'").hasMessageNotContaining(TOKEN);
    assertThatThrownBy(() -> ZendeskCredentials.oauth("")).hasMessage("accessToken must not be blank");
  }

  @ParameterizedTest
  @ValueSource(strings = {"acme.zendesk.com", "https://acme", "Acme", "-acme", "acme_1", ""})
  void rejectsSubdomainsThatAreNotBareNames(String subdomain) {
    assertThatThrownBy(() -> ZendeskLoyaltySync.builder().subdomain(subdomain))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("subdomain must be the bare account name")
        .hasMessageEndingWith("'" + subdomain + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://acme.zendesk.com", "http://10.0.0.5:8080", "ftp://localhost"})
  void rejectsPlainHttpOffLoopback(String uri) {
    assertThatThrownBy(() -> ZendeskLoyaltySync.builder().baseUri(URI.create(uri)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("baseUri must use https (plain http only on a loopback host, for tests): '"
            + uri + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://localhost:8080", "http://127.0.0.1:1234", "http://[::1]:99",
      "https://acme.zendesk.com", "https://proxy.example.com/zendesk/"})
  void acceptsHttpsAndLoopbackHttp(String uri) {
    assertThat(ZendeskLoyaltySync.builder().baseUri(URI.create(uri))).isNotNull();
  }

  @Test
  void rejectsBaseUrisCarryingCredentialsOrQueries() {
    assertThatThrownBy(() -> ZendeskLoyaltySync.builder()
            .baseUri(URI.create("https://user:pass@acme.zendesk.com")))
        .hasMessageContaining("must not carry user info").hasMessageNotContaining("pass");
    assertThatThrownBy(() -> ZendeskLoyaltySync.builder().baseUri(URI.create("/relative")))
        .hasMessageContaining("baseUri must be absolute");
  }

  @Test
  void buildNeedsAnAccountAndCredentials() {
    assertThatThrownBy(() -> ZendeskLoyaltySync.builder().subdomain("acme").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("credentials are required");
    assertThatThrownBy(() -> ZendeskLoyaltySync.builder()
            .credentials(ZendeskCredentials.oauth("t")).build())
        .hasMessageContaining("the Zendesk account is required");
    assertThatThrownBy(() -> ZendeskLoyaltySync.builder().subdomain("acme")
            .baseUri(URI.create("https://acme.zendesk.com"))
            .credentials(ZendeskCredentials.oauth("t")).build())
        .hasMessage("set either subdomain or baseUri, not both");
  }

  @Test
  void rejectsOutOfRangeSettingsNamingTheValue() {
    ZendeskLoyaltySync.Builder builder = ZendeskLoyaltySync.builder();

    assertThatThrownBy(() -> builder.maxBatchSize(250))
        .hasMessage("maxBatchSize must be between 1 and 100: 250");
    assertThatThrownBy(() -> builder.maxBatchSize(0))
        .hasMessage("maxBatchSize must be between 1 and 100: 0");
    assertThatThrownBy(() -> builder.maxDelay(Duration.ofSeconds(-1)))
        .hasMessage("maxDelay must not be negative: PT-1S");
    assertThatThrownBy(() -> builder.maxPendingMembers(0))
        .hasMessage("maxPendingMembers must be at least 1: 0");
    assertThatThrownBy(() -> builder.requestTimeout(Duration.ZERO))
        .hasMessage("requestTimeout must be positive: PT0S");
    assertThatThrownBy(() -> RateLimits.defaults().toBuilder().maxConcurrentJobs(31).build())
        .hasMessage("maxConcurrentJobs must be between 1 and 30: 31");
    assertThatThrownBy(() -> RateLimits.defaults().toBuilder().requestsPerMinute(0).build())
        .hasMessage("requestsPerMinute must be at least 1: 0");
  }

  @Test
  void rateLimitDefaultsAreNamed() {
    assertThat(RateLimits.defaults()).isEqualTo(new RateLimits(200, 30, Duration.ofSeconds(10)));
    assertThat(RateLimits.defaults().toBuilder().requestsPerMinute(400).build().requestsPerMinute())
        .isEqualTo(400);
  }

  @Test
  void aSubdomainAddressesZendesk() {
    try (ZendeskLoyaltySync sync = ZendeskLoyaltySync.builder().subdomain("acme")
        .credentials(ZendeskCredentials.apiToken("admin@acme.com", TOKEN)).build()) {
      assertThat(sync.toString()).startsWith("ZendeskLoyaltySync[https://acme.zendesk.com, ")
          .doesNotContain(TOKEN, "admin@acme.com");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc\u200bdef", "abc def", "abc\u00e9def", "abc\ndef"})
  void aTokenWithACharacterNoTokenHasIsRefusedWithoutShowingIt(String token) {
    assertThatThrownBy(() -> ZendeskCredentials.oauth(token))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("accessToken has a character no token has: U+")
        .hasMessageContaining("at position 4 of 7")
        .hasMessageNotContaining("abc").hasMessageNotContaining("def");
    assertThatThrownBy(() -> ZendeskCredentials.apiToken("admin@example.com", token))
        .hasMessageContaining("apiToken has a character no token has")
        .hasMessageNotContaining("abc");
  }

  @Test
  void surroundingWhitespaceOfATokenIsNotPartOfIt() {
    assertThat(ZendeskCredentials.oauth(" tok-1\n").authorizationHeader()).isEqualTo("Bearer tok-1");
    assertThat(ZendeskCredentials.apiToken("admin@example.com", TOKEN + "\n"))
        .isEqualTo(ZendeskCredentials.apiToken("admin@example.com", TOKEN));
  }

  @Test
  void anHttpClientThatFollowsRedirectsIsRefused() {
    HttpClient redirecting = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NORMAL).build();

    assertThatThrownBy(() -> ZendeskLoyaltySync.builder().httpClient(redirecting))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("httpClient must not follow redirects")
        .hasMessageContaining("credentials");
  }
}
