package io.github.zendeskloyalty.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.zendeskloyalty.client.IdentityPolicy;
import io.github.zendeskloyalty.client.MemberSource;
import io.github.zendeskloyalty.client.ReconcileOptions;
import io.github.zendeskloyalty.client.ReconcileReport;
import io.github.zendeskloyalty.client.ReconcileReport.Drift;
import io.github.zendeskloyalty.client.ReconcileReport.DriftKind;
import io.github.zendeskloyalty.client.SyncSummary;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskOperation;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyAttribute;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.ZendeskFieldType;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * One reconcile: reads the account's users once through the incremental user export, compares
 * each user carrying a member id with the source's snapshot of that member, field by field as
 * Zendesk stores the field's type, and writes the members that differ through the SDK's own
 * pipeline (newest-snapshot-wins and every limit hold); then streams the source once for the
 * members no user carries. Holds a page of users, their members and the member ids seen (to
 * find duplicates and the members no user carries). Not part of the API.
 */
public final class Reconciliation {

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.client");
  /** Members written (or looked for) at once in the second pass. */
  static final int WRITE_CHUNK = 1000;
  /**
   * Drifted members gathered across pages before they are written: a full bulk call. They are
   * looked up again just before (the source may have moved on since their page).
   */
  static final int DRIFTED_BATCH = 100;

  private final ZendeskHttp http;
  private final FieldSchema schema;
  private final IdentityPolicy identity;
  /** Told each drifted member's user id from the export, so no write searches for it. */
  private final UserDirectory directory;
  private Function<List<LoyaltyMember>, CompletableFuture<SyncSummary>> writer;

  Reconciliation(ZendeskHttp http, FieldSchema schema, IdentityPolicy identity,
      UserDirectory directory) {
    this.directory = directory;
    this.http = http;
    this.schema = schema;
    this.identity = identity;
  }

  /**
   * Runs a reconcile against {@code source}, writing through {@code writer} (the SDK's
   * {@code syncAll}). One at a time.
   */
  public synchronized ReconcileReport run(MemberSource source, ReconcileOptions options,
      Function<List<LoyaltyMember>, CompletableFuture<SyncSummary>> writer)
      throws InterruptedException {
    this.writer = writer;
    String memberIdKey = schema.field(LoyaltyAttribute.MEMBER_ID).map(FieldSchema.Field::key)
        .orElse(null);
    if (memberIdKey == null && identity != IdentityPolicy.EXTERNAL_ID) {
      throw new IllegalStateException("reconcile tells a user's member by its member id field,"
          + " which this schema excludes; include LoyaltyAttribute.MEMBER_ID or use"
          + " IdentityPolicy.EXTERNAL_ID");
    }
    ReconcileState loaded = options.checkpoint() != null
        ? ReconcileState.load(options.checkpoint()) : null;
    boolean resumed = loaded != null;
    ReconcileState state = resumed ? loaded : new ReconcileState();
    if (!resumed) {
      state.accountUsers = accountUsers();
    }
    Tally tally = new Tally(state, options, resumed);
    Set<Long> usersSeen = new HashSet<>(); // the export hands back a user the run wrote
    while (!state.exportDone) {
      JsonNode page = page(state.cursor);
      List<JsonNode> users = new ArrayList<>();
      for (JsonNode user : page.path("users")) {
        Long id = userId(user);
        if (id == null || usersSeen.add(id)) {
          users.add(user);
        }
      }
      List<String> idsOfPage = comparePage(users, memberIdKey, source, tally);
      if (state.pendingIds.size() >= DRIFTED_BATCH) {
        writeDrifted(source, tally, options.dryRun(), false);
      }
      JsonNode cursor = page.path("after_cursor");
      state.cursor = cursor.isTextual() ? cursor.asText() : null;
      state.exportDone = page.path("end_of_stream").asBoolean(false) || state.cursor == null;
      state.pagesRead++;
      state.usersRead += users.size();
      if (options.checkpoint() != null) {
        state.save(options.checkpoint(), idsOfPage);
      }
      options.progress().accept(tally.report());
    }
    writeDrifted(source, tally, options.dryRun(), true);
    List<LoyaltyMember> missing = new ArrayList<>();
    List<InterruptedException> interrupted = new ArrayList<>();
    source.forEach(member -> {
      if (!interrupted.isEmpty() || state.seen.contains(member.memberId())) {
        return;
      }
      tally.noZendeskUser(member);
      missing.add(member);
      if (missing.size() == WRITE_CHUNK) {
        try {
          tally.written(write(missing, options.dryRun()), missing.size(), options.dryRun());
        } catch (InterruptedException stop) {
          interrupted.add(stop);
        }
        missing.clear();
      }
    });
    if (!interrupted.isEmpty()) {
      throw interrupted.get(0);
    }
    if (!missing.isEmpty()) {
      tally.written(write(missing, options.dryRun()), missing.size(), options.dryRun());
    }
    if (options.checkpoint() != null) {
      ReconcileState.delete(options.checkpoint());
    }
    ReconcileReport report = tally.report();
    options.progress().accept(report);
    return report;
  }

