package io.github.zendeskloyalty.testkit.internal;

import static io.github.zendeskloyalty.testkit.internal.Replies.JSON;
import static io.github.zendeskloyalty.testkit.internal.Replies.NODES;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Zendesk's OAuth, as the fake serves it: clients, {@code POST /oauth/tokens} with the
 * client-credentials, authorization-code (PKCE {@code S256}) and refresh-token grants and their
 * JSON errors, the authorization page as a call, access tokens that expire on the fake's clock,
 * refresh rotation that invalidates the previous pair at once, and revocation. Guarded by the
 * backend's lock. Not part of the API.
 */
final class FakeOAuth {

  /** The OAuth grant a token request asked for, for the counts. */
  enum GrantType { CLIENT_CREDENTIALS, AUTHORIZATION_CODE, REFRESH_TOKEN }

  /** Zendesk's bounds of a requested {@code expires_in}: more than 300 s, less than 172,800. */
  static final long MIN_EXPIRES_IN = 300;
  static final long MAX_EXPIRES_IN = 172_800;

  private record Client(String id, String secret, FakeAccount.Role role) {}

  private record Code(String clientId, String redirectUri, String challenge, List<String> scopes,
      Instant expiresAt) {}

  /** An issued pair; {@code refresh} is null for client credentials. */
  private record Grant(long id, String clientId, String access, String refresh,
      FakeAccount.Role role, List<String> scopes, Instant createdAt, Instant expiresAt,
      Instant refreshExpiresAt) {}

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  private final Clock clock;
  private final AtomicLong ids = new AtomicLong(1000);
  private final Map<String, Client> clients = new LinkedHashMap<>();
  /** The clients the fake started with: a reset brings them back. */
  private final Map<String, Client> initialClients = new LinkedHashMap<>();
  private final Map<String, Grant> byAccess = new HashMap<>();
  private final Map<String, Grant> byRefresh = new HashMap<>();
  private final Map<String, Code> codes = new HashMap<>();
  private final Map<GrantType, Integer> granted = new EnumMap<>(GrantType.class);
  private Duration accessLifetime;
  private Duration refreshLifetime;

  FakeOAuth(Clock clock, Duration accessLifetime, Duration refreshLifetime) {
    this.clock = clock;
    this.accessLifetime = accessLifetime;
    this.refreshLifetime = refreshLifetime;
  }

  void lifetimes(Duration access, Duration refresh) {
    this.accessLifetime = access;
    this.refreshLifetime = refresh;
  }

  /** Adds a client: confidential with a secret, public (PKCE only) without. */
  void addClient(String id, String secret, FakeAccount.Role role) {
    clients.put(id, new Client(id, secret, role));
  }

  /** Adds a client the fake has from its start and after every reset. */
  void addInitialClient(String id, String secret, FakeAccount.Role role) {
    initialClients.put(id, new Client(id, secret, role));
    addClient(id, secret, role);
  }

  /** Deletes a client and every token it issued: what an admin removing an integration does. */
  void deleteClient(String id) {
    clients.remove(id);
    byAccess.values().removeIf(grant -> grant.clientId().equals(id));
    byRefresh.values().removeIf(grant -> grant.clientId().equals(id));
  }

  /** Revokes every token: what a customer revoking access does. */
  void revokeAll() {
    byAccess.clear();
    byRefresh.clear();
  }

  /** Forgets tokens, codes, counts and added clients; the initial clients come back. */
  void clear() {
    revokeAll();
    codes.clear();
    granted.clear();
    clients.clear();
    clients.putAll(initialClients);
  }

  int granted(GrantType type) {
    return granted.getOrDefault(type, 0);
  }

  /** The role of a bearer token, or null when it is unknown, expired or revoked. */
  FakeAccount.Role role(String accessToken) {
    Grant grant = byAccess.get(accessToken);
    if (grant == null || !clock.instant().isBefore(grant.expiresAt())) {
      return null;
    }
    return grant.role();
  }

  /** The 401 of an API call with a token that is not (or no longer) valid. */
  static Reply invalidToken() {
    return Reply.json(401, "{\"error\":\"invalid_token\",\"error_description\":\"The access token"
        + " provided is expired, revoked, malformed or invalid for other reasons.\"}");
  }

