package io.github.zendeskloyalty.cli.internal;

import io.github.zendeskloyalty.core.LoyaltyMember;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rows a backfill has confirmed, one line each, appended and flushed as Zendesk confirms
 * them, so a killed run restarted with the same command skips them. A row is skipped when the
 * checkpoint holds the member with the same values (a digest of the row), or with a newer
 * {@code zrl_member_last_modified_date}, or, in the same unchanged file, at a later line. So a
 * restart sends only what is left and never an older row over a newer one, and a new export at
 * the same path (other values, other file) is sent whatever the checkpoint holds. Read line by
 * line; only a regular file. Thread-safe. Not part of the API.
 *
 * <p>A line: {@code memberId TAB modified|- TAB line TAB digest TAB file}, the member id
 * URL-encoded, {@code file} the fingerprint of the export it came from.
 */
public final class Checkpoint implements AutoCloseable {

  /** The newest confirmed row of one member: when modified, where, with which values. */
  private record Newest(Instant modified, int line, String digest, String file) {}

  /** The columns of a line written before digests: member, modified, line. */
  private static final int LINE_BEFORE_DIGESTS = 3;

  private final Map<String, Newest> confirmed = new HashMap<>();
  private final Path path;
  private final String file;
  private final BufferedWriter out;
  private int loaded;
  private IOException writeFailure;

  private Checkpoint(Path path, String file, BufferedWriter out) {
    this.path = path;
    this.file = file;
    this.out = out;
  }

  /**
   * Opens (or creates) a checkpoint file for the export with fingerprint {@code file} and reads
   * what it holds, a line at a time. A last line cut short (the run was killed while writing it)
   * is cut off the file: that member is sent again, which is harmless.
   *
   * @throws IllegalArgumentException when the path is not a regular file, or a whole line is not
   *     a checkpoint line: the file is something else, and is left alone
   */
  public static Checkpoint open(Path path, String file) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return new Checkpoint(path, file, Files.newBufferedWriter(path, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE_NEW));
    }
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException("checkpoint " + path + " is not a regular file; give"
          + " --checkpoint a file's path");
    }
    long kept = endOfLastWholeLine(path);
    Checkpoint checkpoint = new Checkpoint(path, file, null);
    long read = 0;
    try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        number++;
        read += line.getBytes(StandardCharsets.UTF_8).length + 1;
        if (read > kept) {
          break; // the torn last line
        }
        if (!line.isBlank()) {
          checkpoint.load(line, number);
        }
      }
    }
    if (kept < Files.size(path)) {
      try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
        channel.truncate(kept);
      }
    }
    return new Checkpoint(path, file, Files.newBufferedWriter(path, StandardCharsets.UTF_8,
        StandardOpenOption.APPEND)).adopt(checkpoint);
  }

  private Checkpoint adopt(Checkpoint read) {
    confirmed.putAll(read.confirmed);
    loaded = read.loaded;
    return this;
  }

  private void load(String line, int number) {
    try {
      String[] parts = line.split("\t", -1);
      if (parts.length != 5 && parts.length != LINE_BEFORE_DIGESTS) {
        throw new IllegalArgumentException("not five tab-separated values");
      }
      // a line of an earlier version: no digest or file, so only its date can skip a row
      boolean digested = parts.length == 5;
      remember(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
          new Newest(parts[1].equals("-") ? null : Instant.parse(parts[1]),
              Integer.parseInt(parts[2]), digested ? parts[3] : "", digested ? parts[4] : ""));
      loaded++;
    } catch (RuntimeException notALine) {
      throw new IllegalArgumentException("checkpoint " + path + " line " + number
          + " is not a checkpoint line (" + notALine.getMessage() + "); give another"
          + " --checkpoint file", notALine);
    }
  }

  /** Where the last line that ends in a line break ends: what follows was cut short. */
  private static long endOfLastWholeLine(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer block = ByteBuffer.allocate(8192);
      for (long end = channel.size(); end > 0; ) {
        long start = Math.max(0, end - block.capacity());
        block.clear().limit((int) (end - start));
        channel.read(block, start);
        for (int i = block.position() - 1; i >= 0; i--) {
          if (block.get(i) == '\n') {
            return start + i + 1;
          }
        }
        end = start;
      }
      return 0;
    }
  }

  /** How many confirmations the file held when opened. */
  public int loaded() {
    return loaded;
  }

  /** Why confirmations could not be recorded, or null: a rerun would send those again. */
  public synchronized IOException writeFailure() {
    return writeFailure;
  }

  /**
   * Whether this row, or a newer one of the member, was confirmed already.
   *
   * @param digest the row's values, as {@link #digest(Map)} gives them
   */
  public synchronized boolean isConfirmed(LoyaltyMember member, int line, String digest) {
    Newest newest = confirmed.get(member.memberId());
    if (newest == null) {
      return false;
    }
    if (newest.digest().equals(digest)) {
      return true;
    }
    if (member.lastModifiedDate() != null && newest.modified() != null) {
      return member.lastModifiedDate().isBefore(newest.modified());
    }
    return newest.file().equals(file) && line < newest.line();
  }

  /** Records a confirmed row, on disk before it returns; a failure is kept for the report. */
  public synchronized void confirm(LoyaltyMember member, int line, String digest) {
    Newest row = new Newest(member.lastModifiedDate(), line, digest, file);
    remember(member.memberId(), row);
    if (writeFailure != null) {
      return;
    }
    try {
      out.write(URLEncoder.encode(member.memberId(), StandardCharsets.UTF_8) + "\t"
          + (row.modified() == null ? "-" : row.modified()) + "\t" + line + "\t" + digest
          + "\t" + file);
      out.newLine();
      out.flush();
    } catch (IOException failed) {
      writeFailure = failed;
    }
  }

  /** Keeps the newer of what is known and {@code row}: by date, else by file and line. */
  private void remember(String memberId, Newest row) {
    Newest before = confirmed.get(memberId);
    boolean newer = before == null
        || (row.modified() != null && before.modified() != null
            ? !row.modified().isBefore(before.modified())
            : !row.file().equals(before.file()) || row.line() >= before.line());
    if (newer) {
      confirmed.put(memberId, row);
    }
  }

  /** A row's values as a short digest: another value in any column is another digest. */
  public static String digest(Map<String, String> values) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      new TreeMap<>(values).forEach((key, value) -> {
        sha.update((key + "=" + value.strip()).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      });
      return HexFormat.of().formatHex(sha.digest(), 0, 12);
    } catch (NoSuchAlgorithmException missing) {
      throw new IllegalStateException("SHA-256 is part of every JDK", missing);
    }
  }

  /**
   * The fingerprint of an export file: its real path, size and last modification, so a
   * checkpoint's line order counts only for the file it was made for; {@code -} for a stream.
   */
  public static String fingerprint(Path export) throws IOException {
    if (!Files.isRegularFile(export)) {
      return "-";
    }
    return digest(Map.of("path", export.toRealPath().toString(),
        "size", Long.toString(Files.size(export)),
        "modified", Files.getLastModifiedTime(export).toString()));
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      out.close();
    } catch (IOException failed) {
      if (writeFailure == null) {
        writeFailure = failed;
      }
    }
  }
}
