package io.github.zendeskloyalty.benchmarks.harness;

import io.github.zendeskloyalty.client.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A clock shared by several SDK instances and the fake, for a discrete-event run: a sleeper
 * blocks until the clock reaches its wake-up, and the clock jumps to the earliest wake-up once
 * nothing has happened for a few real milliseconds (everyone waits). Unlike a manual clock,
 * four instances sleeping a second each move the clock one second, not four.
 */
final class SimulatedTime extends Clock implements Sleeper, AutoCloseable {

  private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(3);

  private final PriorityQueue<Instant> wakeUps = new PriorityQueue<>();
  private final Thread keeper;
  private volatile boolean running = true;
  private Instant now;
  private long lastChange = System.nanoTime();

  SimulatedTime(Instant start) {
    this.now = start;
    this.keeper = new Thread(this::keep, "simulated-time");
    keeper.setDaemon(true);
    keeper.start();
  }

  @Override
  public synchronized Instant instant() {
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

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (duration.isZero() || duration.isNegative()) {
      return;
    }
    synchronized (this) {
      Instant wake = now.plus(duration);
      wakeUps.add(wake);
      lastChange = System.nanoTime();
      try {
        while (now.isBefore(wake)) {
          wait();
        }
      } finally {
        wakeUps.remove(wake);
        lastChange = System.nanoTime();
      }
    }
  }

  /** Marks that something happened, so the clock does not jump yet. */
  synchronized void touch() {
    lastChange = System.nanoTime();
  }

  private void keep() {
    while (running) {
      LockSupport.parkNanos(QUIET_NANOS / 3);
      synchronized (this) {
        if (!wakeUps.isEmpty() && System.nanoTime() - lastChange >= QUIET_NANOS) {
          Instant next = wakeUps.peek();
          if (next.isAfter(now)) {
            now = next;
          }
          lastChange = System.nanoTime();
          notifyAll();
        }
      }
    }
  }

  @Override
  public void close() {
    running = false;
  }
}