  /** Compares a page's users with their members; those that differ wait to be written. */
  private List<String> comparePage(List<JsonNode> users, String memberIdKey,
      MemberSource source, Tally tally) {
    Map<String, JsonNode> byMember = new LinkedHashMap<>();
    for (JsonNode user : users) {
      String memberId = memberId(user, memberIdKey);
      if (memberId == null) {
        continue;
      }
      tally.state.loyaltyUsers++;
      if (!user.path("active").asBoolean(true)) { // deleted: the export still hands it out
        tally.inactive(memberId, user);
        tally.state.seen.add(memberId);
        continue;
      }
      if (tally.state.seen.contains(memberId) || byMember.containsKey(memberId)) {
        tally.duplicate(memberId, user);
      } else {
        byMember.put(memberId, user);
      }
    }
    Map<String, LoyaltyMember> members = byMember.isEmpty() ? Map.of()
        : source.lookup(Set.copyOf(byMember.keySet()));
    for (Map.Entry<String, JsonNode> entry : byMember.entrySet()) {
      LoyaltyMember member = members.get(entry.getKey());
      JsonNode user = entry.getValue();
      if (member == null) {
        tally.orphan(entry.getKey(), user);
        continue;
      }
      if (!entry.getKey().equals(member.memberId())) {
        tally.mismatch(entry.getKey(), member, user);
        continue;
      }
      if (movedEmail(member, user)) {
        tally.emailChanged(member, user);
        continue;
      }
      List<Drift> drifts = differences(member, user);
      if (drifts.isEmpty()) {
        continue;
      }
      if (zendeskIsNewer(member, user)) {
        tally.sourceOlder(member, user);
      } else {
        tally.differs(drifts);
        tally.state.pendingIds.add(member.memberId());
        Long userId = userId(user);
        String key = identity == IdentityPolicy.EMAIL ? member.email() : member.memberId();
        if (userId != null && key != null) {
          directory.remember(key.toLowerCase(java.util.Locale.ROOT), userId); // its profile key
        }
      }
    }
    tally.state.seen.addAll(byMember.keySet());
    return List.copyOf(byMember.keySet());
  }

  /**
   * Under e-mail identity, whether the source gives the member another e-mail than its user's:
   * writing it would create a second profile under the new e-mail (Zendesk matches by e-mail,
   * and a user's primary e-mail is not changed by a write).
   */
  private boolean movedEmail(LoyaltyMember member, JsonNode user) {
    String held = user.path("email").asText(null);
    return identity == IdentityPolicy.EMAIL && member.email() != null && held != null
        && !held.equalsIgnoreCase(member.email().strip());
  }

  /**
   * Writes the drifted members gathered so far, as the source has them now: in whole bulk calls
   * while the export goes on ({@code all} false keeps the rest for the next), every one at the
   * end.
   */
  private void writeDrifted(MemberSource source, Tally tally, boolean dryRun, boolean all)
      throws InterruptedException {
    List<String> pending = tally.state.pendingIds;
    int now = all ? pending.size() : pending.size() / DRIFTED_BATCH * DRIFTED_BATCH;
    if (now == 0) {
      return;
    }
    List<String> ids = pending.subList(0, now);
    List<LoyaltyMember> members = dryRun ? List.of() : asked(source, Set.copyOf(ids));
    tally.written(write(members, dryRun), dryRun ? ids.size() : members.size(), dryRun);
    ids.clear();
  }

  /**
   * The members the source answers for {@code ids}: only those asked for, each under its own
   * id; what else it answers is left out (logged), never written.
   */
  private static List<LoyaltyMember> asked(MemberSource source, Set<String> ids) {
    List<LoyaltyMember> members = new ArrayList<>();
    int leftOut = 0;
    for (Map.Entry<String, LoyaltyMember> found : source.lookup(ids).entrySet()) {
      LoyaltyMember member = found.getValue();
      if (ids.contains(found.getKey()) && member != null
          && found.getKey().equals(member.memberId())) {
        members.add(member);
      } else {
        leftOut++;
      }
    }
    if (leftOut > 0) {
      LOG.log(System.Logger.Level.WARNING, "MemberSource.lookup answered " + leftOut
          + " members not asked for, or under another member's id; they are not written");
    }
    return members;
  }

