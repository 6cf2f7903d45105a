package io.github.zendeskloyalty.client;

import io.github.zendeskloyalty.core.internal.Redaction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * How the SDK authenticates to Zendesk. Replaces the seed's manual step of building a base64
 * credential by hand. {@link #toString()} never shows a secret.
 *
 * <pre>{@code
 * ZendeskCredentials token = ZendeskCredentials.apiToken("admin@example.com", System.getenv("ZENDESK_TOKEN"));
 * ZendeskCredentials seed  = ZendeskCredentials.basic(System.getenv("ZENDESK_BASE64_CREDENTIAL"));
 * ZendeskCredentials oauth = ZendeskCredentials.oauth(System.getenv("ZENDESK_OAUTH_TOKEN"));
 * }</pre>
 */
public final class ZendeskCredentials {

  private final String authorization;
  private final String description;

  private ZendeskCredentials(String authorization, String description) {
    this.authorization = authorization;
    this.description = description;
  }

  /**
   * An API token of a Zendesk user (Admin Center: Apps and integrations, APIs, Zendesk API).
   * The SDK sends HTTP Basic with {@code base64("{email}/token:{apiToken}")}.
   *
   * @param email the email of the user who owns the token (an admin, to create fields)
   * @param apiToken the token
   * @throws IllegalArgumentException when either is blank or the email already ends in
   *     {@code /token}
   */
  public static ZendeskCredentials apiToken(String email, String apiToken) {
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(apiToken, "apiToken");
    if (email.isBlank()) {
      throw new IllegalArgumentException("email for the API token must not be blank");
    }
    if (email.endsWith("/token")) {
      throw new IllegalArgumentException("email for the API token must be the plain address,"
          + " without '/token' (the SDK adds it): '" + Redaction.maskEmail(email) + "'");
    }
    if (apiToken.isBlank()) {
      throw new IllegalArgumentException("apiToken must not be blank");
    }
    String basic = Base64.getEncoder()
        .encodeToString((email + "/token:" + apiToken).getBytes(StandardCharsets.UTF_8));
    return new ZendeskCredentials("Basic " + basic,
        "apiToken(" + Redaction.maskEmail(email) + ", ****)");
  }

  /**
   * The pre-generated base64 credential of the seed document: {@code base64("{email}/token:{token}")}.
   *
   * @throws IllegalArgumentException when the text is not base64 of {@code user:secret}; the
   *     message never repeats the text
   */
  public static ZendeskCredentials basic(String base64Credential) {
    Objects.requireNonNull(base64Credential, "base64Credential");
    String trimmed = base64Credential.strip();
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(trimmed), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      throw new IllegalArgumentException(
          "base64Credential is not valid base64 (its value is not shown)");
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0 || colon == decoded.length() - 1) {
      throw new IllegalArgumentException("base64Credential must encode '{email}/token:{api_token}'"
          + " (its value is not shown)");
    }
    return new ZendeskCredentials("Basic " + trimmed,
        "basic(" + Redaction.maskEmail(decoded.substring(0, colon)) + ", ****)");
  }

  /**
   * An OAuth access token, sent as {@code Authorization: Bearer {accessToken}}.
   *
   * @throws IllegalArgumentException when the token is blank
   */
  public static ZendeskCredentials oauth(String accessToken) {
    Objects.requireNonNull(accessToken, "accessToken");
    if (accessToken.isBlank()) {
      throw new IllegalArgumentException("accessToken must not be blank");
    }
    return new ZendeskCredentials("Bearer " + accessToken.strip(), "oauth(****)");
  }

  /** The {@code Authorization} header value. Secret: never log it. */
  String authorizationHeader() {
    return authorization;
  }

  /** Equal when the credentials authenticate as the same secret. */
  @Override
  public boolean equals(Object other) {
    return other instanceof ZendeskCredentials credentials
        && credentials.authorization.equals(authorization);
  }

  @Override
  public int hashCode() {
    return authorization.hashCode();
  }

  /** The kind of credential and the masked user, for example {@code apiToken(a***@example.com, ****)}. */
  @Override
  public String toString() {
    return "ZendeskCredentials." + description;
  }
}
