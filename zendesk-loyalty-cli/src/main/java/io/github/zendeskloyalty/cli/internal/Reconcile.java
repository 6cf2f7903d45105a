package io.github.zendeskloyalty.cli.internal;

import io.github.zendeskloyalty.client.IdentityPolicy;
import io.github.zendeskloyalty.client.MemberSource;
import io.github.zendeskloyalty.client.ReconcileCheckpointException;
import io.github.zendeskloyalty.client.ReconcileOptions;
import io.github.zendeskloyalty.client.ReconcileReport;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code reconcile}: finds and repairs drift between an export of members and Zendesk. */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
    description = {"Reads the account's users once through the incremental export, compares"
        + " each user carrying a member id with the member's row in FILE (numbers by value,"
        + " dates by day, text exactly), and writes only the members that differ or have no"
        + " user. Users whose member FILE lacks (orphans) and two users with one member id are"
        + " reported, never changed. Resumable: an interrupted run goes on from its checkpoint."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:Zendesk matches FILE (nothing drifted, or every drift written)",
        "1:members still differ (a dry run that found drift, writes that failed) or rows were"
            + " rejected",
        "2:a wrong flag, an unreadable file, a --report or --checkpoint that cannot be written,"
            + " or a checkpoint this tool did not write",
        "3:Zendesk refused the credentials",
        "4:the credentials lack a permission", "5:no account there",
        "6:Zendesk unavailable or rate-limited"},
    footerHeading = "%nExample:%n",
    footer = "  zendesk-loyalty reconcile members.csv --dry-run --report drift.csv"
        + " --subdomain acme --email admin@acme.com")
public final class Reconcile implements Callable<Integer> {

  private final Context context;
  @Mixin Account account;
  @Mixin Commands.Output output;

  @Parameters(paramLabel = "FILE", description = "The members' export: .csv, or JSON Lines (the"
      + " backfill's formats).")
  Path file;

  @Option(names = "--dry-run", description = "Write nothing; say what would be written.")
  boolean dryRun;

  @Option(names = "--report", paramLabel = "FILE", description = "Where the report goes: a .json"
      + " file gets JSON, any other CSV (counts by kind and field, then samples).")
  Path reportFile;

  @Option(names = "--checkpoint", paramLabel = "FILE", description = "Where the export's cursor"
      + " is kept between pages; default FILE.reconcile (none with --fake).")
  Path checkpointFile;

  @Option(names = "--samples", defaultValue = "20", paramLabel = "N",
      description = "How many drifts of each kind the report lists; default ${DEFAULT-VALUE}"
          + " (a large N lists every member written).")
  int samples;

  @Option(names = "--identity", defaultValue = "EMAIL",
      description = "How members match Zendesk users: ${COMPLETION-CANDIDATES};"
          + " default ${DEFAULT-VALUE}.")
  IdentityPolicy identity;

  @Option(names = "--schema", paramLabel = "FILE",
      description = "A schema file, as for fields verify.")
  Path schemaFile;

  @Option(names = "--progress", defaultValue = "AUTO", paramLabel = "WHEN",
      description = "${COMPLETION-CANDIDATES}: a line on a terminal, always, never;"
          + " default ${DEFAULT-VALUE}.")
  Backfill.ProgressMode progressMode;

  public Reconcile(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    if (!Files.isReadable(file) || !Files.isRegularFile(file)) {
      throw new IllegalArgumentException("cannot read " + file);
    }
    if (samples < 0) {
      throw new IllegalArgumentException("--samples must be 0 or more, not " + samples);
    }
    Path checkpoint = checkpointFile != null ? checkpointFile : account.fake ? null
        : file.resolveSibling(file.getFileName() + ".reconcile");
    // before anything is read or sent: a report that cannot be written would lose the run's drift
    requireWritable(reportFile, "--report");
    requireWritable(checkpoint, "--checkpoint");
    FieldSchema schema = schemaFile == null ? FieldSchema.standard() : SchemaFile.read(schemaFile);
    List<MemberParser.Rejected> rejected = new ArrayList<>();
    MemberSource source = MemberSource.of(read(rejected));
    for (MemberParser.Rejected row : rejected) {
      context.err().println("zendesk-loyalty: rejected " + row.describe());
    }
    boolean draw = progressMode == Backfill.ProgressMode.ALWAYS
        || (progressMode == Backfill.ProgressMode.AUTO && context.terminal() && !output.json);
    ReconcileOptions.Builder options = ReconcileOptions.builder().dryRun(dryRun)
        .samplesPerKind(samples);
    if (draw) {
      options.progress(report -> {
        context.out().print("\r" + line(report));
        context.out().flush();
      });
    }
    if (checkpoint != null) {
      options.checkpoint(checkpoint);
    }
    ReconcileReport report;
    try (Account.Connection connection = account.open(context, schema, true);
         ZendeskLoyaltySync sync = connection.builder().identity(identity).build()) {
      sync.currentUser(); // a quick check of the credentials and the account (exits 3 to 6)
      report = sync.reconcile(source, options.build());
    } catch (ReconcileCheckpointException notOurCheckpoint) { // an unreadable file: exit 2
      throw new IllegalArgumentException(notOurCheckpoint.getMessage(), notOurCheckpoint);
    }
    if (draw) {
      context.out().println();
    }
    if (reportFile != null) {
      report.writeTo(reportFile);
    }
    if (output.json) {
      Commands.printJson(context, report);
    } else {
      print(report);
    }
    boolean stillDiffers = report.dryRun() ? report.drifted() > 0 : report.writeFailed() > 0;
    return stillDiffers || !rejected.isEmpty() ? ExitCodes.INCOMPLETE : ExitCodes.OK;
  }

