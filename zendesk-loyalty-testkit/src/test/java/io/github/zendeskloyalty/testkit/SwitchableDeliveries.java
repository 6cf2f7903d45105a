package io.github.zendeskloyalty.testkit;

import io.github.zendeskloyalty.client.SharedDeliveries;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A {@link SharedDeliveries} that fails every call, as a store that does not answer, while
 * {@link #down} is set, and otherwise passes each call to the store it wraps.
 */
final class SwitchableDeliveries implements SharedDeliveries {

  private final SharedDeliveries store;
  volatile boolean down;

  SwitchableDeliveries(SharedDeliveries store) {
    this.store = store;
  }

  private SharedDeliveries store() {
    if (down) {
      throw new IllegalStateException("PostgreSQL did not answer");
    }
    return store;
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
