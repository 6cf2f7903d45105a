package io.github.zendeskloyalty.client;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An OAuth token pair as Zendesk's {@code POST /oauth/tokens} answered it: the access token the
 * SDK sends as {@code Authorization: Bearer ...}, and, for expiring tokens, when it expires and
 * the refresh token that renews it. A refresh returns a new pair and invalidates this one at
 * once. {@link #toString()} never shows a token.
 *
 * <pre>{@code
 * OAuthTokens tokens = authorization.exchange(callbackUri); // after "connect your Zendesk"
 * secrets.save("zendesk/acme", tokens.refreshTokenIfAny().orElseThrow());
 * ZendeskCredentials credentials = ZendeskCredentials.oauthRefreshToken(clientId, clientSecret,
 *     tokens).build();
 * }</pre>
 *
 * @param accessToken the access token
 * @param refreshToken the refresh token, or null when Zendesk issued none (client credentials)
 * @param expiresAt when the access token expires, or null when it does not
 * @param refreshTokenExpiresAt when the refresh token expires, or null when not said
 * @param scopes the scopes granted, as Zendesk listed them
 */
public record OAuthTokens(String accessToken, String refreshToken, Instant expiresAt,
    Instant refreshTokenExpiresAt, List<String> scopes) {

  /** Checks the access token; copies the scopes. */
  public OAuthTokens {
    Objects.requireNonNull(accessToken, "accessToken");
    if (accessToken.isBlank()) {
      throw new IllegalArgumentException("accessToken must not be blank");
    }
    if (refreshToken != null && refreshToken.isBlank()) {
      throw new IllegalArgumentException("refreshToken must not be blank when present");
    }
    scopes = List.copyOf(Objects.requireNonNull(scopes, "scopes"));
  }

  /**
   * A pair of which only the refresh token is known (kept in a secret manager, say): its access
   * token counts as expired, so the first call renews it.
   */
  public static OAuthTokens ofRefreshToken(String refreshToken) {
    Objects.requireNonNull(refreshToken, "refreshToken");
    return new OAuthTokens("unknown-until-renewed", refreshToken, Instant.EPOCH, null, List.of());
  }

  /** The refresh token, when Zendesk issued one. */
  public Optional<String> refreshTokenIfAny() {
    return Optional.ofNullable(refreshToken);
  }

  /** When the access token expires, when it does. */
  public Optional<Instant> expiry() {
    return Optional.ofNullable(expiresAt);
  }

  /** The scopes, the expiry and whether there is a refresh token; never a token. */
  @Override
  public String toString() {
    return "OAuthTokens[accessToken=****, refreshToken=" + (refreshToken == null ? "none" : "****")
        + ", expiresAt=" + expiresAt + ", refreshTokenExpiresAt=" + refreshTokenExpiresAt
        + ", scopes=" + scopes + "]";
  }
}
