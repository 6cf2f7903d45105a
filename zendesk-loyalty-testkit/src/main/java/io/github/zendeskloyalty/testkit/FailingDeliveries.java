package io.github.zendeskloyalty.testkit;

import io.github.zendeskloyalty.client.SharedDeliveries;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A {@link SharedDeliveries} that fails calls as a store that does not answer: every call while
 * {@link #down} is set, else a seeded share of them; the others go to the store it wraps. A
 * failed call never reaches the store; with {@link #checked} it throws a checked exception, as
 * a store compiled elsewhere may. Not part of the API.
 */
final class FailingDeliveries implements SharedDeliveries {

  private final SharedDeliveries store;
  private final Random random;
  private final double failing;
  volatile boolean down;
  /** Whether a failure is a checked {@link java.sql.SQLException}, thrown past the compiler. */
  volatile boolean checked;

  /** Fails every call while {@link #down}, none otherwise. */
  FailingDeliveries(SharedDeliveries store) {
    this(store, 0, 0);
  }

  /** Fails a {@code failing} share of the calls, chosen by {@code seed}. */
  FailingDeliveries(SharedDeliveries store, double failing, long seed) {
    this.store = store;
    this.failing = failing;
    this.random = new Random(seed);
  }

  private SharedDeliveries store() {
    boolean fails;
    synchronized (random) {
      fails = down || random.nextDouble() < failing;
    }
    if (fails) {
      if (checked) {
        throw FailingDeliveries.<RuntimeException>sneaky(
            new java.sql.SQLException("the store did not answer"));
      }
      throw new IllegalStateException("the store did not answer");
    }
    return store;
  }

  /** Throws {@code failure} though it is checked, as code compiled elsewhere may. */
  @SuppressWarnings("unchecked")
  static <T extends Throwable> T sneaky(Throwable failure) throws T {
    throw (T) failure;
  }

  @Override
  public boolean claim(List<String> keys, Instant now, Instant keepUntil) {
    return store().claim(keys, now, keepUntil);
  }

  @Override
  public boolean addWithin(String key, BigDecimal amount, BigDecimal limit, Instant now,
      Instant keepUntil) {
    return store().addWithin(key, amount, limit, now, keepUntil);
  }

  @Override
  public void putAwaiting(String id, String grant, Instant now, Instant keepUntil) {
    store().putAwaiting(id, grant, now, keepUntil);
  }

  @Override
  public Optional<String> takeAwaiting(String id, Instant now) {
    return store().takeAwaiting(id, now);
  }

  @Override
  public List<String> awaiting(Instant now) {
    return store().awaiting(now);
  }

  @Override
  public void release(List<String> keys) {
    store().release(keys);
  }

  @Override
  public void putPendingNote(String id, String note, Instant now, Instant keepUntil) {
    store().putPendingNote(id, note, now, keepUntil);
  }

  @Override
  public boolean removePendingNote(String id, String note) {
    return store().removePendingNote(id, note);
  }

  @Override
  public List<String> pendingNotes(Instant now) {
    return store().pendingNotes(now);
  }
}
