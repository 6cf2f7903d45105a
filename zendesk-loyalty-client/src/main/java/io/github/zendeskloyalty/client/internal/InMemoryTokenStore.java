package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.client.OAuthTokenStore;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link OAuthTokenStore#inMemory()}: a map and leases under one lock; it cannot hang, so the
 * SDK calls it directly. Not part of the API.
 */
public final class InMemoryTokenStore implements OAuthTokenStore {

  private record Lease(String owner, long untilNanos) {}

  private final Map<String, Stored> values = new HashMap<>();
  private final Map<String, Lease> leases = new HashMap<>();

  @Override
  public synchronized Optional<Stored> read(String key) {
    return Optional.ofNullable(values.get(key));
  }

  @Override
  public synchronized Optional<Long> write(String key, long expectedVersion, String value) {
    Stored current = values.get(key);
    long version = current == null ? 0 : current.version();
    if (version != expectedVersion) {
      return Optional.empty();
    }
    values.put(key, new Stored(version + 1, value));
    return Optional.of(version + 1);
  }

  @Override
  public synchronized boolean tryLease(String key, String owner, Duration ttl) {
    long now = System.nanoTime(); // a lease is held in real time, as the shared stores hold it
    Lease held = leases.get(key);
    if (held != null && !held.owner().equals(owner) && held.untilNanos() - now > 0) {
      return false;
    }
    leases.put(key, new Lease(owner, now + ttl.toNanos()));
    return true;
  }

  @Override
  public synchronized void releaseLease(String key, String owner) {
    Lease held = leases.get(key);
    if (held != null && held.owner().equals(owner)) {
      leases.remove(key);
    }
  }

  @Override
  public String toString() {
    return "OAuthTokenStore.inMemory()";
  }
}
