package io.github.zendeskloyalty.client;

import io.github.zendeskloyalty.client.internal.Authorizer;
import io.github.zendeskloyalty.client.internal.TokenSealer;
import io.github.zendeskloyalty.client.internal.TokenSession;
import io.github.zendeskloyalty.core.internal.Redaction;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.SecretKey;

/**
 * How the SDK authenticates to Zendesk. OAuth is the credential that lasts: Zendesk retired the
 * API token (none can be created since 2026-10-27; none works after {@value #API_TOKEN_END_TEXT}).
 * A company's own backend uses the client-credentials grant; a platform serving many merchants
 * connects each with an authorization code ({@link OAuthAuthorization}) and keeps the refresh
 * token. The SDK renews OAuth tokens before they expire, once at a time, across instances
 * through an {@link OAuthTokenStore}. {@link #toString()} never shows a secret.
 *
 * <pre>{@code
 * ZendeskCredentials backend = ZendeskCredentials.oauthClientCredentials(
 *         System.getenv("ZENDESK_CLIENT_ID"), System.getenv("ZENDESK_CLIENT_SECRET"))
 *     .scopes("users:read", "users:write", "read")
 *     .build();
 * ZendeskCredentials merchant = ZendeskCredentials.oauthRefreshToken(clientId, clientSecret,
 *     tokensFromTheConnectFlow).tokenStore(store).build();
 * ZendeskCredentials legacy = ZendeskCredentials.apiToken("admin@example.com",
 *     System.getenv("ZENDESK_TOKEN"));   // works until 2027-04-30
 * }</pre>
 */
public final class ZendeskCredentials {

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.client");

  /** The day Zendesk deactivates every API token for good. */
  public static final LocalDate API_TOKEN_END = LocalDate.of(2027, 4, 30);
  /** {@link #API_TOKEN_END} as text. */
  public static final String API_TOKEN_END_TEXT = "2027-04-30";
  /** Default longest time before expiry an OAuth access token is renewed: 60 s (at most 5 % of its life). */
  public static final Duration DEFAULT_REFRESH_MARGIN = Duration.ofSeconds(60);

  /** What kind of credential it is. */
  public enum Kind {
    /** An API token with its user's e-mail: retired, works until {@link #API_TOKEN_END}. */
    API_TOKEN,
    /** The seed's base64 credential of an API token: retired likewise. */
    BASIC,
    /** A static OAuth access token: nothing renews it. */
    ACCESS_TOKEN,
    /** OAuth client credentials: renewed by running the grant again. */
    CLIENT_CREDENTIALS,
    /** An OAuth pair from an authorization code: renewed with its refresh token. */
    REFRESH_TOKEN
  }

  /**
   * What the credentials are and how they stand, for a check or a health page; never a secret.
   *
   * @param kind the kind of credential
   * @param scopes the OAuth scopes granted, as far as known
   * @param accessTokenExpiresAt when the OAuth access token in use expires, if it does
   * @param needsReconnect why the credentials need reconnecting, if they do
   * @param apiTokenRetiresOn for an API token, the day it stops working
   * @param renewals new access tokens this process got from Zendesk
   */
  public record Status(Kind kind, List<String> scopes, Optional<Instant> accessTokenExpiresAt,
      Optional<String> needsReconnect, Optional<LocalDate> apiTokenRetiresOn, long renewals) {

    /** Copies the scopes. */
    public Status {
      scopes = List.copyOf(scopes);
    }

    /** Days from {@code today} until the API token stops working, for an API token. */
    public Optional<Long> apiTokenDaysLeft(LocalDate today) {
      return apiTokenRetiresOn.map(end -> Math.max(0, ChronoUnit.DAYS.between(today, end)));
    }
  }

  private final Kind kind;
  private final String authorization;
  private final String description;
  private final TokenSession session;
  private final AtomicBoolean warned = new AtomicBoolean();

  private ZendeskCredentials(Kind kind, String authorization, String description) {
    this.kind = kind;
    this.authorization = authorization;
    this.description = description;
    this.session = null;
  }

  private ZendeskCredentials(Kind kind, TokenSession session, String description) {
    this.kind = kind;
    this.authorization = null;
    this.description = description;
    this.session = session;
  }