  private SyncSummary write(List<LoyaltyMember> members, boolean dryRun)
      throws InterruptedException {
    if (dryRun) {
      return null;
    }
    try {
      return writer.apply(List.copyOf(members)).get();
    } catch (ExecutionException never) { // syncAll never completes exceptionally
      throw new IllegalStateException("the SDK's backfill failed", never.getCause());
    }
  }

  private String memberId(JsonNode user, String memberIdKey) {
    JsonNode id = memberIdKey != null ? user.path("user_fields").path(memberIdKey)
        : user.path("external_id");
    return id.isTextual() && !id.asText().isBlank() ? id.asText() : null;
  }

  /** The fields whose value in Zendesk is not what the SDK would write for {@code member}. */
  private List<Drift> differences(LoyaltyMember member, JsonNode user) {
    List<Drift> drifts = new ArrayList<>();
    Map<String, Object> expected = schema.userFields(member);
    JsonNode held = user.path("user_fields");
    for (FieldSchema.Field field : schema.fields()) {
      Object want = expected.get(field.key());
      JsonNode have = held.path(field.key());
      if (!sameAsStored(field.type(), want, have)) {
        drifts.add(new Drift(DriftKind.FIELD_DIFFERS, member.memberId(), userId(user),
            field.key(), have.isNull() || have.isMissingNode() ? null : have.asText(),
            want == null ? null : want instanceof BigDecimal decimal ? decimal.toPlainString()
                : want.toString()));
      }
    }
    return drifts;
  }

  /**
   * Whether Zendesk's value is the one the SDK would write, compared as Zendesk stores the
   * field's type: numbers by value, dates by day, checkboxes as booleans, text exactly; absent
   * and null are equal.
   */
  static boolean sameAsStored(ZendeskFieldType type, Object want, JsonNode have) {
    boolean absent = have.isNull() || have.isMissingNode();
    if (want == null || absent) {
      return want == null && absent;
    }
    switch (type) {
      case DECIMAL, INTEGER -> {
        try {
          BigDecimal held = have.isNumber() ? have.decimalValue() : new BigDecimal(have.asText());
          return held.compareTo(new BigDecimal(want.toString())) == 0;
        } catch (NumberFormatException notANumber) {
          return false;
        }
      }
      case DATE -> {
        return day(have.asText()).equals(day(want.toString()));
      }
      case CHECKBOX -> {
        return have.isBoolean() && have.asBoolean() == Boolean.parseBoolean(want.toString());
      }
      default -> {
        return have.isTextual() && have.asText().equals(want.toString());
      }
    }
  }

  /** The day of a date or date-time text (its first ten characters, YYYY-MM-DD). */
  private static String day(String text) {
    return text.length() >= 10 ? text.substring(0, 10) : text;
  }

  /**
   * Whether Zendesk holds a snapshot modified later than the source's: by the full timestamp
   * when Zendesk's value has one, else (a date field) by day.
   */
  private boolean zendeskIsNewer(LoyaltyMember member, JsonNode user) {
    String key = schema.field(LoyaltyAttribute.LAST_MODIFIED_DATE).map(FieldSchema.Field::key)
        .orElse(null);
    if (key == null || member.lastModifiedDate() == null) {
      return false;
    }
    JsonNode held = user.path("user_fields").path(key);
    if (!held.isTextual() || held.asText().length() < 10) {
      return false;
    }
    if (held.asText().length() > 10) {
      try {
        return java.time.OffsetDateTime.parse(held.asText()).toInstant()
            .isAfter(member.lastModifiedDate());
      } catch (java.time.format.DateTimeParseException notATimestamp) {
        // compared by its day below
      }
    }
    String sourceDay = member.lastModifiedDate().atOffset(ZoneOffset.UTC).toLocalDate().toString();
    return day(held.asText()).compareTo(sourceDay) > 0;
  }

