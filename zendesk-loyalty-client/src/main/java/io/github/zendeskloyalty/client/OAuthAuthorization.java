package io.github.zendeskloyalty.client;

import io.github.zendeskloyalty.client.internal.TokenEndpoint;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The "connect your Zendesk" step: Zendesk's authorization-code grant with PKCE ({@code S256}).
 * Send the account's admin to {@link #uri()}; Zendesk redirects back to your redirect URI with
 * a code and the state; {@link #exchange} checks the state and trades the code (valid for 120
 * seconds) for a token pair, which {@link ZendeskCredentials#oauthRefreshToken} then keeps alive.
 * No secret is ever copied by hand; a platform serving many merchants uses a global OAuth client.
 *
 * <pre>{@code
 * OAuthAuthorization connect = OAuthAuthorization.start(URI.create("https://acme.zendesk.com"),
 *     clientId, URI.create("https://loyalty.example.com/zendesk/callback"),
 *     List.of("read", "write"));
 * session.put("zendesk", connect.state() + " " + connect.codeVerifier());
 * response.sendRedirect(connect.uri().toString());
 * // ... in the callback:
 * OAuthTokens tokens = OAuthAuthorization.resume(account, clientId, redirectUri, scopes, state,
 *     verifier).exchange(URI.create(request.getRequestURL() + "?" + request.getQueryString()),
 *     clientSecret, HttpClient.newHttpClient());
 * }</pre>
 */
public final class OAuthAuthorization {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final URI account;
  private final String clientId;
  private final URI redirectUri;
  private final List<String> scopes;
  private final String state;
  private final String codeVerifier;

  private OAuthAuthorization(URI account, String clientId, URI redirectUri, List<String> scopes,
      String state, String codeVerifier) {
    this.account = Objects.requireNonNull(account, "account");
    this.clientId = Objects.requireNonNull(clientId, "clientId");
    this.redirectUri = Objects.requireNonNull(redirectUri, "redirectUri");
    this.scopes = List.copyOf(scopes);
    this.state = state;
    this.codeVerifier = codeVerifier;
    boolean loopback = "http".equals(redirectUri.getScheme())
        && ("127.0.0.1".equals(redirectUri.getHost()) || "localhost".equals(redirectUri.getHost()));
    if (!redirectUri.isAbsolute() || !("https".equals(redirectUri.getScheme()) || loopback)) {
      throw new IllegalArgumentException("redirectUri must be absolute https (or http on"
          + " 127.0.0.1 or localhost): " + redirectUri);
    }
  }

  /**
   * A new authorization of the account at {@code account} (its {@code https://{subdomain}
   * .zendesk.com}), with a fresh state and PKCE verifier.
   */
  public static OAuthAuthorization start(URI account, String clientId, URI redirectUri,
      List<String> scopes) {
    return new OAuthAuthorization(account, clientId, redirectUri, scopes, random(24),
        random(48));
  }

  /** The authorization {@link #start} began, in the request that handles the callback. */
  public static OAuthAuthorization resume(URI account, String clientId, URI redirectUri,
      List<String> scopes, String state, String codeVerifier) {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(codeVerifier, "codeVerifier");
    if (codeVerifier.length() < 43 || codeVerifier.length() > 128) {
      throw new IllegalArgumentException("codeVerifier must have 43 to 128 characters (RFC 7636):"
          + " " + codeVerifier.length());
    }
    return new OAuthAuthorization(account, clientId, redirectUri, scopes, state, codeVerifier);
  }

  /** Where to send the admin: Zendesk's authorization page for this client and these scopes. */
  public URI uri() {
    StringBuilder query = new StringBuilder("response_type=code")
        .append("&client_id=").append(encode(clientId))
        .append("&redirect_uri=").append(encode(redirectUri.toString()))
        .append("&scope=").append(encode(String.join(" ", scopes)))
        .append("&state=").append(encode(state))
        .append("&code_challenge=").append(encode(challenge(codeVerifier)))
        .append("&code_challenge_method=S256");
    return URI.create(account.toString().replaceAll("/+$", "") + "/oauth/authorizations/new?"
        + query);
  }

  /** The state the callback must carry back; keep it with the verifier until the callback. */
  public String state() {
    return state;
  }

  /** The PKCE verifier: a secret of this authorization; keep it server-side, never log it. */
  public String codeVerifier() {
    return codeVerifier;
  }

  /**
   * Trades the callback's code for a token pair.
   *
   * @param callback the URI Zendesk redirected to, with its query
   * @param clientSecret the client's secret, or null for a public client
   * @throws IllegalArgumentException when the state does not match (a forged callback), the
   *     admin denied access ({@code error=access_denied}), or there is no code
   * @throws ZendeskAuthenticationException when Zendesk refuses the code (expired after 120 s,
   *     used already, another redirect URI or verifier)
   */
  public OAuthTokens exchange(URI callback, String clientSecret, HttpClient client)
      throws InterruptedException {
    Map<String, String> query = query(Objects.requireNonNull(callback, "callback").getRawQuery());
    String returned = query.get("state");
    if (returned == null || !MessageDigest.isEqual(returned.getBytes(StandardCharsets.UTF_8),
        state.getBytes(StandardCharsets.UTF_8))) {
      throw new IllegalArgumentException("the callback's state does not match this"
          + " authorization's: not the answer to it (refused)");
    }
    if (query.containsKey("error")) {
      throw new IllegalArgumentException("Zendesk did not authorize the connection: "
          + query.get("error") + (query.containsKey("error_description")
              ? " (" + query.get("error_description") + ")" : ""));
    }
    String code = query.get("code");
    if (code == null || code.isBlank()) {
      throw new IllegalArgumentException("the callback has no code");
    }
    return new TokenEndpoint(Objects.requireNonNull(client, "client"), account,
        Duration.ofSeconds(30), Clock.systemUTC()).exchange(clientId, clientSecret, code,
            redirectUri.toString(), codeVerifier, scopes);
  }

  /** The authorization's account, client and scopes; never the verifier. */
  @Override
  public String toString() {
    return "OAuthAuthorization[" + account + ", " + clientId + ", " + redirectUri + ", " + scopes
        + "]";
  }

  private static String challenge(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException notInThisJdk) {
      throw new IllegalStateException(notInThisJdk);
    }
  }

  private static String random(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> values = new HashMap<>();
    if (raw == null) {
      return values;
    }
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        values.putIfAbsent(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      }
    }
    return values;
  }
}