  /**
   * An API token of a Zendesk user (Admin Center: Apps and integrations, APIs, Zendesk API).
   * The SDK sends HTTP Basic with {@code base64("{email}/token:{apiToken}")}. <b>Retired:</b>
   * Zendesk deactivates every API token on {@value #API_TOKEN_END_TEXT}; a sync built with one
   * logs a WARNING saying so. Move to {@link #oauthClientCredentials}.
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
    return new ZendeskCredentials(Kind.API_TOKEN, "Basic " + basic,
        "apiToken(" + Redaction.maskEmail(email) + ", ****)");
  }

  /**
   * The pre-generated base64 credential of the seed document: {@code base64("{email}/token:{token}")}.
   * An API token, so retired likewise on {@value #API_TOKEN_END_TEXT}.
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
    return new ZendeskCredentials(Kind.BASIC, "Basic " + trimmed,
        "basic(" + Redaction.maskEmail(decoded.substring(0, colon)) + ", ****)");
  }

  /**
   * A static OAuth access token, sent as {@code Authorization: Bearer {accessToken}}. Nothing
   * renews it: once it expires every call is refused. For a token that renews itself, use
   * {@link #oauthClientCredentials} or {@link #oauthRefreshToken}.
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
    return new ZendeskCredentials(Kind.ACCESS_TOKEN, "Bearer " + token, "oauth(****)");
  }

  /**
   * OAuth client credentials (a confidential client of the account, created in Admin Center >
   * Apps and integrations > APIs > OAuth clients): the SDK runs the {@code client_credentials}
   * grant and runs it again before each token expires. Zendesk's replacement for the API token
   * in a company's own backend; the integration acts as the admin who created the client.
   *
   * @throws IllegalArgumentException when either is blank or has a character no token has
   */
  public static OAuthBuilder oauthClientCredentials(String clientId, String clientSecret) {
    requireId(clientId);
    Objects.requireNonNull(clientSecret, "clientSecret");
    if (clientSecret.isBlank()) {
      throw new IllegalArgumentException("clientSecret must not be blank");
    }
    requireTokenCharacters("clientSecret", clientSecret.strip());
    return new OAuthBuilder(TokenSession.Grant.CLIENT_CREDENTIALS, clientId.strip(),
        clientSecret.strip(), null);
  }

  /**
   * An OAuth pair from an authorization-code grant ({@link OAuthAuthorization}): the SDK uses
   * the access token and renews it with the refresh token before it expires; each renewal
   * rotates the pair, which the token store shares with the account's other instances.
   *
   * @param clientId the OAuth client's identifier
   * @param clientSecret its secret, or null for a public client
   * @param tokens the pair; with a token store that already holds a newer pair, the store's wins
   */
  public static OAuthBuilder oauthRefreshToken(String clientId, String clientSecret,
      OAuthTokens tokens) {
    requireId(clientId);
    Objects.requireNonNull(tokens, "tokens");
    if (tokens.refreshToken() == null && tokens.expiresAt() != null) {
      throw new IllegalArgumentException("tokens have no refresh token: an expiring access token"
          + " without one cannot be renewed");
    }
    requireTokenCharacters("accessToken", tokens.accessToken());
    return new OAuthBuilder(TokenSession.Grant.REFRESH_TOKEN, clientId.strip(),
        clientSecret == null || clientSecret.isBlank() ? null : clientSecret.strip(), tokens);
  }

  /**
   * An OAuth pair that is already in the token store (written there by {@code zendesk-loyalty
   * credentials login}, by {@link #reconnect(OAuthTokens)}, or by another instance): the SDK reads
   * it at the first call and renews it like {@link #oauthRefreshToken(String, String,
   * OAuthTokens)}. With nothing stored under the key, the credentials need reconnecting.
   *
   * <pre>{@code
   * ZendeskCredentials credentials = ZendeskCredentials.oauthRefreshToken(clientId, null)
   *     .tokenStore(OAuthTokenStore.file(Path.of("zendesk-tokens.json")))
   *     .build();
   * }</pre>
   *
   * @param clientId the OAuth client's identifier
   * @param clientSecret its secret, or null for a public client
   */
  public static OAuthBuilder oauthRefreshToken(String clientId, String clientSecret) {
    requireId(clientId);
    return new OAuthBuilder(TokenSession.Grant.REFRESH_TOKEN, clientId.strip(),
        clientSecret == null || clientSecret.isBlank() ? null : clientSecret.strip(), null);
  }

