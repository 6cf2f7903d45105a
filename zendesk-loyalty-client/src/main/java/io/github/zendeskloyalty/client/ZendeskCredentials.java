package io.github.zendeskloyalty.client;

import io.github.zendeskloyalty.core.internal.Redaction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
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
   * @throws IllegalArgumentException when either is blank, the email already ends in
   *     {@code /token}, or the token has a character no token has (a space, a control or
   *     non-ASCII character such as a zero-width space from copy and paste); the message never
   *     shows the token
   */
  public static ZendeskCredentials apiToken(String email, String apiToken) {
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(apiToken, "apiToken");
    apiToken = apiToken.strip();
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
    requireTokenCharacters("apiToken", apiToken);
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
   * @throws IllegalArgumentException when the token is blank or has a character no token has
   *     (a space, a control or non-ASCII character); the message never shows the token
   */
  public static ZendeskCredentials oauth(String accessToken) {
    Objects.requireNonNull(accessToken, "accessToken");
    if (accessToken.isBlank()) {
      throw new IllegalArgumentException("accessToken must not be blank");
    }
    String token = accessToken.strip();
    requireTokenCharacters("accessToken", token);
    return new ZendeskCredentials("Bearer " + token, "oauth(****)");
  }

  /**
   * Tokens are visible ASCII. Anything else would be refused later by the HTTP client, whose
   * message quotes the whole header, secret included; here the message names only the code
   * point and its position.
   */
  private static void requireTokenCharacters(String name, String token) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7E) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "%s has a character no"
            + " token has: U+%04X at position %d of %d (invisible characters often come from"
            + " copy and paste); the token is not shown", name, (int) c, i + 1, token.length()));
      }
    }
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