  /** {@code GET /api/v2/oauth/tokens/current}. */
  Reply current(String accessToken) {
    Grant grant = byAccess.get(accessToken);
    if (grant == null) {
      return Replies.notFound();
    }
    ObjectNode token = NODES.objectNode();
    token.put("id", grant.id());
    token.put("client_id", grant.clientId());
    token.put("token", "****");
    token.put("created_at", grant.createdAt().toString());
    token.put("expires_at", grant.expiresAt().toString());
    grant.scopes().forEach(token.putArray("scopes")::add);
    ObjectNode body = NODES.objectNode();
    body.set("token", token);
    return Replies.ok(200, body);
  }

  /** {@code DELETE /api/v2/oauth/tokens/current}: the token and its refresh token stop working. */
  Reply revoke(String accessToken) {
    Grant grant = byAccess.remove(accessToken);
    if (grant == null) {
      return Replies.notFound();
    }
    if (grant.refresh() != null) {
      byRefresh.remove(grant.refresh());
    }
    return Reply.empty(204);
  }

  /**
   * The admin approving (or denying) the authorization page: the redirect Zendesk would send the
   * browser to, with {@code code} and {@code state}, or {@code error=access_denied}.
   */
  URI authorize(URI page, boolean approve) {
    Map<String, String> query = query(page.getRawQuery());
    String redirect = query.get("redirect_uri");
    Client client = clients.get(query.get("client_id"));
    if (redirect == null || client == null || !"code".equals(query.get("response_type"))) {
      throw new IllegalArgumentException("not an authorization page of a client of the fake: "
          + page);
    }
    URI redirectUri = URI.create(redirect);
    boolean loopback = "http".equals(redirectUri.getScheme())
        && ("127.0.0.1".equals(redirectUri.getHost()) || "localhost".equals(redirectUri.getHost()));
    if (!"https".equals(redirectUri.getScheme()) && !loopback) {
      throw new IllegalArgumentException("redirect_uri must be https, or http on a loopback"
          + " address: " + redirect);
    }
    String state = query.getOrDefault("state", "");
    String separator = redirect.contains("?") ? "&" : "?";
    if (!approve) {
      return URI.create(redirect + separator + "error=access_denied&state=" + encode(state));
    }
    if (client.secret() == null && !"S256".equals(query.get("code_challenge_method"))) {
      return URI.create(redirect + separator + "error=invalid_request&error_description="
          + encode("a public client must use PKCE (S256)") + "&state=" + encode(state));
    }
    String code = "fake-code-" + ids.incrementAndGet() + "-" + random();
    codes.put(code, new Code(client.id(), redirect, query.get("code_challenge"),
        scopes(query.get("scope")), clock.instant().plusSeconds(120)));
    return URI.create(redirect + separator + "code=" + encode(code) + "&state=" + encode(state));
  }

