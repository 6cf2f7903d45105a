package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.client.SingleUserWriteSlots;
import java.time.Duration;
import java.time.Instant;

/**
 * Single-user write slots kept in this JVM ({@link SingleUserWriteSlots#inMemory()}).
 * Thread-safe. Not part of the API.
 */
public final class InMemoryWriteSlots implements SingleUserWriteSlots {

  private Instant last;

  @Override
  public synchronized Instant reserve(Instant earliest, Duration spacing) {
    Instant slot = last == null || !last.plus(spacing).isAfter(earliest)
        ? earliest : last.plus(spacing);
    last = slot;
    return slot;
  }
}