  /** Refuses a file that cannot be written: a directory, or one in no (writable) directory. */
  private static void requireWritable(Path target, String flag) {
    if (target == null) {
      return;
    }
    Path directory = target.toAbsolutePath().getParent();
    if (Files.isDirectory(target)) {
      throw new IllegalArgumentException(flag + " " + target + " is a directory, not a file");
    }
    if (directory == null || !Files.isDirectory(directory)) {
      throw new IllegalArgumentException(flag + " " + target + ": there is no directory "
          + directory);
    }
    if (!Files.isWritable(directory) || Files.exists(target) && !Files.isWritable(target)) {
      throw new IllegalArgumentException(flag + " " + target + " cannot be written");
    }
  }

  /** The file's members; rows that are no member (or repeat a member id) into {@code rejected}. */
  private List<LoyaltyMember> read(List<MemberParser.Rejected> rejected) throws IOException {
    Map<String, LoyaltyMember> members = new LinkedHashMap<>();
    try (MemberFile rows = MemberFile.open(file)) {
      for (MemberFile.Row row : rows) {
        MemberParser.Parsed parsed = MemberParser.parse(row);
        if (parsed.rejected() != null) {
          rejected.add(parsed.rejected());
        } else if (members.putIfAbsent(parsed.member().memberId(), parsed.member()) != null) {
          rejected.add(new MemberParser.Rejected(row.line(), "zrl_member_member_id",
              "repeats member " + parsed.member().memberId() + " of an earlier row"));
        }
      }
    }
    return new ArrayList<>(members.values());
  }

  /** The progress line: pages and users read of the account's, drifted, written. */
  static String line(ReconcileReport report) {
    String of = report.accountUsers() >= 0
        ? String.format(Locale.ROOT, " of %,d", report.accountUsers()) : "";
    return String.format(Locale.ROOT, "%,d pages · %,d%s users · %,d drifted · %,d %s",
        report.pagesRead(), report.usersRead(), of, report.drifted(), report.written(),
        report.dryRun() ? "to write" : "written");
  }

  private void print(ReconcileReport report) {
    context.out().printf(Locale.ROOT, "Read %,d users in %,d pages; %,d carry a member id.%n",
        report.usersRead(), report.pagesRead(), report.loyaltyUsers());
    context.out().printf(Locale.ROOT, "%,d members differ", report.membersDiffering());
    if (!report.fieldsDiffering().isEmpty()) {
      context.out().print(" (" + String.join(", ", report.fieldsDiffering().entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .map(field -> field.getKey() + " " + field.getValue()).toList()) + ")");
    }
    context.out().printf(Locale.ROOT, ", %,d have no user.%n", report.noZendeskUser());
    context.out().printf(Locale.ROOT, "%,d %s%s.%n", report.written(),
        report.dryRun() ? "would be written (dry run: nothing was)" : "written",
        report.writeFailed() > 0 ? ", " + report.writeFailed() + " failed" : "");
    context.out().printf(Locale.ROOT, "Reported only: %,d orphans (users whose member the file"
        + " lacks), %,d users repeating a member id, %,d members newer in Zendesk than in the"
        + " file, %,d deleted users, %,d members the file answered under another id, %,d"
        + " members whose e-mail the file changed (change it on the profile).%n",
        report.orphans(), report.duplicateMemberIds(), report.sourceOlder(),
        report.inactiveUsers(), report.sourceMismatches(), report.emailsChanged());
  }
}
