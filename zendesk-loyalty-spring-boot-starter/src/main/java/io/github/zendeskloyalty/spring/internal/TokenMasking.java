package io.github.zendeskloyalty.spring.internal;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks the Zendesk tokens in Actuator's {@code /configprops} and {@code /env}, even with
 * {@code show-values: always}: a key that names a token in any form Boot binds
 * ({@code zendesk.loyalty.api-token}, {@code apiToken}, {@code api_token},
 * {@code ZENDESK_LOYALTY_APITOKEN}, {@code ZENDESK_API_TOKEN}, the same for {@code oauth-token},
 * the OAuth {@code client-secret}, {@code refresh-token} and {@code encryption-key}, and the
 * agent actions' {@code signing-secret}),
 * and any property whose value holds a configured token, whatever its key. The same interface on
 * Spring Boot 3 and 4. Not part of the API.
 */
public final class TokenMasking implements SanitizingFunction {

  /** The tokens' names with separators and case removed. */
  private static final List<String> TOKEN_KEYS = List.of("apitoken", "oauthtoken",
      "signingsecret", "clientsecret", "refreshtoken", "encryptionkey", "bearertoken");

  /** Shorter values are not looked for inside other values (they would match by chance). */
  private static final int SHORTEST_TOKEN_SEARCHED = 8;

  private final Supplier<List<String>> tokens;

  /** Masks the token keys, and every value holding one of {@code tokens} (read at each call). */
  public TokenMasking(Supplier<List<String>> tokens) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
  }

  @Override
  public SanitizableData apply(SanitizableData data) {
    Object value = data.getValue();
    if (value == null) {
      return data;
    }
    return isTokenKey(data.getKey()) || holdsToken(value.toString())
        ? data.withValue(SanitizableData.SANITIZED_VALUE) : data;
  }

  /** Whether {@code key}, in any relaxed form, ends with the name of a token. */
  private static boolean isTokenKey(String key) {
    String canonical = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    return TOKEN_KEYS.stream().anyMatch(canonical::endsWith);
  }

  private boolean holdsToken(String value) {
    for (String token : tokens.get()) {
      if (token != null && token.length() >= SHORTEST_TOKEN_SEARCHED && value.contains(token)) {
        return true;
      }
    }
    return false;
  }
}
