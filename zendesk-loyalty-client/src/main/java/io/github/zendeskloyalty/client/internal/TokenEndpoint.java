package io.github.zendeskloyalty.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zendeskloyalty.client.OAuthTokens;
import io.github.zendeskloyalty.client.ZendeskAuthenticationException;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskRateLimitException;
import io.github.zendeskloyalty.client.ZendeskServerException;
import io.github.zendeskloyalty.client.ZendeskTransportException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Zendesk's token endpoint, {@code POST /oauth/tokens}: the client-credentials, refresh-token
 * and authorization-code grants. An answer without an access token is a failure, never a token;
 * {@code invalid_grant} and {@code invalid_client} are {@link Refused}. Not part of the API.
 */
public final class TokenEndpoint {

  /** The endpoint refused the grant for good: the credentials need reconnecting. */
  public static final class Refused extends ZendeskAuthenticationException {
    private static final long serialVersionUID = 1L;
    private final String error;

    Refused(String message, int status, String error) {
      super(message, status, error, Map.of(), null, null);
      this.error = error;
    }

    /** The OAuth error: {@code invalid_grant}, {@code invalid_client}, ... */
    public String error() {
      return error;
    }
  }

  private final HttpClient client;
  private final URI tokens;
  private final Duration timeout;
  private final Clock clock;

  /** The endpoint of the account at {@code baseUri}. */
  public TokenEndpoint(HttpClient client, URI baseUri, Duration timeout, Clock clock) {
    this.client = client;
    this.tokens = URI.create(baseUri.toString().replaceAll("/+$", "") + "/oauth/tokens");
    this.timeout = timeout;
    this.clock = clock;
  }

  /** The client-credentials grant. */
  public OAuthTokens clientCredentials(String clientId, String clientSecret, List<String> scopes)
      throws InterruptedException {
    ObjectNode body = Json.MAPPER.createObjectNode().put("grant_type", "client_credentials")
        .put("client_id", clientId).put("client_secret", clientSecret);
    if (!scopes.isEmpty()) {
      body.put("scope", String.join(" ", scopes));
    }
    return call(body);
  }

  /** The refresh-token grant: a new pair; the old one stops working at once. */
  public OAuthTokens refresh(String clientId, String clientSecret, String refreshToken)
      throws InterruptedException {
    ObjectNode body = Json.MAPPER.createObjectNode().put("grant_type", "refresh_token")
        .put("client_id", clientId).put("refresh_token", refreshToken);
    if (clientSecret != null) {
      body.put("client_secret", clientSecret);
    }
    return call(body);
  }

  /** The authorization-code grant, with the PKCE verifier. */
  public OAuthTokens exchange(String clientId, String clientSecret, String code,
      String redirectUri, String codeVerifier, List<String> scopes) throws InterruptedException {
    ObjectNode body = Json.MAPPER.createObjectNode().put("grant_type", "authorization_code")
        .put("client_id", clientId).put("code", code).put("redirect_uri", redirectUri)
        .put("code_verifier", codeVerifier);
    if (clientSecret != null) {
      body.put("client_secret", clientSecret);
    }
    if (!scopes.isEmpty()) {
      body.put("scope", String.join(" ", scopes));
    }
    return call(body);
  }

  private OAuthTokens call(ObjectNode body) throws InterruptedException {
    String grant = body.path("grant_type").asText();
    HttpRequest request = HttpRequest.newBuilder(tokens).timeout(timeout)
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .header("User-Agent", ZendeskHttp.USER_AGENT)
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(body))).build();
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException noAnswer) {
      throw new ZendeskTransportException("the OAuth token endpoint (" + grant + ") did not"
          + " answer: " + noAnswer.getClass().getSimpleName() + "; retried with the call",
          ZendeskException.Answer.NONE, noAnswer);
    }
    Instant now = clock.instant();
    int status = response.statusCode();
    JsonNode json = Json.parse(response.body());
    if (status / 100 == 2) {
      return tokens(grant, status, json, now);
    }
    String error = json.path("error").isTextual() ? json.path("error").asText() : null;
    String description = json.path("error_description").isTextual()
        ? Redactor.clean(json.path("error_description").asText()) : "";
    if (status == 429) {
      throw new ZendeskRateLimitException("the OAuth token endpoint (" + grant + ") answered"
          + " 429; retried with the call", new ZendeskException.Answer(status, error, Map.of(),
              null), null, null);
    }
    if (status / 100 == 5) {
      throw new ZendeskServerException("the OAuth token endpoint (" + grant + ") answered "
          + status + "; retried with the call", new ZendeskException.Answer(status, error,
              Map.of(), null), null);
    }
    if ("invalid_grant".equals(error) || "invalid_client".equals(error)
        || "unauthorized_client".equals(error) || "invalid_scope".equals(error)
        || status == 400 || status == 401 || status == 403) {
      throw new Refused("Zendesk refused the OAuth " + grant + " grant: HTTP " + status
          + (error == null ? "" : " " + error) + (description.isEmpty() ? "" : " (" + description
          + ")"), status, error == null ? "http_" + status : error);
    }
    throw new ZendeskServerException("the OAuth token endpoint (" + grant + ") answered "
        + status + (error == null ? "" : " " + error), new ZendeskException.Answer(status, error,
            Map.of(), null), null);
  }

  private static OAuthTokens tokens(String grant, int status, JsonNode json, Instant now) {
    JsonNode access = json.path("access_token");
    String type = json.path("token_type").asText("bearer");
    if (!access.isTextual() || access.asText().isBlank() || !type.equalsIgnoreCase("bearer")) {
      throw new ZendeskServerException("the OAuth token endpoint (" + grant + ") answered "
          + status + " without a bearer access token; retried with the call",
          new ZendeskException.Answer(status, Failures.MALFORMED_ANSWER, Map.of(), null), null);
    }
    Instant expiresAt = null;
    if (json.hasNonNull("expires_in")) {
      if (!json.path("expires_in").canConvertToLong() || json.path("expires_in").asLong() <= 0) {
        throw new ZendeskServerException("the OAuth token endpoint (" + grant + ") answered an"
            + " expires_in that is not a positive number of seconds",
            new ZendeskException.Answer(status, Failures.MALFORMED_ANSWER, Map.of(), null), null);
      }
      expiresAt = now.plusSeconds(json.path("expires_in").asLong());
    }
    Instant refreshExpiresAt = json.path("refresh_token_expires_in").canConvertToLong()
        ? now.plusSeconds(json.path("refresh_token_expires_in").asLong()) : null;
    String refresh = json.path("refresh_token").isTextual()
        && !json.path("refresh_token").asText().isBlank() ? json.path("refresh_token").asText()
        : null;
    List<String> scopes = new ArrayList<>();
    for (String scope : json.path("scope").asText("").split(" ")) {
      if (!scope.isBlank()) {
        scopes.add(scope);
      }
    }
    return new OAuthTokens(access.asText(), refresh, expiresAt, refreshExpiresAt, scopes);
  }
}