  private static void requireId(String clientId) {
    Objects.requireNonNull(clientId, "clientId");
    if (clientId.isBlank()) {
      throw new IllegalArgumentException("clientId must not be blank");
    }
    requireTokenCharacters("clientId", clientId.strip());
  }

  /**
   * Configures OAuth credentials that renew themselves.
   *
   * <pre>{@code
   * ZendeskCredentials credentials = ZendeskCredentials.oauthClientCredentials(id, secret)
   *     .scopes("read", "write")
   *     .tokenStore(sharedStore)          // the account's instances share one token
   *     .encryptionKey(aesKey)            // the pair is sealed with AES-GCM in the store
   *     .build();
   * }</pre>
   */
  public static final class OAuthBuilder {
    private final TokenSession.Grant grant;
    private final String clientId;
    private final String clientSecret;
    private final OAuthTokens tokens;
    private final List<String> scopes = new ArrayList<>();
    private OAuthTokenStore store = OAuthTokenStore.inMemory();
    private String storeKey;
    private SecretKey encryptionKey;
    private Duration refreshMargin = DEFAULT_REFRESH_MARGIN;

    private OAuthBuilder(TokenSession.Grant grant, String clientId, String clientSecret,
        OAuthTokens tokens) {
      this.grant = grant;
      this.clientId = clientId;
      this.clientSecret = clientSecret;
      this.tokens = tokens;
    }

    /**
     * The scopes to ask for (client credentials): {@code read} and {@code write}, or per
     * resource ({@code users:read users:write ...}); none asks for the client's defaults.
     */
    public OAuthBuilder scopes(String... scopes) {
      for (String scope : scopes) {
        Objects.requireNonNull(scope, "scope");
        if (scope.isBlank() || scope.strip().contains(" ")) {
          throw new IllegalArgumentException("a scope is one word: '" + scope + "'");
        }
        this.scopes.add(scope.strip());
      }
      return this;
    }

    /**
     * Where the account's instances share the token pair; in this process's memory by default.
     * Give every instance of the account the same store (PostgreSQL or Redis module).
     */
    public OAuthBuilder tokenStore(OAuthTokenStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * The pair's key in the store; by default derived from the account's host and the client
     * id ({@code zendesk-loyalty:oauth:acme.zendesk.com:<client id>}).
     */
    public OAuthBuilder storeKey(String storeKey) {
      Objects.requireNonNull(storeKey, "storeKey");
      if (storeKey.isBlank()) {
        throw new IllegalArgumentException("storeKey must not be blank");
      }
      this.storeKey = storeKey;
      return this;
    }

    /**
     * Seals the pair in the store with AES-GCM under this key (128 or 256 bits, from your
     * secret manager); without one the store holds it in plain text.
     */
    public OAuthBuilder encryptionKey(SecretKey key) {
      this.encryptionKey = Objects.requireNonNull(key, "key");
      new TokenSealer(key); // refuses a key that is not AES, here
      return this;
    }

    /**
     * The longest time before expiry an access token is renewed (at most a twentieth of its
     * life); default {@link #DEFAULT_REFRESH_MARGIN}.
     */
    public OAuthBuilder refreshMargin(Duration margin) {
      Objects.requireNonNull(margin, "margin");
      if (margin.isNegative() || margin.isZero()) {
        throw new IllegalArgumentException("refreshMargin must be positive: " + margin);
      }
      this.refreshMargin = margin;
      return this;
    }

    /** The credentials; give the same object to every sync of the account in this process. */
    public ZendeskCredentials build() {
      TokenSession session = new TokenSession(new TokenSession.Config(grant, clientId,
          clientSecret, List.copyOf(scopes), tokens, store, storeKey,
          new TokenSealer(encryptionKey), refreshMargin));
      Kind kind = grant == TokenSession.Grant.CLIENT_CREDENTIALS ? Kind.CLIENT_CREDENTIALS
          : Kind.REFRESH_TOKEN;
      String name = kind == Kind.CLIENT_CREDENTIALS ? "oauthClientCredentials"
          : "oauthRefreshToken";
      return new ZendeskCredentials(kind, session, name + "(" + clientId + ", ****)");
    }
  }

