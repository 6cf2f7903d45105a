package io.github.zendeskloyalty.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One pass of Zendesk's incremental user export ({@code GET /incremental/users/cursor}, 1,000
 * users a page, 10 pages a minute) that learns the user id of every member pending in the SDK,
 * by primary email, and nothing else: its memory is bounded by the pending members, not by the
 * account. A member pending when the pass began and not seen by its end has no user with that
 * primary email. Members that became pending while the pass ran (a backfill still feeding the
 * SDK) may have had their user on a page already read: at the end the pass reads again, from the
 * start, as many pages as it had read when the last of them arrived, and then covers them too.
 *
 * <p>The export lists users by last change, so every user the SDK writes while the pass runs
 * comes round again after the users unchanged since it began. The first page of the pass that
 * brings back a user it already matched has reached those: everything after it changed since the
 * pass began, and the pass ends there (without waiting for the writes to come round). Called from
 * the dispatcher thread only. Not part of the API.
 */
final class UserExportScan {

  /** The largest page the export gives. */
  static final int PAGE_SIZE = ExportPages.PAGE_SIZE;
  /**
   * How long after its last page a pass still counts members that arrive as its own: a
   * backfill feeding the SDK while the pass reads, not a member that comes a day later.
   */
  static final Duration STILL_READING = Duration.ofMinutes(1);

  private final ExportPages source;
  /** The shared pass this scan reads, or null: its own. */
  private final Instant pass;
  private final PendingMembers pending;
  private final UserIds ids;
  private final Clock clock;
  private final Set<String> covered;
  private final Set<String> latecomers = new HashSet<>();
  private final Set<Long> matched = new HashSet<>();
  private String cursor;
  private boolean finished;
  /** Pages read, rereads included. */
  private int pages;
  /** The page of the pass read last (0 before the first, and before a reread). */
  private int position;
  private int pagesBeforeLastLatecomer;
  private int rereadLeft = -1;
  private Instant lastPageAt;

  /**
   * @param covered the profile keys pending and unresolved when the pass begins: those the pass
   *     can conclude about
   */
  UserExportScan(ExportPages source, PendingMembers pending, UserIds ids, Clock clock,
      Set<String> covered) {
    this.source = source;
    this.pass = source.joinPass();
    this.pending = pending;
    this.ids = ids;
    this.clock = clock;
    this.covered = covered;
  }

  /** Reads the next page, unless the pass has finished. */
  void advance() throws InterruptedException {
    if (!finished) {
      page();
    }
  }

  private void page() throws InterruptedException {
    noteLatecomers();
    JsonNode body = source.page(pass, position + 1, cursor);
    if (body == null) {
      return; // another instance still fetches it
    }
    Page page = Page.read(body);
    position++;
    pages++;
    lastPageAt = clock.instant();
    boolean comeRound = false;
    for (JsonNode user : page.users()) {
      JsonNode id = user.path("id");
      comeRound |= rereadLeft < 0 && id.canConvertToLong() && matched.contains(id.asLong());
      JsonNode email = user.path("email");
      if (email.isTextual() && user.path("active").asBoolean(true)) {
        String key = email.asText().toLowerCase(Locale.ROOT);
        if (pending.isPending(key)) {
          long userId = AnswerReader.id(user, "an exported user");
          matched.add(userId);
          ids.remember(key, userId);
        }
      }
    }
    cursor = page.afterCursor();
    boolean end = page.endOfStream() || cursor == null || comeRound;
    if (rereadLeft > 0) {
      rereadLeft--;
      finished = end || rereadLeft == 0;
    } else if (end) {
      latecomers.removeIf(key -> ids.get(key) != null);
      if (latecomers.isEmpty() || pagesBeforeLastLatecomer == 0) {
        finished = true;
      } else {
        rereadLeft = pagesBeforeLastLatecomer;
        covered.addAll(latecomers);
        cursor = null;
        position = 0;
      }
    }
  }

  /** Members pending now, unresolved, that the pass did not know of when it began. */
  private void noteLatecomers() {
    if (rereadLeft >= 0) {
      return;
    }
    boolean more = false;
    for (String key : pending.profileKeys()) {
      if (!covered.contains(key) && ids.get(key) == null && latecomers.add(key)) {
        more = true;
      }
    }
    if (more) {
      pagesBeforeLastLatecomer = pages;
    }
  }

  /**
   * Whether every member the pass began for, or saw arrive while it read (up to
   * {@link #STILL_READING} after its last page), has its user id or is no longer pending, so
   * that reading on would only serve members that came after: a pass left unfinished after a
   * backfill is not picked up again for a member that arrives a day later, but one whose
   * backfill is still arriving is not dropped for the few members it began with.
   */
  boolean servedItsMembers() {
    if (rereadLeft >= 0) {
      return false;
    }
    if (lastPageAt != null && clock.instant().isBefore(lastPageAt.plus(STILL_READING))) {
      noteLatecomers();
    }
    return Stream.concat(covered.stream(), latecomers.stream())
        .noneMatch(key -> pending.isPending(key) && ids.get(key) == null);
  }

  /** Whether the pass has read the whole account. */
  boolean finished() {
    return finished;
  }

  /** Whether a finished pass can say this member has no user (it was pending from the start). */
  boolean covers(String profileKey) {
    return finished && covered.contains(profileKey);
  }

  int pages() {
    return pages;
  }

  /** One page of the export, as {@link ExportPages#reduce} left it. */
  private record Page(JsonNode users, String afterCursor, boolean endOfStream) {

    static Page read(JsonNode body) {
      JsonNode users = AnswerReader.array(body, "users");
      boolean end = body.path("end_of_stream").asBoolean(false);
      JsonNode cursor = body.path("after_cursor");
      if (!end && !cursor.isTextual()) {
        throw new AnswerReader.Malformed("a stored export page has no 'after_cursor' before the"
            + " end of the stream");
      }
      return new Page(users, cursor.isTextual() ? cursor.asText() : null, end);
    }
  }
}
