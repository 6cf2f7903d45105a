package io.github.zendeskloyalty.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When each single-user write ({@code POST /users/create_or_update}, {@code PUT /users/{id}})
 * may go. Zendesk takes one such write a second for the whole account, and nothing in its
 * answers tells an instance when another wrote: SDK instances that each keep their own second
 * collide, and a fifth or more of their writes come back 429. Instances that create users
 * together (bulk import off, several pods) share one {@code SingleUserWriteSlots} kept where they
 * all reach it, and their writes keep apart.
 *
 * <p>Two are ready, each in its own module, on the store's clock: {@code PostgresWriteSlots}
 * ({@code zendesk-loyalty-postgresql}, plain JDBC) and {@code RedisWriteSlots}
 * ({@code zendesk-loyalty-redis}, Lettuce); the testkit's {@code SingleUserWriteSlotsContract}
 * tests one of your own.
 *
 * <p>An implementation reserves slots atomically for every instance that shares it: the slot
 * it gives is at or after {@code earliest} and at least {@code spacing} after the slot it gave
 * before, to whichever instance; when that slot would come after {@code latest} (the write's
 * retry deadline) it reserves nothing, so a queue longer than a deadline never pushes the slots
 * further for everyone. One atomic read-modify-write does it, for example a Redis script:
 *
 * <pre>{@code
 * // KEYS[1] the slot key; ARGV: earliest, latest (epoch ms), spacing (ms)
 * String reserve = "local last = tonumber(redis.call('GET', KEYS[1]) or '0') "
 *     + "local slot = math.max(tonumber(ARGV[1]), last + tonumber(ARGV[3])) "
 *     + "if slot > tonumber(ARGV[2]) then return -1 end "
 *     + "redis.call('SET', KEYS[1], slot, 'PX', 600000) return slot";
 * SingleUserWriteSlots shared = (earliest, latest, spacing) -> {
 *   long slot = (Long) jedis.eval(reserve, List.of("zendesk:acme:single-user-slot"),
 *       List.of(String.valueOf(earliest.toEpochMilli()), String.valueOf(latest.toEpochMilli()),
 *           String.valueOf(spacing.toMillis())));
 *   return slot < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(slot));
 * };
 *
 * ZendeskLoyaltySync sync = ZendeskLoyaltySync.builder()
 *     .subdomain("acme").credentials(credentials)
 *     .singleUserWriteSlots(shared)
 *     .build();
 * }</pre>
 *
 * <p>The SDK asks with {@code spacing} of at least 1.15 s (Zendesk's second, measured on
 * arrival, and a margin for the instances' clocks and the network), waits until the slot and
 * sends; a 429 (another client wrote) still pauses the instance that met it. No slot by
 * {@code latest} fails that write with {@link ZendeskRateLimitException}, as any rate limit
 * that outlasts the retry deadline does. When {@code reserve} throws or returns {@code null},
 * the instance logs a warning and paces itself alone for that write. It runs on the SDK's
 * dispatcher thread, which sends nothing while it waits: give the store's client a short
 * timeout (a second or two), and throw when it passes. By default each instance has its own
 * slots ({@link #inMemory()}).
 */
@FunctionalInterface
public interface SingleUserWriteSlots {

  /**
   * Reserves the next single-user write slot, if there is one by {@code latest}.
   *
   * @param earliest the earliest the write may go (the instance's clock now)
   * @param latest the latest slot the write can use (its retry deadline)
   * @param spacing the least time since the slot reserved before this one
   * @return the reserved slot, not before {@code earliest} and {@code spacing} or more after the
   *     previous one; or empty, reserving nothing, when that slot would come after
   *     {@code latest}
   */
  Optional<Instant> reserve(Instant earliest, Instant latest, Duration spacing);

  /**
   * Slots kept in this JVM: the default, one per SDK instance; share one between the instances
   * of a process that write to one account.
   *
   * <pre>{@code
   * SingleUserWriteSlots slots = SingleUserWriteSlots.inMemory();
   * ZendeskLoyaltySync eu = builderFor("eu").singleUserWriteSlots(slots).build();
   * ZendeskLoyaltySync us = builderFor("us").singleUserWriteSlots(slots).build();
   * }</pre>
   */
  static SingleUserWriteSlots inMemory() {
    return new SingleUserWriteSlots() {
      private Instant last;

      @Override
      public synchronized Optional<Instant> reserve(Instant earliest, Instant latest,
          Duration spacing) {
        Instant slot = last == null || !last.plus(spacing).isAfter(earliest)
            ? earliest : last.plus(spacing);
        if (slot.isAfter(latest)) {
          return Optional.empty();
        }
        last = slot;
        return Optional.of(slot);
      }
    };
  }
}
