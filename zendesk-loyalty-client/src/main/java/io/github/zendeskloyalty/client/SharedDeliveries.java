package io.github.zendeskloyalty.client;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the agent actions of every instance must agree on, kept where each instance receiving
 * Zendesk's webhooks reaches it: which deliveries were handled (Zendesk delivers at least once,
 * and with several pods behind a load balancer a second delivery of one invocation may land on
 * another pod than the first, which must not grant again), and each agent's goodwill granted
 * today (else every pod would allow an agent its own daily limit). {@link AgentActions} asks
 * {@link #first} before it acts on a delivery and {@link #addWithin} before it grants.
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

  /**
   * Adds {@code amount} to the total kept under {@code key} unless that would take it past
   * {@code limit}, atomically across instances; the total is kept until {@code keepUntil}, and
   * one whose time passed by {@code now} starts again from zero. A negative amount (giving back
   * what a failed grant took) is always added.
   *
   * @return whether the amount was added
   */
  boolean addWithin(String key, BigDecimal amount, BigDecimal limit, Instant now,
      Instant keepUntil);

  /** Deliveries (the last 10,000) and totals remembered in this JVM: one instance, or a test. */
  static SharedDeliveries inMemory() {
    return new SharedDeliveries() {
      private final Map<String, Instant> seen = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
          return size() > 10_000;
        }
      };
      private final Map<String, Total> totals = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Total> eldest) {
          return size() > 10_000;
        }
      };

      record Total(BigDecimal amount, Instant keepUntil) {}

      @Override
      public synchronized boolean addWithin(String key, BigDecimal amount, BigDecimal limit,
          Instant now, Instant keepUntil) {
        Total before = totals.get(key);
        BigDecimal total = (before == null || !before.keepUntil().isAfter(now)
            ? BigDecimal.ZERO : before.amount()).add(amount);
        if (amount.signum() > 0 && total.compareTo(limit) > 0) {
          return false;
        }
        totals.put(key, new Total(total, keepUntil));
        return true;
      }

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
