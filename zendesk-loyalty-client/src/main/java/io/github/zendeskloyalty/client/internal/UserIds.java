package io.github.zendeskloyalty.client.internal;

import java.util.Map;

/**
 * The Zendesk user ids learnt so far, by profile key, at most a bounded number (the least
 * recently used go first). Thread-safe. Not part of the API.
 */
final class UserIds {

  private final Map<String, Long> ids;

  /** Remembers up to {@code capacity} ids. */
  UserIds(int capacity) {
    this.ids = new BoundedMap<>(capacity);
  }

  /** Remembers a member's user id by its profile key. */
  synchronized void remember(String profileKey, long userId) {
    ids.put(profileKey, userId);
  }

  /** Forgets a member's user id, for example after Zendesk no longer knew it. */
  synchronized void forget(String profileKey) {
    ids.remove(profileKey);
  }

  /** The user id of a profile key, or null. */
  synchronized Long get(String profileKey) {
    return ids.get(profileKey);
  }
}