  /** {@code POST /oauth/tokens}, with a JSON or a form body. */
  Reply token(String body, String contentType) {
    Map<String, String> request = new HashMap<>();
    if (contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
      request.putAll(query(body));
    } else {
      try {
        JsonNode json = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        json.fieldNames().forEachRemaining(name -> request.put(name,
            json.get(name).isValueNode() ? json.get(name).asText() : null));
      } catch (JsonProcessingException notJson) {
        return error(400, "invalid_request", "The request body is not JSON.");
      }
    }
    String type = request.get("grant_type");
    Client client = clients.get(request.get("client_id"));
    if (client == null) {
      return error(401, "invalid_client", "Client authentication failed due to unknown client,"
          + " no client authentication included, or unsupported authentication method.");
    }
    boolean secretGiven = request.get("client_secret") != null;
    if (client.secret() != null && (!secretGiven || !MessageDigest.isEqual(
        client.secret().getBytes(StandardCharsets.UTF_8),
        request.get("client_secret").getBytes(StandardCharsets.UTF_8)))) {
      return error(401, "invalid_client", "Client authentication failed due to unknown client,"
          + " no client authentication included, or unsupported authentication method.");
    }
    Duration lifetime = accessLifetime;
    if (request.get("expires_in") != null) {
      long asked;
      try {
        asked = Long.parseLong(request.get("expires_in"));
      } catch (NumberFormatException notANumber) {
        return error(400, "invalid_request", "expires_in must be a number of seconds.");
      }
      if (asked <= MIN_EXPIRES_IN || asked >= MAX_EXPIRES_IN) {
        return error(400, "invalid_request", "expires_in must be more than 300 and less than"
            + " 172800.");
      }
      lifetime = Duration.ofSeconds(asked);
    }
    if (type == null) {
      return error(400, "invalid_request", "The request is missing a required parameter:"
          + " grant_type.");
    }
    switch (type) {
      case "client_credentials" -> {
        if (client.secret() == null) {
          return error(400, "unauthorized_client", "The client is not authorized to use this"
              + " grant type.");
        }
        return issue(GrantType.CLIENT_CREDENTIALS, client, scopes(request.get("scope")),
            lifetime, false);
      }
      case "authorization_code" -> {
        Code code = codes.remove(request.getOrDefault("code", ""));
        if (code == null || !code.clientId().equals(client.id())
            || !clock.instant().isBefore(code.expiresAt())) {
          return error(400, "invalid_grant", "The provided authorization grant is invalid,"
              + " expired, revoked, or was issued to another client.");
        }
        if (!code.redirectUri().equals(request.get("redirect_uri"))) {
          return error(400, "invalid_grant", "The redirect URI does not match the one of the"
              + " authorization request.");
        }
        if (code.challenge() != null && !code.challenge().equals(
            challenge(request.getOrDefault("code_verifier", "")))) {
          return error(400, "invalid_grant", "The code verifier does not match the code"
              + " challenge.");
        }
        return issue(GrantType.AUTHORIZATION_CODE, client, code.scopes(), lifetime, true);
      }
      case "refresh_token" -> {
        Grant old = byRefresh.get(request.getOrDefault("refresh_token", ""));
        if (old == null || !old.clientId().equals(client.id())
            || !clock.instant().isBefore(old.refreshExpiresAt())) {
          return error(400, "invalid_grant", "The provided authorization grant is invalid,"
              + " expired, revoked, or was issued to another client.");
        }
        byRefresh.remove(old.refresh()); // the previous pair stops working at once
        byAccess.remove(old.access());
        return issue(GrantType.REFRESH_TOKEN, client, old.scopes(), lifetime, true);
      }
      default -> {
        return error(400, "unsupported_grant_type", "The authorization grant type is not"
            + " supported.");
      }
    }
  }

  private Reply issue(GrantType type, Client client, List<String> scopes, Duration lifetime,
      boolean withRefresh) {
    Instant now = clock.instant();
    long id = ids.incrementAndGet();
    String access = "fake-oauth-" + id + "-" + random();
    String refresh = withRefresh ? "fake-refresh-" + id + "-" + random() : null;
    List<String> granted = scopes.isEmpty() ? List.of("read", "write") : scopes;
    Grant grant = new Grant(id, client.id(), access, refresh, client.role(), granted, now,
        now.plus(lifetime), now.plus(refreshLifetime));
    byAccess.put(access, grant);
    if (refresh != null) {
      byRefresh.put(refresh, grant);
    }
    this.granted.merge(type, 1, Integer::sum);
    ObjectNode body = NODES.objectNode();
    body.put("access_token", access);
    body.put("token_type", "bearer");
    body.put("scope", String.join(" ", granted));
    body.put("expires_in", lifetime.toSeconds());
    if (refresh != null) {
      body.put("refresh_token", refresh);
      body.put("refresh_token_expires_in", refreshLifetime.toSeconds());
    }
    return Replies.ok(200, body);
  }

  /** Whether the scopes of {@code accessToken} allow a call to {@code resource}. */
  boolean allows(String accessToken, String resource, boolean write) {
    Grant grant = byAccess.get(accessToken);
    if (grant == null) {
      return true; // a static token of the fake's: an admin's, with every scope
    }
    for (String scope : grant.scopes()) {
      if (scope.equals("write") || scope.equals(resource + ":write")
          || (!write && (scope.equals("read") || scope.equals(resource + ":read")))) {
        return true;
      }
    }
    return false;
  }

  private static Reply error(int status, String error, String description) {
    ObjectNode body = NODES.objectNode();
    body.put("error", error);
    body.put("error_description", description);
    return Replies.ok(status, body);
  }

  private static List<String> scopes(String scope) {
    List<String> scopes = new ArrayList<>();
    if (scope != null) {
      Arrays.stream(scope.split("[ +]")).filter(each -> !each.isBlank()).forEach(scopes::add);
    }
    return List.copyOf(scopes);
  }

  private static String challenge(String verifier) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest
          .getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException notInThisJdk) {
      throw new IllegalStateException(notInThisJdk);
    }
  }

  private static String random() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return java.util.HexFormat.of().formatHex(bytes);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  static Map<String, String> query(String raw) {
    Map<String, String> values = new LinkedHashMap<>();
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
