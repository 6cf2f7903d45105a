package io.github.zendeskloyalty.cli.internal;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backfill's counters and the line that shows them: redrawn in place (a carriage return, no new
 * line) when the output is a terminal, as a bar with members read, confirmed, failed, API calls,
 * 429s, rate and ETA. Thread-safe. Not part of the API.
 */
public final class Progress {

  private static final int BAR = 24;

  /** Rows read from the file. */
  public final AtomicLong read = new AtomicLong();
  /** Rows skipped: confirmed by an earlier run. */
  public final AtomicLong skipped = new AtomicLong();
  /** Rows confirmed by Zendesk (created, updated, stale or skipped by policy). */
  public final AtomicLong confirmed = new AtomicLong();
  /** Rows that failed. */
  public final AtomicLong failed = new AtomicLong();
  /** Rows rejected: unreadable or invalid. */
  public final AtomicLong rejected = new AtomicLong();
  /** API calls made. */
  public final AtomicLong calls = new AtomicLong();
  /** Calls answered 429. */
  public final AtomicLong throttled = new AtomicLong();

  private final long total;
  private final long startNanos;
  private int width;

  /** Counters for a file of {@code total} rows, started now. */
  public Progress(long total, long startNanos) {
    this.total = total;
    this.startNanos = startNanos;
  }

  /** Rows done: confirmed, failed, rejected or skipped. */
  public long done() {
    return confirmed.get() + failed.get() + rejected.get() + skipped.get();
  }

  /** Seconds since the start, at least a millisecond. */
  public double seconds(long nowNanos) {
    return Math.max(0.001, (nowNanos - startNanos) / 1e9);
  }

  /** The progress line. */
  public String line(long nowNanos) {
    long done = done();
    double rate = (confirmed.get() + failed.get()) / seconds(nowNanos);
    int filled = total == 0 ? BAR : (int) Math.min(BAR, done * BAR / total);
    String eta = rate <= 0 || done >= total ? "--:--"
        : clock((long) ((total - done) / rate));
    return String.format(Locale.ROOT, "[%s%s] %3d%% %,d/%,d read · %,d confirmed · %,d failed"
            + " · %,d rejected · %,d calls · %,d 429s · %,.0f/s · ETA %s",
        "#".repeat(filled), ".".repeat(BAR - filled), total == 0 ? 100 : done * 100 / total,
        read.get(), total, confirmed.get(), failed.get(), rejected.get(), calls.get(),
        throttled.get(), rate, eta);
  }

  /** Redraws the line in place. */
  public synchronized void draw(PrintWriter out, long nowNanos) {
    String line = line(nowNanos);
    int pad = Math.max(0, width - line.length());
    out.print("\r" + line + " ".repeat(pad));
    out.flush();
    width = line.length();
  }

  /** Seconds as {@code m:ss} or {@code h:mm:ss}. */
  static String clock(long seconds) {
    return seconds >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
        : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
  }
}