  /** What kind of credential these are. */
  public Kind kind() {
    return kind;
  }

  /** How the credentials stand now: kind, scopes, expiry, whether they need reconnecting. */
  public Status status() {
    if (session == null) {
      boolean retired = kind == Kind.API_TOKEN || kind == Kind.BASIC;
      return new Status(kind, List.of(), Optional.empty(), Optional.empty(),
          retired ? Optional.of(API_TOKEN_END) : Optional.empty(), 0);
    }
    Optional<OAuthTokens> tokens = session.tokens();
    return new Status(kind, tokens.map(OAuthTokens::scopes).orElse(List.of()),
        tokens.flatMap(OAuthTokens::expiry), session.needsReconnect(), Optional.empty(),
        session.renewals());
  }

  /**
   * Starts OAuth credentials again after they needed reconnecting, without a restart: from a
   * new pair (a new authorization), stored first for the account's other instances. Pending
   * and new updates go through again from the next call.
   *
   * @throws IllegalStateException for credentials that are not OAuth with a refresh token, or
   *     not in use by a sync yet
   */
  public void reconnect(OAuthTokens tokens) throws InterruptedException {
    Objects.requireNonNull(tokens, "tokens");
    if (kind != Kind.REFRESH_TOKEN) {
      throw new IllegalStateException("reconnect(tokens) is for oauthRefreshToken credentials;"
          + " these are " + kind);
    }
    session.reconnect(tokens);
  }

  /**
   * Runs the client-credentials grant again now, after the client was fixed in Admin Center.
   *
   * @throws ZendeskAuthenticationException when Zendesk still refuses it
   * @throws IllegalStateException for credentials that are not client credentials
   */
  public void reconnect() throws InterruptedException {
    if (kind != Kind.CLIENT_CREDENTIALS) {
      throw new IllegalStateException("reconnect() is for oauthClientCredentials credentials;"
          + " these are " + kind);
    }
    session.reconnect(null);
  }

  /**
   * The authorizer of one sync: a fixed header, or the OAuth session bound to the account. An
   * API token logs, once per credentials, that it stops working on {@link #API_TOKEN_END}.
   */
  Authorizer bind(URI baseUri, HttpClient client, Duration timeout, Clock clock,
      SyncListener listener) {
    if (session == null) {
      if ((kind == Kind.API_TOKEN || kind == Kind.BASIC) && warned.compareAndSet(false, true)) {
        long days = ChronoUnit.DAYS.between(LocalDate.now(clock), API_TOKEN_END);
        LOG.log(Level.WARNING, () -> "Zendesk API tokens stop working on " + API_TOKEN_END_TEXT
            + " (" + Math.max(0, days) + " days from now; none can be created since 2026-10-27):"
            + " move " + baseUri.getHost() + " to OAuth, ZendeskCredentials"
            + ".oauthClientCredentials(clientId, clientSecret) with an OAuth client from Admin"
            + " Center > Apps and integrations > APIs > OAuth clients (README, \"Credentials\")");
      }
      return Authorizer.fixed(authorization);
    }
    session.bind(baseUri, client, timeout, clock);
    session.onBroken(listener::onCredentialsNeedReconnect);
    session.onRenewed(tokens -> listener.onTokenRenewed(tokens.expiresAt()));
    return session;
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

  /** The {@code Authorization} header of static credentials, null for OAuth. Secret: never log it. */
  String authorizationHeader() {
    return authorization;
  }

  /**
   * Equal when the credentials authenticate as the same static secret; OAuth credentials that
   * renew themselves are equal only to themselves.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof ZendeskCredentials credentials && (credentials == this
        || (authorization != null && authorization.equals(credentials.authorization)));
  }

  @Override
  public int hashCode() {
    return authorization != null ? authorization.hashCode() : System.identityHashCode(this);
  }

  /** The kind of credential and the masked user, for example {@code apiToken(a***@example.com, ****)}. */
  @Override
  public String toString() {
    return "ZendeskCredentials." + description;
  }
}
