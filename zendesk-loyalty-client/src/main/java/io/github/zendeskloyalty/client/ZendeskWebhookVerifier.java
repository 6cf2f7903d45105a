package io.github.zendeskloyalty.client;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that a webhook request came from Zendesk: its {@code X-Zendesk-Webhook-Signature} is
 * {@code base64(HMAC-SHA256(signing secret, timestamp + raw body))} with the timestamp of
 * {@code X-Zendesk-Webhook-Signature-Timestamp}, compared in constant time, and the timestamp is
 * recent (a captured request replayed later is refused). No web framework needed: give it the
 * headers and the raw body as received.
 *
 * <pre>{@code
 * ZendeskWebhookVerifier verifier = ZendeskWebhookVerifier.builder()
 *     .signingSecret(System.getenv("ZENDESK_WEBHOOK_SECRET")) // GET /api/v2/webhooks/{id}/signing_secret
 *     .build();
 * ZendeskWebhookVerifier.Verdict verdict = verifier.verify(request.headers(), rawBody);
 * if (!verdict.valid()) {
 *   return response(401); // verdict.reason() says why, without the body or the secret
 * }
 * }</pre>
 *
 * <p>Requests sent with the admin's "test webhook" button are signed with Zendesk's fixed test
 * secret ({@link #TEST_SIGNING_SECRET}); they are refused unless {@code acceptTestSecret(true)},
 * since anyone can sign with it. Thread-safe; {@code toString()} never shows the secret.
 */
public final class ZendeskWebhookVerifier {

  /** The header with the signature. */
  public static final String SIGNATURE_HEADER = "X-Zendesk-Webhook-Signature";
  /** The header with the timestamp that was signed. */
  public static final String TIMESTAMP_HEADER = "X-Zendesk-Webhook-Signature-Timestamp";
  /** The header with the invocation's id: one delivery of it may come more than once. */
  public static final String INVOCATION_ID_HEADER = "X-Zendesk-Webhook-Invocation-Id";
  /** The secret Zendesk signs requests of the admin's "test webhook" button with. */
  public static final String TEST_SIGNING_SECRET = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==";
  /** How old (or how far ahead of this clock) a timestamp may be by default. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);

  private final byte[] secret;
  private final boolean acceptTestSecret;
  private final Duration maxAge;
  private final Clock clock;

  private ZendeskWebhookVerifier(Builder builder) {
    this.secret = builder.secret.getBytes(StandardCharsets.UTF_8);
    this.acceptTestSecret = builder.acceptTestSecret;
    this.maxAge = builder.maxAge;
    this.clock = builder.clock;
  }

  /** A builder; the signing secret is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether a request is Zendesk's and recent.
   *
   * @param headers the request's headers, names in any case
   * @param body the raw body as received (null or empty for none)
   */
  public Verdict verify(Map<String, List<String>> headers, byte[] body) {
    Objects.requireNonNull(headers, "headers");
    String signature = header(headers, SIGNATURE_HEADER);
    String timestamp = header(headers, TIMESTAMP_HEADER);
    if (signature == null || timestamp == null) {
      return Verdict.refused("no " + (signature == null ? SIGNATURE_HEADER : TIMESTAMP_HEADER)
          + " header");
    }
    Instant signedAt;
    try {
      signedAt = OffsetDateTime.parse(timestamp).toInstant();
    } catch (DateTimeParseException notATime) {
      return Verdict.refused(TIMESTAMP_HEADER + " is not an ISO-8601 time");
    }
    Duration age = Duration.between(signedAt, clock.instant()).abs();
    if (age.compareTo(maxAge) > 0) {
      return Verdict.refused("signed " + age.toSeconds() + " s from now, more than "
          + maxAge.toSeconds() + " s: a replayed or delayed request");
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(signature.trim());
    } catch (IllegalArgumentException notBase64) {
      return Verdict.refused(SIGNATURE_HEADER + " is not base64");
    }
    if (MessageDigest.isEqual(given, hmac(secret, timestamp, body))) {
      return Verdict.VALID;
    }
    if (MessageDigest.isEqual(given, hmac(TEST_SIGNING_SECRET.getBytes(StandardCharsets.UTF_8),
        timestamp, body))) {
      return acceptTestSecret ? Verdict.VALID : Verdict.refused("signed with Zendesk's test"
          + " secret (the admin's \"test webhook\" button); accept it with acceptTestSecret(true)");
    }
    return Verdict.refused("the signature does not match the body and the signing secret");
  }

  /**
   * The signature Zendesk sends for {@code body} at {@code timestamp} (the fake Zendesk signs
   * with it; tests of a receiver too).
   */
  public static String sign(String signingSecret, String timestamp, byte[] body) {
    return Base64.getEncoder().encodeToString(hmac(
        Objects.requireNonNull(signingSecret, "signingSecret").getBytes(StandardCharsets.UTF_8),
        Objects.requireNonNull(timestamp, "timestamp"), body));
  }

  private static byte[] hmac(byte[] key, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
      if (body != null) {
        mac.update(body);
      }
      return mac.doFinal();
    } catch (NoSuchAlgorithmException | InvalidKeyException absent) {
      throw new IllegalStateException("every Java platform has HmacSHA256", absent);
    }
  }

  /** The first value of a header, its name in any case; null when absent. */
  static String header(Map<String, List<String>> headers, String name) {
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if (header.getKey() != null && header.getKey().toLowerCase(Locale.ROOT)
          .equals(name.toLowerCase(Locale.ROOT)) && header.getValue() != null
          && !header.getValue().isEmpty()) {
        return header.getValue().get(0);
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "ZendeskWebhookVerifier[secret=****, maxAge=" + maxAge + ", acceptTestSecret="
        + acceptTestSecret + "]";
  }

  /**
   * A verification's outcome: valid, or why not (never the body, a header's value or the
   * secret: safe to log).
   */
  public record Verdict(boolean valid, String reason) {
    static final Verdict VALID = new Verdict(true, null);

    static Verdict refused(String reason) {
      return new Verdict(false, reason);
    }
  }

  /** Configures {@link ZendeskWebhookVerifier}. */
  public static final class Builder {
    private String secret;
    private boolean acceptTestSecret;
    private Duration maxAge = DEFAULT_MAX_AGE;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The webhook's signing secret ({@code GET /api/v2/webhooks/{id}/signing_secret}). */
    public Builder signingSecret(String signingSecret) {
      if (Objects.requireNonNull(signingSecret, "signingSecret").isBlank()) {
        throw new IllegalArgumentException("signingSecret must not be blank");
      }
      this.secret = signingSecret;
      return this;
    }

    /** Whether requests signed with {@link #TEST_SIGNING_SECRET} pass; default false. */
    public Builder acceptTestSecret(boolean acceptTestSecret) {
      this.acceptTestSecret = acceptTestSecret;
      return this;
    }

    /** How far a timestamp may be from this clock; default 5 minutes. */
    public Builder maxAge(Duration maxAge) {
      if (Objects.requireNonNull(maxAge, "maxAge").isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
      }
      this.maxAge = maxAge;
      return this;
    }

    /** The clock timestamps are judged on; default the system's. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The verifier.
     *
     * @throws IllegalStateException without a signing secret
     */
    public ZendeskWebhookVerifier build() {
      if (secret == null) {
        throw new IllegalStateException("ZendeskWebhookVerifier needs signingSecret(String)");
      }
      if (secret.strip().equals(TEST_SIGNING_SECRET) && !acceptTestSecret) {
        throw new IllegalStateException("signingSecret is Zendesk's published test secret, with"
            + " which anyone can sign: give the webhook's own signing secret (GET"
            + " /api/v2/webhooks/{id}/signing_secret), or acceptTestSecret(true) in a test");
      }
      return new ZendeskWebhookVerifier(this);
    }
  }
}
