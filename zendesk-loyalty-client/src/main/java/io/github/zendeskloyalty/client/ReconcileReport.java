package io.github.zendeskloyalty.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link ZendeskLoyaltySync#reconcile} found and did: counts of each kind of drift, with a
 * few samples, and what it wrote (or, in a dry run, would write). A value for code and metrics,
 * and a file for people ({@link #writeTo}: CSV, or JSON for a {@code .json} file).
 *
 * <pre>{@code
 * ReconcileReport report = sync.reconcile(source, ReconcileOptions.defaults());
 * if (report.drifted() > 0) {
 *   log.warn("{} members drifted, {} written", report.drifted(), report.written());
 *   report.writeTo(Path.of("drift.csv"));
 * }
 * }</pre>
 *
 * @param dryRun whether nothing was written ({@code written} is what would have been)
 * @param accountUsers the account's users as Zendesk counted them when the run began (-1 when
 *     it could not say): what {@code usersRead} goes to
 * @param pagesRead pages of the user export read in this run (a resumed run counts on)
 * @param usersRead users on those pages
 * @param loyaltyUsers users carrying a member id
 * @param fieldsDiffering members whose fields differ from the source's snapshot, by field key
 * @param membersDiffering members with at least one field differing
 * @param noZendeskUser members of the source that no Zendesk user carries
 * @param orphans users carrying a member id the source does not have (reported, never cleared)
 * @param duplicateMemberIds users carrying a member id another user carries too (only the
 *     first is compared and repaired)
 * @param sourceOlder members that differ, but whose Zendesk snapshot was modified on a later
 *     day than the source's: not written (the source is behind)
 * @param inactiveUsers users carrying a member id that are deleted (inactive): their member
 *     counts as seen, and neither is written
 * @param sourceMismatches users whose member the source answered under another member's id:
 *     neither compared nor written
 * @param emailsChanged members the source moved to another e-mail than their user's, under
 *     e-mail identity: not written (Zendesk would make a second profile of the new e-mail)
 * @param written members Zendesk confirmed written (created or updated; differing or without a
 *     user), not those the SDK then ignored as stale; in a dry run, those it would submit
 * @param writeFailed of those, members whose write failed
 * @param resumed whether this run went on from a checkpoint
 * @param samples up to {@code samplesPerKind} drifts of each kind
 */
public record ReconcileReport(boolean dryRun, long accountUsers, int pagesRead, long usersRead, long loyaltyUsers,
    Map<String, Long> fieldsDiffering, long membersDiffering, long noZendeskUser, long orphans,
    long duplicateMemberIds, long sourceOlder, long inactiveUsers, long sourceMismatches,
    long emailsChanged, long written, long writeFailed, boolean resumed,
    List<Drift> samples) {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT).build();

  /** Copies the collections. */
  public ReconcileReport {
    fieldsDiffering = Map.copyOf(fieldsDiffering);
    samples = List.copyOf(samples);
  }

  /** Members that differ from the source or have no Zendesk user: what needs writing. */
  public long drifted() {
    return membersDiffering + noZendeskUser;
  }

  /** One drift. */
  public enum DriftKind {
    /** A field's value in Zendesk is not the source's. */
    FIELD_DIFFERS,
    /** The source has the member; no Zendesk user carries its member id. */
    NO_ZENDESK_USER,
    /** A Zendesk user carries a member id the source does not have. */
    ORPHAN,
    /** A second Zendesk user carries a member id. */
    DUPLICATE_MEMBER_ID,
    /** The member differs, but Zendesk's snapshot is newer than the source's: not written. */
    SOURCE_OLDER,
    /** A deleted (inactive) user carries the member id: reported, never written. */
    INACTIVE_USER,
    /**
     * Under e-mail identity, the source gives the member another e-mail than its user's
     * ({@code zendeskValue} the user's, {@code sourceValue} the source's): not written, since
     * Zendesk would make a second profile of the new e-mail; change it on the profile.
     */
    EMAIL_CHANGED,
    /**
     * {@code MemberSource.lookup} answered a member of another id under the asked one
     * ({@code zendeskValue} the asked id, {@code sourceValue} the answered): neither compared nor
     * written.
     */
    SOURCE_MISMATCH
  }

  /**
   * A drift, for people: which member and user, which field, and the two values (as Zendesk
   * answered and as the SDK would write them; null when absent).
   */
  public record Drift(DriftKind kind, String memberId, Long userId, String field,
      String zendeskValue, String sourceValue) {}

  /**
   * Writes the report: a {@code .json} file gets the whole value as JSON; any other a CSV, one
   * line of counts per kind and field, then the samples.
   *
   * @throws UncheckedIOException when the file cannot be written
   */
  public void writeTo(Path file) {
    try {
      if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
        JSON.writeValue(file.toFile(), this);
        return;
      }
      try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        out.write("kind,member_id,user_id,field,zendesk_value,source_value,count\n");
        for (Map.Entry<String, Long> field : new java.util.TreeMap<>(fieldsDiffering).entrySet()) {
          out.write(line("FIELD_DIFFERS", null, null, field.getKey(), null, null,
              field.getValue()));
        }
        out.write(line("NO_ZENDESK_USER", null, null, null, null, null, noZendeskUser));
        out.write(line("ORPHAN", null, null, null, null, null, orphans));
        out.write(line("DUPLICATE_MEMBER_ID", null, null, null, null, null, duplicateMemberIds));
        out.write(line("SOURCE_OLDER", null, null, null, null, null, sourceOlder));
        out.write(line("INACTIVE_USER", null, null, null, null, null, inactiveUsers));
        out.write(line("SOURCE_MISMATCH", null, null, null, null, null, sourceMismatches));
        out.write(line("EMAIL_CHANGED", null, null, null, null, null, emailsChanged));
        for (Drift drift : samples) {
          out.write(line(drift.kind().name(), drift.memberId(), drift.userId(), drift.field(),
              drift.zendeskValue(), drift.sourceValue(), null));
        }
      }
    } catch (IOException failed) {
      throw new UncheckedIOException("could not write the reconcile report to " + file, failed);
    }
  }

  private static String line(Object... values) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        line.append(',');
      }
      line.append(csv(values[i]));
    }
    return line.append('\n').toString();
  }

  /** RFC 4180 quoting; a leading = + - @ is quoted behind an apostrophe (no spreadsheet formula). */
  private static String csv(Object value) {
    if (value == null) {
      return "";
    }
    String text = value.toString();
    if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0 && !(value instanceof Number)) {
      text = "'" + text;
    }
    if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
      return '"' + text.replace("\"", "\"\"") + '"';
    }
    return text;
  }
}