  /** Zendesk's count of the account's users, for progress; -1 when it cannot say. */
  private long accountUsers() throws InterruptedException {
    try {
      return http.call(ZendeskOperation.COUNT_USERS, "/users/count", null, null,
          (status, body) -> {
            JsonNode value = AnswerReader.object(body, "count").path("value");
            if (!value.canConvertToLong()) {
              throw new AnswerReader.Malformed("no count 'value'");
            }
            return value.asLong();
          });
    } catch (ZendeskException failure) {
      return -1;
    }
  }

  private static Long userId(JsonNode user) {
    return user.path("id").canConvertToLong() ? user.path("id").asLong() : null;
  }

  /** A page of the export, checked: its users, and a cursor unless the stream ended. */
  private JsonNode page(String cursor) throws InterruptedException {
    String path = "/incremental/users/cursor?per_page=" + ExportPages.PAGE_SIZE
        + (cursor == null ? "&start_time=0" : "&cursor=" + ZendeskHttp.encode(cursor));
    return http.call(ZendeskOperation.EXPORT_USERS, path, null, null, (status, body) -> {
      AnswerReader.array(body, "users");
      if (!body.path("end_of_stream").asBoolean(false) && !body.path("after_cursor").isTextual()) {
        throw new AnswerReader.Malformed("no 'after_cursor' before the end of the stream");
      }
      return body;
    });
  }

  /** The counts and samples of a run, over its state (which a checkpoint keeps). */
  private static final class Tally {
    private final ReconcileState state;
    private final ReconcileOptions options;
    private final boolean resumed;

    Tally(ReconcileState state, ReconcileOptions options, boolean resumed) {
      this.state = state;
      this.options = options;
      this.resumed = resumed;
    }

    void duplicate(String memberId, JsonNode user) {
      state.duplicates++;
      sample(new Drift(DriftKind.DUPLICATE_MEMBER_ID, memberId, userId(user), null, null, null));
    }

    void orphan(String memberId, JsonNode user) {
      state.orphans++;
      sample(new Drift(DriftKind.ORPHAN, memberId, userId(user), null, null, null));
    }

    /** The source answered another member under the asked id: neither compared nor written. */
    void mismatch(String asked, LoyaltyMember member, JsonNode user) {
      state.sourceMismatches++;
      sample(new Drift(DriftKind.SOURCE_MISMATCH, asked, userId(user), "member_id", asked,
          member.memberId()));
    }

    /** The source moved the member to another e-mail: neither written (a second profile). */
    void emailChanged(LoyaltyMember member, JsonNode user) {
      state.emailsChanged++;
      sample(new Drift(DriftKind.EMAIL_CHANGED, member.memberId(), userId(user), "email",
          user.path("email").asText(null), member.email()));
    }

    /** A deleted user carries the member id: neither written. */
    void inactive(String memberId, JsonNode user) {
      state.inactiveUsers++;
      sample(new Drift(DriftKind.INACTIVE_USER, memberId, userId(user), null, null, null));
    }

    void sourceOlder(LoyaltyMember member, JsonNode user) {
      state.sourceOlder++;
      sample(new Drift(DriftKind.SOURCE_OLDER, member.memberId(), userId(user), null, null,
          null));
    }

    void differs(List<Drift> drifts) {
      state.membersDiffering++;
      for (Drift drift : drifts) {
        state.fieldsDiffering.merge(drift.field(), 1L, Long::sum);
        sample(drift);
      }
    }

    void noZendeskUser(LoyaltyMember member) {
      state.noZendeskUser++;
      sample(new Drift(DriftKind.NO_ZENDESK_USER, member.memberId(), null, null, null, null));
    }

    /** Counts what Zendesk confirmed (created or updated), or, in a dry run, what would go. */
    void written(SyncSummary summary, int members, boolean dryRun) {
      if (dryRun || summary == null) {
        state.written += dryRun ? members : 0;
        return;
      }
      state.written += summary.created() + summary.updated();
      state.writeFailed += summary.failures().size();
    }

    private void sample(Drift drift) {
      long ofKind = state.samples.stream().filter(kept -> kept.kind() == drift.kind()).count();
      if (ofKind < options.samplesPerKind()) {
        state.samples.add(drift);
      }
    }

    ReconcileReport report() {
      return new ReconcileReport(options.dryRun(), state.accountUsers, state.pagesRead, state.usersRead,
          state.loyaltyUsers, state.fieldsDiffering, state.membersDiffering, state.noZendeskUser,
          state.orphans, state.duplicates, state.sourceOlder, state.inactiveUsers,
          state.sourceMismatches, state.emailsChanged, state.written, state.writeFailed,
          resumed, state.samples);
    }
  }
}
