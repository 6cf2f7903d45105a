package io.github.zendeskloyalty.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.zendeskloyalty.client.IdentityPolicy;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskOperation;
import io.github.zendeskloyalty.core.internal.Redaction;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the Zendesk user id of members, with a bounded cache: {@code show_many} by external id,
 * or search by email. Refuses ambiguous matches. Thread-safe. Not part of the API.
 */
public final class UserDirectory {

  /** The members of a batch split by whether Zendesk has a user for them. */
  public record Resolution(Map<PendingUpdate, Long> found, List<PendingUpdate> missing) {}

  private final ZendeskHttp http;
  private final IdentityPolicy identity;
  private final Map<String, Long> cache;

  /** A directory remembering up to {@code cacheSize} user ids. */
  public UserDirectory(ZendeskHttp http, IdentityPolicy identity, int cacheSize) {
    this.http = http;
    this.identity = identity;
    this.cache = new BoundedMap<>(cacheSize);
  }

  /** Remembers a member's user id, learnt from a write. */
  public synchronized void remember(String userKey, long userId) {
    cache.put(userKey.toLowerCase(Locale.ROOT), userId);
  }

  /** Forgets a member's user id, for example after Zendesk no longer knew it. */
  public synchronized void forget(String userKey) {
    cache.remove(userKey.toLowerCase(Locale.ROOT));
  }

  private synchronized Long cached(String userKey) {
    return cache.get(userKey.toLowerCase(Locale.ROOT));
  }

  /**
   * Resolves each update's user id. Ambiguous matches fail their update through
   * {@code completion} and are in neither list.
   */
  public Resolution resolve(List<PendingUpdate> batch, Completion completion)
      throws InterruptedException {
    Map<PendingUpdate, Long> found = new LinkedHashMap<>();
    List<PendingUpdate> unknown = new ArrayList<>();
    for (PendingUpdate update : batch) {
      Long id = cached(update.userKey(identity));
      if (id != null) {
        found.put(update, id);
      } else {
        unknown.add(update);
      }
    }
    List<PendingUpdate> missing = new ArrayList<>();
    if (unknown.isEmpty()) {
      return new Resolution(found, missing);
    }
    if (identity == IdentityPolicy.EXTERNAL_ID) {
      resolveByExternalId(unknown, found, missing, completion);
    } else {
      for (PendingUpdate update : unknown) {
        resolveByEmail(update, found, missing, completion);
      }
    }
    return new Resolution(found, missing);
  }

  private void resolveByExternalId(List<PendingUpdate> unknown, Map<PendingUpdate, Long> found,
      List<PendingUpdate> missing, Completion completion) throws InterruptedException {
    List<String> externalIds = unknown.stream().map(PendingUpdate::memberId).toList();
    JsonNode users = http.call(ZendeskOperation.SHOW_MANY_USERS,
        "/users/show_many?external_ids=" + encode(String.join(",", externalIds)), null, null)
        .body().path("users");
    for (PendingUpdate update : unknown) {
      List<Long> matches = new ArrayList<>();
      for (JsonNode user : users) {
        if (update.memberId().equalsIgnoreCase(user.path("external_id").asText(null))) {
          matches.add(user.path("id").asLong());
        }
      }
      settle(update, matches, "external_id " + update.memberId(), found, missing, completion);
    }
  }

  private void resolveByEmail(PendingUpdate update, Map<PendingUpdate, Long> found,
      List<PendingUpdate> missing, Completion completion) throws InterruptedException {
    String email = update.member().email();
    JsonNode users = http.call(ZendeskOperation.SEARCH_USERS,
        "/users/search?query=" + encode("email:" + email), null, null).body().path("users");
    List<Long> matches = new ArrayList<>();
    for (JsonNode user : users) {
      if (email.equalsIgnoreCase(user.path("email").asText(null))) {
        matches.add(user.path("id").asLong());
      }
    }
    settle(update, matches, "email " + Redaction.maskEmail(email), found, missing, completion);
  }

  private void settle(PendingUpdate update, List<Long> matches, String what,
      Map<PendingUpdate, Long> found, List<PendingUpdate> missing, Completion completion) {
    if (matches.isEmpty()) {
      missing.add(update);
    } else if (matches.size() == 1) {
      remember(update.userKey(identity), matches.get(0));
      found.put(update, matches.get(0));
    } else {
      completion.failed(update, new ZendeskException("member " + update.memberId()
          + " matches " + matches.size() + " Zendesk users by " + what + " (ids " + matches
          + "); refusing to guess. Merge the users in Zendesk or use another identity policy.",
          ZendeskException.NO_STATUS, "AmbiguousUser", Map.of(), null, null));
    }
  }

  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
