package io.github.zendeskloyalty.benchmarks.harness;

import io.github.zendeskloyalty.client.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A clock shared by several SDK instances and the fake, for a discrete-event run: a sleeper
 * blocks until the clock reaches its wake-up, and the clock jumps to the earliest wake-up once
 * nothing has happened for a few real milliseconds (everyone waits). Unlike a manual clock,
 * four instances sleeping a second each move the clock one second, not four.
 *
 * <p>It never jumps while held: while a request is with the fake, while the thread that got an
 * answer is still working on it (until it sleeps, or {@link #ANSWER_GRACE} of real time at
 * most), while a burst of events is submitted. Real time does not leap a minute while Zendesk
 * builds a page or the SDK reads one, so the SDK's clock after an answer is the fake's clock
 * when it answered, as it would be against Zendesk.
 */
final class SimulatedTime extends Clock implements Sleeper, AutoCloseable {

  private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(3);

  /** The longest a thread that got an answer holds the clock before it sleeps. */
  static final long ANSWER_GRACE = TimeUnit.MILLISECONDS.toNanos(50);

  private final PriorityQueue<Instant> wakeUps = new PriorityQueue<>();
  private final Thread keeper;
  private volatile boolean running = true;
  private Instant now;
  private long lastChange = System.nanoTime();
  private int holds;
  private final Map<Thread, Long> readingAnswers = new HashMap<>();

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
      readingAnswers.remove(Thread.currentThread());
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

  /**
   * Holds the clock until {@link #release()}: a request is with the fake, or a burst of events
   * is being submitted (it takes no time on the clock; the SDK still works meanwhile).
   */
  synchronized void hold() {
    holds++;
    lastChange = System.nanoTime();
  }

  /** Ends a {@link #hold()}. */
  synchronized void release() {
    holds--;
    lastChange = System.nanoTime();
  }

  /** The calling thread got an answer and works on it until it next sleeps. */
  synchronized void answered() {
    release();
    readingAnswers.put(Thread.currentThread(), lastChange);
  }

  private boolean busy(long nanoNow) {
    readingAnswers.values().removeIf(since -> nanoNow - since >= ANSWER_GRACE);
    return holds > 0 || !readingAnswers.isEmpty();
  }

  private void keep() {
    while (running) {
      LockSupport.parkNanos(QUIET_NANOS / 3);
      synchronized (this) {
        long nanoNow = System.nanoTime();
        if (!wakeUps.isEmpty() && nanoNow - lastChange >= QUIET_NANOS && !busy(nanoNow)) {
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
