package io.github.zendeskloyalty.client;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which webhook deliveries were handled, kept where every instance receiving Zendesk's webhooks
 * reaches it: Zendesk delivers at least once, and with several pods behind a load balancer a
 * second delivery of one invocation may land on another pod than the first, which must not grant
 * again. {@link AgentActions} asks {@link #first} before it acts on a delivery.
 *
 * <p>Ready implementations: {@code PostgresWriteSlots} and {@code RedisWriteSlots} (the same
 * store objects as for the account's limits); by default each instance remembers its own
 * ({@link #inMemory()}).
 *
 * <pre>{@code
 * AgentActions actions = AgentActions.builder()...deliveries(redisWriteSlots).build();
 * }</pre>
 */
public interface SharedDeliveries {

  /**
   * Records {@code key} until {@code keepUntil}, atomically: true when no instance recorded it
   * before (or its record expired by {@code now}), false for a delivery already handled.
   */
  boolean first(String key, Instant now, Instant keepUntil);

  /** Deliveries remembered in this JVM (the last 10,000): one instance, or a test. */
  static SharedDeliveries inMemory() {
    return new SharedDeliveries() {
      private final Map<String, Instant> seen = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
          return size() > 10_000;
        }
      };

      @Override
      public synchronized boolean first(String key, Instant now, Instant keepUntil) {
        Instant until = seen.get(key);
        if (until != null && until.isAfter(now)) {
          return false;
        }
        seen.put(key, keepUntil);
        return true;
      }
    };
  }
}
