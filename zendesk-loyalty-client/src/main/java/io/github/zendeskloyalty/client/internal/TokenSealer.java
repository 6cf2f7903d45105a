package io.github.zendeskloyalty.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zendeskloyalty.client.OAuthTokens;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A token pair as the text a token store keeps: JSON, sealed with AES-GCM (a random 96-bit IV,
 * the store key as associated data, so a value copied under another key does not open) when the
 * application gave a key, else plain and marked so. Not part of the API.
 */
public final class TokenSealer {

  private static final String PLAIN = "plain:";
  private static final String SEALED = "aes-gcm:";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKey key;

  /** A sealer with {@code key} (AES, 128 or 256 bits), or none when null. */
  public TokenSealer(SecretKey key) {
    if (key != null && !"AES".equalsIgnoreCase(key.getAlgorithm())) {
      throw new IllegalArgumentException("encryptionKey must be an AES key: "
          + key.getAlgorithm());
    }
    this.key = key;
  }

  /** The stored text of {@code tokens} under {@code storeKey}. */
  public String seal(String storeKey, OAuthTokens tokens) {
    byte[] json = Json.write(node(tokens));
    if (key == null) {
      return PLAIN + new String(json, StandardCharsets.UTF_8);
    }
    try {
      byte[] iv = new byte[12];
      RANDOM.nextBytes(iv);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
      cipher.updateAAD(storeKey.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(json);
      byte[] out = new byte[iv.length + sealed.length];
      System.arraycopy(iv, 0, out, 0, iv.length);
      System.arraycopy(sealed, 0, out, iv.length, sealed.length);
      return SEALED + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException notSealed) {
      throw new IllegalStateException("could not encrypt the token pair", notSealed);
    }
  }

  /**
   * The tokens of a stored text.
   *
   * @throws IllegalStateException when it cannot be opened (another key, tampered, not ours):
   *     never read as "nothing stored"
   */
  public OAuthTokens open(String storeKey, String stored) {
    String json;
    if (stored.startsWith(SEALED)) {
      if (key == null) {
        throw new IllegalStateException("the stored token pair is encrypted and no"
            + " encryptionKey was given");
      }
      try {
        byte[] in = Base64.getDecoder().decode(stored.substring(SEALED.length()));
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, 12));
        cipher.updateAAD(storeKey.getBytes(StandardCharsets.UTF_8));
        json = new String(cipher.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8);
      } catch (GeneralSecurityException | IllegalArgumentException notOpened) {
        throw new IllegalStateException("the stored token pair does not open with this"
            + " encryptionKey (another key, or altered)");
      }
    } else if (stored.startsWith(PLAIN)) {
      if (key != null) {
        throw new IllegalStateException("the stored token pair is not encrypted but an"
            + " encryptionKey was given: an instance without the key wrote it");
      }
      json = stored.substring(PLAIN.length());
    } else {
      throw new IllegalStateException("the stored value is not a token pair of this SDK");
    }
    JsonNode node = Json.parseStrict(json);
    if (node == null || !node.path("access_token").isTextual()) {
      throw new IllegalStateException("the stored token pair is not readable");
    }
    List<String> scopes = new ArrayList<>();
    node.path("scopes").forEach(scope -> scopes.add(scope.asText()));
    return new OAuthTokens(node.path("access_token").asText(),
        node.path("refresh_token").isTextual() ? node.path("refresh_token").asText() : null,
        instant(node.path("expires_at")), instant(node.path("refresh_token_expires_at")), scopes);
  }

  private static ObjectNode node(OAuthTokens tokens) {
    ObjectNode node = Json.MAPPER.createObjectNode().put("access_token", tokens.accessToken());
    if (tokens.refreshToken() != null) {
      node.put("refresh_token", tokens.refreshToken());
    }
    if (tokens.expiresAt() != null) {
      node.put("expires_at", tokens.expiresAt().toEpochMilli());
    }
    if (tokens.refreshTokenExpiresAt() != null) {
      node.put("refresh_token_expires_at", tokens.refreshTokenExpiresAt().toEpochMilli());
    }
    tokens.scopes().forEach(node.putArray("scopes")::add);
    return node;
  }

  private static Instant instant(JsonNode millis) {
    return millis.canConvertToLong() ? Instant.ofEpochMilli(millis.asLong()) : null;
  }
}
