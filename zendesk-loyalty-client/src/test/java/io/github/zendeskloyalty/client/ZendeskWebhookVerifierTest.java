package io.github.zendeskloyalty.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Zendesk's documented algorithm, base64(HMAC-SHA256(secret, timestamp + body)), against vectors
 * computed with OpenSSL ({@code printf %s "$TS$BODY" | openssl dgst -sha256 -hmac "$SECRET"
 * -binary | base64}), and what a receiver must refuse.
 */
class ZendeskWebhookVerifierTest {

  private static final String TIMESTAMP = "2026-12-06T12:00:00Z";
  private static final byte[] BODY = "{\"ticket_id\":\"42\",\"points\":\"100\",\"reason\":\"late delivery\"}"
      .getBytes(StandardCharsets.UTF_8);
  private static final String SECRET = "a-signing-secret-of-the-webhook";
  private static final Clock A_MINUTE_LATER = Clock.fixed(Instant.parse(TIMESTAMP)
      .plusSeconds(60), ZoneOffset.UTC);

  private static Map<String, List<String>> headers(String signature, String timestamp) {
    return Map.of("x-zendesk-webhook-signature", List.of(signature),
        "X-ZENDESK-WEBHOOK-SIGNATURE-TIMESTAMP", List.of(timestamp));
  }

  private static ZendeskWebhookVerifier verifier(Clock clock) {
    return ZendeskWebhookVerifier.builder().signingSecret(SECRET).clock(clock).build();
  }

  @Test
  void theSignatureIsZendesksAlgorithmAsOpenSslComputesIt() {
    assertThat(ZendeskWebhookVerifier.sign(ZendeskWebhookVerifier.TEST_SIGNING_SECRET, TIMESTAMP,
        BODY)).isEqualTo("+GJuYxqZTBn0BWovQA3QgFwYsi2li/3CJJkXdrKpOlk=");
    assertThat(ZendeskWebhookVerifier.sign(ZendeskWebhookVerifier.TEST_SIGNING_SECRET, TIMESTAMP,
        null)).as("a request without a body").isEqualTo(
        "4tTpn1i6c847Zl/9hHQMT8wa0WjXOfpnwSlpC66l7oo=");
  }

  @Test
  void aRequestSignedWithTheSecretIsValidWhateverTheHeadersCase() {
    String signature = ZendeskWebhookVerifier.sign(SECRET, TIMESTAMP, BODY);

    assertThat(verifier(A_MINUTE_LATER).verify(headers(signature, TIMESTAMP), BODY).valid())
        .isTrue();
  }

  @Test
  void aTamperedBodyAWrongSecretOrAMissingHeaderIsRefusedSayingWhyWithoutTheBody() {
    String signature = ZendeskWebhookVerifier.sign(SECRET, TIMESTAMP, BODY);
    byte[] tampered = "{\"ticket_id\":\"42\",\"points\":\"100000\",\"reason\":\"late delivery\"}"
        .getBytes(StandardCharsets.UTF_8);

    ZendeskWebhookVerifier.Verdict verdict = verifier(A_MINUTE_LATER)
        .verify(headers(signature, TIMESTAMP), tampered);
    assertThat(verdict.valid()).isFalse();
    assertThat(verdict.reason()).contains("does not match").doesNotContain("100000")
        .doesNotContain(SECRET);
    assertThat(verifier(A_MINUTE_LATER).verify(headers(ZendeskWebhookVerifier.sign(
        "another-secret", TIMESTAMP, BODY), TIMESTAMP), BODY).valid()).isFalse();
    assertThat(verifier(A_MINUTE_LATER).verify(Map.of(), BODY).reason())
        .isEqualTo("no X-Zendesk-Webhook-Signature header");
    assertThat(verifier(A_MINUTE_LATER).verify(headers("not base64!", TIMESTAMP), BODY).reason())
        .isEqualTo("X-Zendesk-Webhook-Signature is not base64");
  }

  @Test
  void aStaleOrFarFutureTimestampIsRefusedAsAReplay() {
    String signature = ZendeskWebhookVerifier.sign(SECRET, TIMESTAMP, BODY);
    Clock sixMinutesLater = Clock.offset(A_MINUTE_LATER, Duration.ofMinutes(5));
    Clock sixMinutesBefore = Clock.offset(A_MINUTE_LATER, Duration.ofMinutes(-7));

    assertThat(verifier(sixMinutesLater).verify(headers(signature, TIMESTAMP), BODY).reason())
        .startsWith("signed 360 s from now");
    assertThat(verifier(sixMinutesBefore).verify(headers(signature, TIMESTAMP), BODY).valid())
        .isFalse();
    assertThat(verifier(A_MINUTE_LATER).verify(headers(signature, "yesterday"), BODY).reason())
        .isEqualTo("X-Zendesk-Webhook-Signature-Timestamp is not an ISO-8601 time");
  }

  @Test
  void theTestButtonsSecretIsRefusedUnlessAccepted() {
    String signature = ZendeskWebhookVerifier.sign(ZendeskWebhookVerifier.TEST_SIGNING_SECRET,
        TIMESTAMP, BODY);

    assertThat(verifier(A_MINUTE_LATER).verify(headers(signature, TIMESTAMP), BODY).reason())
        .startsWith("signed with Zendesk's test secret");
    assertThat(ZendeskWebhookVerifier.builder().signingSecret(SECRET).acceptTestSecret(true)
        .clock(A_MINUTE_LATER).build().verify(headers(signature, TIMESTAMP), BODY).valid())
        .isTrue();
  }

  @Test
  void theSecretNeverShows() {
    assertThat(verifier(A_MINUTE_LATER).toString()).doesNotContain(SECRET).contains("****");
  }
}
