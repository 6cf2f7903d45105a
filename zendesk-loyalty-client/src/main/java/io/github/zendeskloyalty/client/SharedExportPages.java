package io.github.zendeskloyalty.client;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Pages of the account's incremental user export, kept where every SDK instance writing to one
 * Zendesk account reaches them, so that one pass of the export serves them all. With bulk import
 * off and email identity, an instance that meets many members without a known user id reads the
 * export (1,000 users a page, 10 pages a minute for the whole account) to learn their ids; four
 * instances doing that alone read the account four times at a quarter of the pace each. Sharing
 * pages, they read one pass: each page is fetched once, by whichever instance claims it, and the
 * others read it from the store (only each user's id, email and active flag: about 60 bytes a
 * user).
 *
 * <p>Ready implementations: {@code PostgresWriteSlots} and {@code RedisWriteSlots} (they are
 * both {@link SingleUserWriteSlots} and {@code SharedExportPages}); the testkit's
 * {@code SharedExportPagesContract} tests one of your own.
 *
 * <pre>{@code
 * PostgresWriteSlots shared = PostgresWriteSlots.builder().dataSource(dataSource)
 *     .account("acme").build();
 * ZendeskLoyaltySync sync = ZendeskLoyaltySync.builder()
 *     .subdomain("acme").credentials(credentials)
 *     .singleUserWriteSlots(shared)
 *     .sharedExportPages(shared)
 *     .build();
 * }</pre>
 *
 * <p>A store that throws, or does not answer within its timeout, never stops a pass: the
 * instance warns and fetches the page itself, and asks the store again for the next one. Passes
 * are named by the instant they began (on the clock of the instance that began them); a pass
 * whose last page was stored is over, and the next instance that needs one begins a new pass.
 * By default each instance reads its own passes and stores nothing.
 */
public interface SharedExportPages {

  /**
   * The pass to read: the newest pass begun at or after {@code startedAfter} whose last page
   * has not been stored, or else a new one, begun {@code now}.
   */
  Instant joinPass(Instant now, Instant startedAfter);

  /** Page {@code number} (from 1) of the pass, as stored, if it is. */
  Optional<String> page(Instant pass, int number);

  /**
   * Claims the fetching of page {@code number} until {@code until}: true when no other claim on
   * it holds (none, or one that has expired by {@code now}); the claimant fetches and stores it.
   */
  boolean claim(Instant pass, int number, Instant now, Instant until);

  /** Stores page {@code number} of the pass; {@code last} ends the pass. */
  void put(Instant pass, int number, String page, boolean last);

  /**
   * Pages kept in this JVM: share one between the SDK instances of a process that read one
   * account.
   *
   * <pre>{@code
   * SharedExportPages pages = SharedExportPages.inMemory();
   * ZendeskLoyaltySync eu = builderFor("eu").sharedExportPages(pages).build();
   * ZendeskLoyaltySync us = builderFor("us").sharedExportPages(pages).build();
   * }</pre>
   */
  static SharedExportPages inMemory() {
    return new SharedExportPages() {
      private Instant pass;
      private boolean ended = true;
      private final Map<Integer, String> pages = new HashMap<>();
      private final Map<Integer, Instant> claims = new HashMap<>();

      @Override
      public synchronized Instant joinPass(Instant now, Instant startedAfter) {
        if (ended || pass.isBefore(startedAfter)) {
          pass = now;
          ended = false;
          pages.clear();
          claims.clear();
        }
        return pass;
      }

      @Override
      public synchronized Optional<String> page(Instant of, int number) {
        return of.equals(pass) ? Optional.ofNullable(pages.get(number)) : Optional.empty();
      }

      @Override
      public synchronized boolean claim(Instant of, int number, Instant now, Instant until) {
        if (!of.equals(pass) || pages.containsKey(number)) {
          return false;
        }
        Instant held = claims.get(number);
        if (held != null && held.isAfter(now)) {
          return false;
        }
        claims.put(number, until);
        return true;
      }

      @Override
      public synchronized void put(Instant of, int number, String page, boolean last) {
        if (of.equals(pass)) {
          pages.put(number, page);
          ended |= last;
        }
      }
    };
  }
}
