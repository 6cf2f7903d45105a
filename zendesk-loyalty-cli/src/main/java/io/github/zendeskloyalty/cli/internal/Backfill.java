package io.github.zendeskloyalty.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zendeskloyalty.client.FieldReport;
import io.github.zendeskloyalty.client.IdentityPolicy;
import io.github.zendeskloyalty.client.MissingUserPolicy;
import io.github.zendeskloyalty.client.RateLimits;
import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.SyncSummary;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.client.ZendeskOperation;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.AbstractCollection;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code backfill FILE}: every member of an export through {@code syncAll}, with progress, a
 * checkpoint of confirmed members (a restart sends only what is left) and a rejects file of bad
 * rows. Not part of the API.
 */
@Command(name = "backfill", mixinStandardHelpOptions = true,
    description = {"Syncs every member of a JSON Lines (.jsonl) or CSV (.csv) export to Zendesk.",
        "Columns (CSV header) or names (JSON) are the seed's 21 attribute names:"
            + " zrl_member_member_id (required), zrl_member_available_points,"
            + " zrl_member_member_status, zrl_member_number_of_purchases,"
            + " zrl_member_number_of_redemptions, zrl_member_enrollment_date,"
            + " zrl_member_last_modified_date, zrl_member_lifetime_points_earned,"
            + " zrl_member_lifetime_points_expired, zrl_member_lifetime_points_redeemed,"
            + " zrl_member_lifetime_points_deducted, zrl_member_referral_url, first_name, email,"
            + " phone, last_name, zrl_member_first_purchase_date, zrl_member_last_purchase_date,"
            + " zrl_member_loyalty_tier_name, zrl_member_loyalty_tier_id,"
            + " zrl_member_qualified_points.",
        "Resumable: confirmed members go to a checkpoint file, and the same command restarted"
            + " sends only what is left. Bad rows go to a rejects file with their line and"
            + " attribute; they never stop the rest."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every member confirmed", "1:some members failed or rows were rejected",
        "2:a wrong flag or an unreadable file", "3:Zendesk refused the credentials",
        "4:the credentials lack a permission", "5:no account there",
        "6:Zendesk unavailable or rate-limited"},
    footerHeading = "%nExample:%n",
    footer = "  zendesk-loyalty backfill members.jsonl --subdomain acme --email admin@acme.com")
public final class Backfill implements Callable<Integer> {

  private final Context context;
  @Mixin Account account;
  @Mixin Commands.Output output;

  @Parameters(paramLabel = "FILE", description = "The export: .csv, or JSON Lines; - for"
      + " standard input (read once, as a pipe is).")
  Path file;

  /** The export's format. */
  enum Format { AUTO, CSV, JSONL }

  @Option(names = "--format", defaultValue = "AUTO", paramLabel = "FORMAT",
      description = "${COMPLETION-CANDIDATES}: by the file's name (.csv, else JSON Lines), or for"
          + " standard input by its first character ({ is JSON Lines); default ${DEFAULT-VALUE}.")
  Format format;

  @Option(names = "--checkpoint", paramLabel = "FILE",
      description = "Where confirmed members are recorded; default FILE.checkpoint (with"
          + " --fake or standard input, a file for the one run).")
  Path checkpointFile;

  @Option(names = "--rejects", paramLabel = "FILE",
      description = "Where bad rows go, with line and reason; default FILE.rejects (for"
          + " standard input, stdin.rejects in the working directory).")
  Path rejectsFile;

  @Option(names = "--identity", defaultValue = "EMAIL",
      description = "How members match Zendesk users: ${COMPLETION-CANDIDATES};"
          + " default ${DEFAULT-VALUE}.")
  IdentityPolicy identity;

  @Option(names = "--missing-users", defaultValue = "CREATE",
      description = "Members without a user: ${COMPLETION-CANDIDATES}; default ${DEFAULT-VALUE}.")
  MissingUserPolicy missingUsers;

  @Option(names = "--requests-per-minute", paramLabel = "N",
      description = "The SDK's share of the account's limit; default 200.")
  Integer requestsPerMinute;

