package io.github.zendeskloyalty.client.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.zendeskloyalty.client.GoodwillGrant;
import io.github.zendeskloyalty.client.SharedDeliveries;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the agent actions keep: the deliveries claimed, running totals, and grants waiting for
 * approval, in the {@link SharedDeliveries} every instance reaches, and in this instance's own
 * memory while that store fails (after a WARNING each time). Not part of the API.
 */
public final class GoodwillLedger {

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.client");
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  /** How long a claim or a total is kept: Zendesk retries for minutes, not days. */
  static final Duration REMEMBERED = Duration.ofDays(2);
  /** How long a grant waits for approval. */
  static final Duration AWAITING_KEPT = Duration.ofDays(7);

  /** What a claim of a delivery's keys came to. */
  public enum Claim {
    /** This instance holds every key now. */
    CLAIMED,
    /** Another delivery holds one of them. */
    HELD,
    /** The store failed, and the caller asked to decide nothing then. */
    STORE_DOWN
  }

  private final SharedDeliveries shared;
  private final SharedDeliveries own = SharedDeliveries.inMemory();
  private final Clock clock;
  private final Runnable storeFailed;

  /**
   * A ledger over {@code shared}.
   *
   * @param storeFailed told each time a claim meets the shared store failing
   */
  public GoodwillLedger(SharedDeliveries shared, Clock clock, Runnable storeFailed) {
    this.shared = shared;
    this.clock = clock;
    this.storeFailed = storeFailed;
  }

  /** The store every instance reaches. */
  public SharedDeliveries shared() {
    return shared;
  }

  /** This instance's own memory, for while the shared store fails. */
  public SharedDeliveries own() {
    return own;
  }

  /**
   * Claims every key of a delivery at once, all or none. While the store fails: in this
   * instance's memory (a delivery repeated here still counts once; one repeated on another
   * instance may be claimed there too), or, with {@code decideNothingWhileDown},
   * {@link Claim#STORE_DOWN}.
   */
  public Claim claim(List<String> keys, boolean decideNothingWhileDown) {
    Instant now = clock.instant();
    try {
      boolean claimed = shared.claim(keys, now, now.plus(REMEMBERED));
      if (claimed) {
        own.claim(keys, now, now.plus(REMEMBERED)); // known here too, should the store fail next
      }
      return claimed ? Claim.CLAIMED : Claim.HELD;
    } catch (Exception | LinkageError storeDown) {
      storeFailed.run();
      if (decideNothingWhileDown) {
        LOG.log(Level.WARNING, "SharedDeliveries failed; the delivery is answered 503 for"
            + " Zendesk to deliver it again", storeDown);
        return Claim.STORE_DOWN;
      }
      LOG.log(Level.WARNING, "SharedDeliveries failed; this instance deduplicates this delivery"
          + " by its own memory (a repeat on another instance may grant again)", storeDown);
      return own.claim(keys, now, now.plus(REMEMBERED)) ? Claim.CLAIMED : Claim.HELD;
    }
  }

  /** Forgets a delivery's claims, in the store and here, so that its next delivery decides it. */
  public void release(List<String> keys) {
    try {
      shared.release(keys);
    } catch (Exception | LinkageError storeDown) {
      LOG.log(Level.WARNING, "SharedDeliveries failed to release a delivery answered 503; its"
          + " retry on another instance is answered \"duplicate\"", storeDown);
    }
    own.release(keys);
  }

  /**
   * Adds to the total kept under {@code key} for two days unless that passes {@code limit},
   * across instances; while the store fails, in this instance alone ({@code whileDown} says what
   * that means in the WARNING; null: no WARNING).
   */
  public boolean addWithin(String key, BigDecimal amount, BigDecimal limit, String whileDown) {
    Instant now = clock.instant();
    try {
      return shared.addWithin(key, amount, limit, now, now.plus(REMEMBERED));
    } catch (Exception | LinkageError storeDown) {
      if (whileDown != null) {
        LOG.log(Level.WARNING, "SharedDeliveries failed; " + whileDown, storeDown);
      }
      return own.addWithin(key, amount, limit, now, now.plus(REMEMBERED));
    }
  }

  /** Keeps a grant for approval, for a week, where every instance finds it; while that fails, here. */
  public void keepAwaiting(GoodwillGrant grant) {
    Instant now = clock.instant();
    Instant keepUntil = now.plus(AWAITING_KEPT);
    String json;
    try {
      json = JSON.writeValueAsString(grant);
    } catch (IOException cannotHappen) { // a record of strings, numbers and a BigDecimal
      throw new IllegalStateException("could not write a goodwill grant as JSON", cannotHappen);
    }
    try {
      shared.putAwaiting(grant.id(), json, now, keepUntil);
    } catch (Exception | LinkageError storeDown) {
      LOG.log(Level.WARNING, "SharedDeliveries failed; the grant waiting for approval on ticket "
          + grant.ticketId() + " is kept by this instance alone (lost if it restarts)", storeDown);
      own.putAwaiting(grant.id(), json, now, keepUntil);
    }
  }

  /**
   * Takes the grant waiting under {@code id} out, once across instances; while the store fails,
   * only one this instance keeps.
   *
   * @throws IllegalStateException when the store keeps it unreadable
   */
  public Optional<GoodwillGrant> takeAwaiting(String id) {
    Instant now = clock.instant();
    Optional<String> waiting;
    try {
      waiting = shared.takeAwaiting(id, now);
    } catch (Exception | LinkageError storeDown) {
      LOG.log(Level.WARNING, "SharedDeliveries failed; only grants this instance keeps can be"
          + " approved meanwhile", storeDown);
      waiting = Optional.empty();
    }
    if (waiting.isEmpty()) {
      waiting = own.takeAwaiting(id, now);
    }
    return waiting.map(GoodwillLedger::readGrant);
  }

  /** The grants waiting, on every instance and here (the first 1,000); unreadable ones logged. */
  public List<GoodwillGrant> awaiting() {
    Instant now = clock.instant();
    List<String> waiting = new ArrayList<>();
    try {
      waiting.addAll(shared.awaiting(now));
    } catch (Exception | LinkageError storeDown) {
      LOG.log(Level.WARNING, "SharedDeliveries failed; listing the grants this instance keeps",
          storeDown);
    }
    waiting.addAll(own.awaiting(now));
    Map<String, GoodwillGrant> grants = new LinkedHashMap<>();
    for (String json : waiting) {
      try {
        GoodwillGrant grant = readGrant(json);
        grants.putIfAbsent(grant.id(), grant);
      } catch (IllegalStateException unreadable) {
        LOG.log(Level.WARNING, unreadable.getMessage());
      }
    }
    return List.copyOf(grants.values());
  }

  /** A grant as {@link #keepAwaiting} wrote it; a store's garbage is refused, naming the store. */
  private static GoodwillGrant readGrant(String json) {
    try {
      GoodwillGrant grant = JSON.readValue(json, GoodwillGrant.class);
      if (grant.id() == null || grant.points() == null) {
        throw new IOException("no id or points");
      }
      return grant;
    } catch (IOException | RuntimeException unreadable) {
      throw new IllegalStateException("a grant waiting for approval in SharedDeliveries is"
          + " unreadable (" + unreadable.getClass().getSimpleName() + ")");
    }
  }
}
