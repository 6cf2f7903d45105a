package io.github.zendeskloyalty.cli.internal;

import io.github.zendeskloyalty.core.LoyaltyMember;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.channels.FileChannel;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The members a backfill has confirmed, one line each, appended and flushed as Zendesk confirms
 * them, so a killed run restarted with the same command skips them. Per member it keeps the
 * newest confirmed snapshot: a row is skipped when it is not newer (by
 * {@code zrl_member_last_modified_date}, or by its line when it has none), so a restart never
 * writes an older row over a newer one already confirmed. Thread-safe. Not part of the API.
 */
public final class Checkpoint implements AutoCloseable {

  /** The newest confirmed snapshot of one member. */
  private record Newest(Instant modified, int line) {}

  private final Map<String, Newest> confirmed = new HashMap<>();
  private final BufferedWriter out;
  private int loaded;

  private Checkpoint(BufferedWriter out) {
    this.out = out;
  }

  /**
   * Opens (or creates) a checkpoint file and reads what it holds. A last line cut short (the run
   * was killed while writing it) is cut off the file: that member is sent again, which is
   * harmless.
   *
   * @throws IllegalArgumentException when a whole line is not a checkpoint line: the file is
   *     something else, and is left alone
   */
  public static Checkpoint open(Path file) throws IOException {
    if (!Files.exists(file)) {
      return new Checkpoint(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE_NEW));
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    List<String> lines = text.lines().toList();
    boolean torn = !text.isEmpty() && !text.endsWith("\n");
    Map<String, Newest> read = new HashMap<>();
    int count = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      try {
        String[] parts = lines.get(i).split("\t", -1);
        if (parts.length != 3) {
          throw new IllegalArgumentException("not three tab-separated values");
        }
        remember(read, URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
            parts[1].equals("-") ? null : Instant.parse(parts[1]), Integer.parseInt(parts[2]));
        count++;
      } catch (RuntimeException notALine) {
        if (!(torn && i == lines.size() - 1)) {
          throw new IllegalArgumentException("checkpoint " + file + " line " + (i + 1)
              + " is not a checkpoint line (" + notALine.getMessage() + "); give another"
              + " --checkpoint file", notALine);
        }
      }
    }
    if (torn) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.truncate(text.substring(0, text.lastIndexOf('\n') + 1)
            .getBytes(StandardCharsets.UTF_8).length);
      }
    }
    BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    Checkpoint checkpoint = new Checkpoint(writer);
    checkpoint.confirmed.putAll(read);
    checkpoint.loaded = count;
    return checkpoint;
  }

  /** How many confirmations the file held when opened. */
  public int loaded() {
    return loaded;
  }

  /** Whether this row's snapshot (or a newer one) of the member was confirmed already. */
  public synchronized boolean isConfirmed(LoyaltyMember member, int line) {
    Newest newest = confirmed.get(member.memberId());
    if (newest == null) {
      return false;
    }
    if (member.lastModifiedDate() != null && newest.modified() != null) {
      return !member.lastModifiedDate().isAfter(newest.modified());
    }
    return line <= newest.line();
  }

  /** Records a confirmed row, on disk before it returns. */
  public synchronized void confirm(LoyaltyMember member, int line) {
    remember(confirmed, member.memberId(), member.lastModifiedDate(), line);
    try {
      out.write(URLEncoder.encode(member.memberId(), StandardCharsets.UTF_8) + "\t"
          + (member.lastModifiedDate() == null ? "-" : member.lastModifiedDate()) + "\t" + line);
      out.newLine();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void remember(Map<String, Newest> confirmed, String memberId, Instant modified,
      int line) {
    Newest before = confirmed.get(memberId);
    Instant newestModified = before == null ? modified
        : before.modified() == null ? modified
        : modified == null || modified.isBefore(before.modified()) ? before.modified() : modified;
    int newestLine = before == null ? line : Math.max(line, before.line());
    confirmed.put(memberId, new Newest(newestModified, newestLine));
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
