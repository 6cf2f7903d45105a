package io.github.zendeskloyalty.cli.internal;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backfill's counters and the line that shows them: redrawn in place (a carriage return, no new
 * line) when the output is a terminal, as a bar with members read, confirmed, failed, API calls,
 * 429s, rate and ETA, fitted to the terminal's width. Thread-safe. Not part of the API.
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
  private int drawn;

  /** A total not known before the rows are read (standard input, a pipe). */
  public static final long UNKNOWN = -1;

  /** Counters for a file of {@code total} rows ({@link #UNKNOWN} for a stream), started now. */
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

  /**
   * The progress line, at most {@code width - 1} characters so that a terminal never wraps it
   * (a wrapped line cannot be redrawn in place): members read, confirmed, API calls, rate and
   * ETA always; failed, rejected and 429s once there are any; the bar in what room is left.
   */
  public String line(long nowNanos, int width) {
    long done = done();
    double rate = (confirmed.get() + failed.get()) / seconds(nowNanos);
    if (total == UNKNOWN) {
      return unknownTotal(rate, width);
    }
    String eta = rate <= 0 || done >= total ? "--:--" : clock((long) ((total - done) / rate));
    StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%3d%% %,d/%,d read · %,d ok",
        total == 0 ? 100 : done * 100 / total, read.get(), total, confirmed.get()));
    appendIfAny(text, failed.get(), "failed");
    appendIfAny(text, rejected.get(), "rejected");
    text.append(String.format(Locale.ROOT, " · %,d calls", calls.get()));
    appendIfAny(text, throttled.get(), "429s");
    text.append(String.format(Locale.ROOT, " · %,.0f/s · ETA %s", rate, eta));
    int room = Math.min(BAR, width - 1 - text.length() - 3);
    if (room >= 5) {
      int filled = total == 0 ? room : (int) Math.min(room, done * room / total);
      text.insert(0, "[" + "#".repeat(filled) + ".".repeat(room - filled) + "] ");
    }
    return text.length() < width ? text.toString() : text.substring(0, Math.max(0, width - 1));
  }

  /** A stream's line: no percentage, bar or ETA, since the total is not known. */
  private String unknownTotal(double rate, int width) {
    StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%,d read · %,d ok",
        read.get(), confirmed.get()));
    appendIfAny(text, failed.get(), "failed");
    appendIfAny(text, rejected.get(), "rejected");
    text.append(String.format(Locale.ROOT, " · %,d calls", calls.get()));
    appendIfAny(text, throttled.get(), "429s");
    text.append(String.format(Locale.ROOT, " · %,.0f/s", rate));
    return text.length() < width ? text.toString() : text.substring(0, Math.max(0, width - 1));
  }

  private static void appendIfAny(StringBuilder text, long count, String what) {
    if (count > 0) {
      text.append(String.format(Locale.ROOT, " · %,d %s", count, what));
    }
  }

  /** Redraws the line in place. */
  public synchronized void draw(PrintWriter out, long nowNanos, int width) {
    String line = line(nowNanos, width);
    int pad = Math.max(0, drawn - line.length());
    out.print("\r" + line + " ".repeat(pad));
    out.flush();
    drawn = line.length();
  }

  /** Seconds as {@code m:ss} or {@code h:mm:ss}. */
  static String clock(long seconds) {
    return seconds >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
        : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
  }
}