  @Option(names = "--schema", paramLabel = "FILE",
      description = "A schema file, as for fields verify.")
  Path schemaFile;

  /** When the progress bar is drawn. */
  enum ProgressMode { AUTO, ALWAYS, NEVER }

  @Option(names = "--progress", defaultValue = "AUTO", paramLabel = "WHEN",
      description = "${COMPLETION-CANDIDATES}: a bar on a terminal, always, never;"
          + " default ${DEFAULT-VALUE}.")
  ProgressMode progressMode;

  public Backfill(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    boolean stdin = file.toString().equals("-");
    boolean regular = !stdin && Files.isRegularFile(file);
    if (!stdin && !Files.isReadable(file)) {
      throw new IllegalArgumentException("cannot read " + file);
    }
    FieldSchema schema = schemaFile == null ? FieldSchema.standard() : SchemaFile.read(schemaFile);
    // a stream (standard input, a pipe such as /dev/stdin) is read once: no count before
    long total = regular ? MemberFile.countRows(file, csv()) : Progress.UNKNOWN;
    // a fake starts empty: what an earlier run confirmed to another fake does not count
    boolean throwaway = (account.fake || !regular) && checkpointFile == null;
    Path checkpointPath = checkpointFile != null ? checkpointFile
        : throwaway ? Files.createTempFile("zendesk-loyalty-", ".checkpoint")
        : file.resolveSibling(file.getFileName() + ".checkpoint");
    Path rejectsPath = rejectsFile != null ? rejectsFile
        : regular ? file.resolveSibling(file.getFileName() + ".rejects")
        : Path.of((stdin ? "stdin" : file.getFileName().toString()) + ".rejects");
    Progress progress = new Progress(total, System.nanoTime());
    int width = terminalWidth(context);
    boolean draw = progressMode == ProgressMode.ALWAYS
        || (progressMode == ProgressMode.AUTO && context.terminal() && !output.json);
    ScheduledExecutorService painter = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "zendesk-loyalty-progress");
      thread.setDaemon(true);
      return thread;
    });
    if (draw) {
      painter.scheduleAtFixedRate(() -> progress.draw(context.out(), System.nanoTime(), width),
          0, 100, TimeUnit.MILLISECONDS);
    }
    SyncSummary summary;
    Checkpoint checkpoint = Checkpoint.open(checkpointPath, Checkpoint.fingerprint(file));
    try (checkpoint;
         BufferedWriter rejects = Files.newBufferedWriter(rejectsPath, StandardCharsets.UTF_8,
             StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
         MemberFile rows = open(stdin);
         Account.Connection connection = account.open(context, schema, true)) {
      ZendeskLoyaltySync.Builder builder = connection.builder().identity(identity)
          .missingUsers(missingUsers).listener(counting(progress));
      if (requestsPerMinute != null) {
        builder.rateLimits(RateLimits.defaults().toBuilder()
            .requestsPerMinute(requestsPerMinute).build());
      }
      Map<LoyaltyMember, RowOf> lines = new IdentityHashMap<>();
      Rejects rejected = new Rejects(rejects, progress);
      try (ZendeskLoyaltySync sync = builder.build()) {
        sync.currentUser();
        FieldReport fields = sync.fields().verify();
        if (!fields.isReady()) {
          context.err().printf("zendesk-loyalty: %d user fields are missing and %d of another"
              + " type; nothing was sent. Run 'zendesk-loyalty fields verify' with the same"
              + " account flags to see which, and 'fields ensure' to create them.%n",
              fields.missing().size(), fields.mismatched().size());
          return ExitCodes.INCOMPLETE;
        }
        // its size (rows not yet confirmed) lets the SDK choose the export before all arrive
        long toSend = total == Progress.UNKNOWN ? Integer.MAX_VALUE
            : Math.max(0, total - checkpoint.loaded());
        Collection<LoyaltyMember> members = new AbstractCollection<>() {
          @Override
          public Iterator<LoyaltyMember> iterator() {
            return members(rows, checkpoint, lines, rejected, progress);
          }

          @Override
          public int size() {
            return (int) Math.min(Integer.MAX_VALUE, toSend);
          }
        };
        summary = sync.syncAll(members,
            (member, result, failure) -> {
              RowOf row;
              synchronized (lines) {
                row = lines.remove(member);
              }
              if (failure == null) {
                checkpoint.confirm(member, row.line(), row.digest());
                progress.confirmed.incrementAndGet();
              } else if (failure instanceof IllegalArgumentException refused) {
                rejected.add(new MemberParser.Rejected(row.line(), null, refused.getMessage()));
              } else {
                progress.failed.incrementAndGet();
              }
            }).get();
      }
    } finally {
      if (throwaway) {
        Files.deleteIfExists(checkpointPath);
      }
      painter.shutdownNow();
      painter.awaitTermination(1, TimeUnit.SECONDS);
      if (draw) {
        progress.draw(context.out(), System.nanoTime(), width);
        context.out().println();
      }
    }
    if (progress.rejected.get() == 0) {
      Files.deleteIfExists(rejectsPath);
    }
    IOException unrecorded = checkpoint.writeFailure();
    report(summary, progress, checkpointPath, rejectsPath, unrecorded);
    return progress.failed.get() == 0 && progress.rejected.get() == 0 && unrecorded == null
        ? ExitCodes.OK : ExitCodes.INCOMPLETE;
  }

  /** Where a member came from: its line, and the digest of its row's values. */
  private record RowOf(int line, String digest) {}

  private boolean csv() {
    return format == Format.AUTO ? MemberFile.isCsv(file) : format == Format.CSV;
  }

  /** The export, read once: standard input, or the file. */
  private MemberFile open(boolean stdin) throws IOException {
    // FileInputStream, not Files.newInputStream: the channel's available() seeks, which a pipe
    // (/dev/stdin, a FIFO) refuses with "Illegal seek"
    InputStream in = new BufferedInputStream(stdin ? context.in() : new FileInputStream(
        file.toFile()));
    boolean csv = format == Format.AUTO && !Files.isRegularFile(file) ? !startsLikeJson(in)
        : csv();
    return MemberFile.open(in, csv, stdin ? "standard input" : file.toString());
  }

  /** Whether a stream's first character (after a byte order mark and blanks) is {@code {}. */
  private static boolean startsLikeJson(InputStream in) throws IOException {
    in.mark(4096);
    try {
      for (int i = 0, c = in.read(); c != -1 && i < 4096; c = in.read(), i++) {
        if (c == '{') {
          return true;
        }
        if (!Character.isWhitespace(c) && c != 0xEF && c != 0xBB && c != 0xBF) {
          return false;
        }
      }
      return false;
    } finally {
      in.reset();
    }
  }

  /** The terminal's columns: COLUMNS (the launcher script sets it), else 80. */
  static int terminalWidth(Context context) {
    try {
      int columns = Integer.parseInt(context.env().getOrDefault("COLUMNS", "80").strip());
      return columns >= 20 ? columns : 80;
    } catch (NumberFormatException unset) {
      return 80;
    }
  }

  /** The members of the file, parsed, bad rows rejected, confirmed ones skipped. */
  private static Iterator<LoyaltyMember> members(MemberFile rows, Checkpoint checkpoint,
      Map<LoyaltyMember, RowOf> lines, Rejects rejected, Progress progress) {
    Iterator<MemberFile.Row> source = rows.iterator();
    return new Iterator<>() {
      private LoyaltyMember next;

      @Override
      public boolean hasNext() {
        while (next == null && source.hasNext()) {
          MemberFile.Row row = source.next();
          progress.read.incrementAndGet();
          MemberParser.Parsed parsed = MemberParser.parse(row);
          if (parsed.rejected() != null) {
            rejected.add(parsed.rejected());
            continue;
          }
          String digest = Checkpoint.digest(row.values());
          if (checkpoint.isConfirmed(parsed.member(), row.line(), digest)) {
            progress.skipped.incrementAndGet();
          } else {
            next = parsed.member();
            synchronized (lines) {
              lines.put(next, new RowOf(row.line(), digest));
            }
          }
        }
        return next != null;
      }

      @Override
      public LoyaltyMember next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        LoyaltyMember member = next;
        next = null;
        return member;
      }
    };
  }

  /** Counts calls and 429s into the progress. */
  private static SyncListener counting(Progress progress) {
    return new SyncListener() {
      @Override
      public void onRequest(ZendeskOperation operation, int status) {
        progress.calls.incrementAndGet();
        if (status == 429) {
          progress.throttled.incrementAndGet();
        }
      }
    };
  }

  /** The rejects file and counter. */
  private static final class Rejects {
    private final BufferedWriter out;
    private final Progress progress;

    Rejects(BufferedWriter out, Progress progress) {
      this.out = out;
      this.progress = progress;
    }

    synchronized void add(MemberParser.Rejected rejected) {
      progress.rejected.incrementAndGet();
      try {
        out.write(rejected.describe());
        out.newLine();
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private void report(SyncSummary summary, Progress progress, Path checkpoint, Path rejects,
      IOException unrecorded) {
    double seconds = progress.seconds(System.nanoTime());
    double rate = (progress.confirmed.get() + progress.failed.get()) / seconds;
    if (output.json) {
      ObjectNode node = Commands.JSON.createObjectNode();
      node.put("read", progress.read.get()).put("alreadyConfirmed", progress.skipped.get())
          .put("created", summary.created()).put("updated", summary.updated())
          .put("stale", summary.ignoredStale()).put("skippedNoUser", summary.skippedNoUser())
          .put("failed", progress.failed.get()).put("rejected", progress.rejected.get())
          .put("calls", progress.calls.get()).put("tooManyRequests", progress.throttled.get())
          .put("seconds", Math.round(seconds * 10) / 10.0)
          .put("membersPerSecond", Math.round(rate))
          .put("checkpoint", checkpoint.toString()).put("rejects", rejects.toString());
      if (unrecorded != null) {
        node.put("checkpointError", unrecorded.toString());
      }
      ObjectNode failures = node.putObject("failures");
      summary.failures().forEach((member, failure) -> {
        if (failure instanceof ZendeskException) {
          failures.put(member, failure.getMessage());
        }
      });
      Commands.printJson(context, node);
      return;
    }
    context.out().printf("Backfill of %s: %,d rows read, %,d already confirmed by an earlier"
            + " run%n", file, progress.read.get(), progress.skipped.get());
    context.out().printf("  %,d created, %,d updated, %,d stale, %,d skipped (no user)%n",
        summary.created(), summary.updated(), summary.ignoredStale(), summary.skippedNoUser());
    context.out().printf("  %,d failed, %,d rejected (%s)%n", progress.failed.get(),
        progress.rejected.get(), rejects);
    context.out().printf(Locale.ROOT, "  %,d API calls, %,d answered 429; %.1f s, %,.0f members/s%n",
        progress.calls.get(), progress.throttled.get(), seconds, rate);
    summary.failures().entrySet().stream()
        .filter(entry -> entry.getValue() instanceof ZendeskException).limit(10)
        .forEach(entry -> context.out().println("  failed " + entry.getKey() + ": "
            + entry.getValue().getMessage()));
    if (progress.failed.get() > 0) {
      context.out().println("Run the same command again to retry the failed members; the"
          + " confirmed ones are not sent again.");
    }
    if (progress.rejected.get() > 0) {
      context.out().println("Fix the rejected rows (" + rejects + " has each line and why) and"
          + " run the same command again to send them.");
    }
    if (unrecorded != null) {
      context.out().println("Could not record confirmations in " + checkpoint + " ("
          + unrecorded + "): a rerun of the same command sends those members again.");
    }
    if (progress.failed.get() == 0 && progress.rejected.get() == 0) {
      context.out().println("Every member is on Zendesk.");
    }
  }
}
