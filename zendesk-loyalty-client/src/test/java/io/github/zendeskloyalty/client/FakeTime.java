package io.github.zendeskloyalty.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A clock that moves only when the SDK sleeps: no test waits for real time. */
public final class FakeTime extends Clock implements Sleeper {

  private volatile Instant now = Instant.parse("2026-11-24T12:00:00Z");
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  /** A clock at 2026-11-24T12:00:00Z. */
  public FakeTime() {}

  @Override
  public synchronized void sleep(Duration duration) {
    sleeps.add(duration);
    now = now.plus(duration);
  }

  /** Moves the clock without counting a sleep. */
  public synchronized void advance(Duration duration) {
    now = now.plus(duration);
  }

  /** Every sleep, in order. */
  public List<Duration> sleeps() {
    return sleeps;
  }

  public Duration slept() {
    return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
