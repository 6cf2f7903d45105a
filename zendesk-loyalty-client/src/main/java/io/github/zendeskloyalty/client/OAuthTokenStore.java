package io.github.zendeskloyalty.client;

import java.time.Duration;
import java.util.Optional;

/**
 * Where the instances of one account keep its OAuth token pair, so that they share one pair and
 * refresh it once: a refresh invalidates the previous pair at once, so two instances refreshing
 * on their own lock each other out. The SDK takes a lease before it refreshes, persists the new
 * pair with a compare-and-set before it uses it, and reads the store again before it calls an
 * account broken. In memory by default ({@link #inMemory()}: one process); the
 * {@code zendesk-loyalty-postgresql} and {@code zendesk-loyalty-redis} modules share it across
 * pods. What is stored is an opaque text: the SDK encrypts the pair with AES-GCM when given a key
 * ({@code encryptionKey}). The SDK bounds each call to the store and treats any failure as "no
 * store": the instance then refreshes on its own, with one WARNING, and never hangs a write.
 *
 * <pre>{@code
 * ZendeskCredentials credentials = ZendeskCredentials.oauthClientCredentials(id, secret)
 *     .tokenStore(new PostgresTokenStore(dataSource))   // every pod of the account
 *     .encryptionKey(key)
 *     .build();
 * }</pre>
 */
public interface OAuthTokenStore {

  /**
   * A stored value and its version, which grows by one at each write.
   *
   * @param version the version, from 1
   * @param value the opaque text the SDK wrote
   */
  record Stored(long version, String value) {}

  /** The value under {@code key}, if any. */
  Optional<Stored> read(String key);

  /**
   * Writes {@code value} under {@code key} if the stored version is still {@code expectedVersion}
   * (0: nothing stored yet).
   *
   * @return the new version, or empty when another writer came first
   */
  Optional<Long> write(String key, long expectedVersion, String value);

  /**
   * Takes the refresh lease of {@code key} for {@code owner} for {@code ttl}, unless another
   * owner holds it unexpired; taking one's own again extends it.
   *
   * @return whether {@code owner} holds the lease now
   */
  boolean tryLease(String key, String owner, Duration ttl);

  /** Gives up {@code owner}'s lease of {@code key}, if it still holds it. */
  void releaseLease(String key, String owner);

  /**
   * A store in one JSON file that the processes of one machine share (a CLI, cron jobs): created
   * readable by its owner only, replaced atomically on each write, with leases on the machine's
   * clock. Not for pods on several machines: use a shared store there.
   *
   * <pre>{@code
   * OAuthTokenStore store = OAuthTokenStore.file(Path.of("/var/lib/loyalty/zendesk-tokens.json"));
   * }</pre>
   */
  static OAuthTokenStore file(java.nio.file.Path file) {
    return new io.github.zendeskloyalty.client.internal.FileTokenStore(
        java.util.Objects.requireNonNull(file, "file"));
  }

  /** A store in this process's memory: instances of one process share it. */
  static OAuthTokenStore inMemory() {
    return new io.github.zendeskloyalty.client.internal.InMemoryTokenStore();
  }
}
