package io.github.zendeskloyalty.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.zendeskloyalty.client.IdentityPolicy;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskOperation;
import io.github.zendeskloyalty.core.internal.Redaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finds the Zendesk user id of members, with a bounded cache: {@code show_many} by external id
 * (up to 100 ids a call, split so no URL grows too long), or search by email or by one external
 * id. Answers are read strictly: a lookup whose answer cannot be read fails its members, and
 * never reads as "no such user". Refuses ambiguous matches. Thread-safe. Not part of the API.
 */
final class UserDirectory {

  /** Zendesk's limit of ids per {@code show_many}. */
  static final int MAX_IDS_PER_LOOKUP = 100;
  /** The longest encoded id list put in one URL. */
  static final int MAX_QUERY_CHARS = 4_000;

  /**
   * The members of a batch split by whether Zendesk has a user for them, and those whose user
   * the export has not reached yet (only under email identity, while a pass of the export runs).
   */
  public record Resolution(Map<PendingUpdate, Long> found, List<PendingUpdate> missing,
      List<PendingUpdate> notYetKnown) {}

  /** A user as a lookup answered it. */
  private record UserRef(long id, String email, String externalId) {}

  /**
   * Fewest unresolved pending members for which a pass of the export is considered: below ten,
   * searching costs at most ten calls, and counting the account's users is not worth a call.
   */
  static final int MIN_MEMBERS_FOR_EXPORT = 10;
  /** How long a count of the account's users is trusted. */
  static final Duration COUNT_VALID_FOR = Duration.ofMinutes(10);

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.client");

  private final ZendeskHttp http;
  private final ExportPages exportPages;
  private final IdentityPolicy identity;
  private final boolean absenceNeedsSearch;
  private final Clock clock;
  private final UserIds ids;
  private volatile PendingMembers pending = PendingMembers.NONE;
  private volatile UserExportScan scan;
  private long accountUsers = -1;
  private Instant countedAt;
  private final AtomicLong stillToCome = new AtomicLong();

  /**
   * A directory remembering up to {@code cacheSize} user ids.
   *
   * @param absenceNeedsSearch whether a member the export did not find must still be searched
   *     before it counts as missing (its email may be a secondary identity): when missing means
   *     skipped; when missing means create-or-update, which matches any identity, it need not
   */
  public UserDirectory(ZendeskHttp http, ExportPages exportPages, IdentityPolicy identity,
      boolean absenceNeedsSearch, Clock clock, int cacheSize) {
    this.http = http;
    this.exportPages = exportPages;
    this.identity = identity;
    this.absenceNeedsSearch = absenceNeedsSearch;
    this.clock = clock;
    this.ids = new UserIds(cacheSize);
  }

  /** What the engine holds pending, for the export scan. */
  public void watch(PendingMembers pending) {
    this.pending = pending;
  }

  /**
   * Counts members a backfill has announced and not yet queued ({@code members} more, or fewer
   * when negative): they weigh in the choice between the export and a search each, so the first
   * batches of a backfill still arriving are not searched one by one.
   */
  public void expect(long members) {
    stillToCome.addAndGet(members);
  }

  /** Remembers a member's user id, learnt from a write, by its profile key. */
  public void remember(String profileKey, long userId) {
    ids.remember(profileKey, userId);
  }

  /** Forgets a member's user id, for example after Zendesk no longer knew it. */
  public void forget(String profileKey) {
    ids.forget(profileKey);
  }

  /**
   * Whether a member can be written without waiting for the export: no pass of it runs, or the
   * member's user id is known.
   */
  public boolean resolvesAtOnce(String profileKey) {
    return scan == null || cached(profileKey) != null;
  }

  /** The cached user id of a profile key, or null. */
  public Long cached(String profileKey) {
    return ids.get(profileKey);
  }

  /**
   * Resolves each update's user id. Members whose lookup failed or matched several users get a
   * failure in {@code outcomes} and are in no list. While a pass of the export runs, one call
   * reads at most one page of it: members it has not reached yet are {@code notYetKnown}, so
   * the caller can write the members already known first.
   */
  public Resolution resolve(List<PendingUpdate> batch, Outcomes outcomes)
      throws InterruptedException {
    Map<PendingUpdate, Long> found = new LinkedHashMap<>();
    List<PendingUpdate> missing = new ArrayList<>();
    List<PendingUpdate> notYetKnown = new ArrayList<>();
    List<PendingUpdate> unknown = new ArrayList<>();
    for (PendingUpdate update : batch) {
      Long id = cached(update.profileKey());
      if (id != null) {
        found.put(update, id);
      } else {
        unknown.add(update);
      }
    }
    Resolver resolver = new Resolver(found, missing, notYetKnown, outcomes);
    if (identity == IdentityPolicy.EXTERNAL_ID) {
      resolver.byExternalIds(unknown);
    } else {
      resolver.byEmails(unknown);
    }
    return new Resolution(found, missing, notYetKnown);
  }

  /**
   * Whether one pass of the export ({@code ceil(users / 1000)} calls at 10 a minute) resolves
   * the unresolved pending members, and those a backfill has announced, sooner than a search
   * each (at the account's rate).
   */
  private boolean exportPays() throws InterruptedException {
    long unresolved = pending.profileKeys().stream().filter(key -> cached(key) == null).count()
        + Math.max(0, stillToCome.get());
    if (unresolved < MIN_MEMBERS_FOR_EXPORT) {
      return false;
    }
    long users = accountUsers();
    if (users < 0) {
      return false;
    }
    double exportMinutes = Math.ceil(users / (double) UserExportScan.PAGE_SIZE)
        / http.exportRequestsPerMinute();
    double searchMinutes = unresolved / (double) http.accountRequestsPerMinute();
    return exportMinutes < searchMinutes;
  }

  /** Zendesk's count of the account's users, asked at most every ten minutes; -1 if unknown. */
  private long accountUsers() throws InterruptedException {
    Instant now = clock.instant();
    if (countedAt == null || !now.isBefore(countedAt.plus(COUNT_VALID_FOR))) {
      try {
        accountUsers = http.call(ZendeskOperation.COUNT_USERS, "/users/count", null, null,
            (status, body) -> {
              JsonNode value = AnswerReader.object(body, "count").path("value");
              if (!value.canConvertToLong()) {
                throw new AnswerReader.Malformed("no count 'value'");
              }
              return value.asLong();
            });
      } catch (ZendeskException failure) {
        LOG.log(System.Logger.Level.DEBUG, () -> "could not count users; searching instead: "
            + failure.getMessage());
        accountUsers = -1;
      }
      countedAt = now;
    }
    return accountUsers;
  }

  /** One resolution's results. */
  private final class Resolver {
    private final Map<PendingUpdate, Long> found;
    private final List<PendingUpdate> missing;
    private final List<PendingUpdate> notYetKnown;
    private final Outcomes outcomes;

    Resolver(Map<PendingUpdate, Long> found, List<PendingUpdate> missing,
        List<PendingUpdate> notYetKnown, Outcomes outcomes) {
      this.found = found;
      this.missing = missing;
      this.notYetKnown = notYetKnown;
      this.outcomes = outcomes;
    }

    /**
     * Ids that fit a list go by {@code show_many}, in chunks; an id with a comma (the list's
     * separator) or too long for a list is searched alone, so it can only fail itself.
     */
    void byExternalIds(List<PendingUpdate> unknown) throws InterruptedException {
      List<List<PendingUpdate>> chunks = new ArrayList<>();
      List<PendingUpdate> chunk = new ArrayList<>();
      int chars = 0;
      for (PendingUpdate update : unknown) {
        String encoded = ZendeskHttp.encode(update.memberId());
        if (update.memberId().indexOf(',') >= 0 || encoded.length() > MAX_QUERY_CHARS) {
          byExternalId(update);
          continue;
        }
        if (chunk.size() == MAX_IDS_PER_LOOKUP || chars + encoded.length() + 3 > MAX_QUERY_CHARS) {
          chunks.add(chunk);
          chunk = new ArrayList<>();
          chars = 0;
        }
        chunk.add(update);
        chars += encoded.length() + 3;
      }
      if (!chunk.isEmpty()) {
        chunks.add(chunk);
      }
      for (List<PendingUpdate> ids : chunks) {
        showMany(ids);
      }
    }

    private void showMany(List<PendingUpdate> chunk) throws InterruptedException {
      List<String> ids = chunk.stream().map(PendingUpdate::memberId).toList();
      List<UserRef> users;
      try {
        users = http.call(ZendeskOperation.SHOW_MANY_USERS,
            "/users/show_many?external_ids=" + ZendeskHttp.encode(String.join(",", ids)), null,
            null,
            (status, body) -> users(body));
      } catch (ZendeskException failure) {
        if (chunk.size() > 1 && Failures.isRequestProblem(failure)) {
          for (PendingUpdate update : chunk) {
            byExternalId(update);
          }
        } else {
          outcomes.failUnsettled(chunk, failure);
        }
        return;
      }
      for (PendingUpdate update : chunk) {
        settle(update, users.stream()
                .filter(user -> update.memberId().equalsIgnoreCase(user.externalId())).toList(),
            "external_id " + update.memberId());
      }
    }

    private void byExternalId(PendingUpdate update) throws InterruptedException {
      List<UserRef> users = search(update,
          "external_id=" + ZendeskHttp.encode(update.memberId()));
      if (users != null) {
        settle(update, users.stream()
                .filter(user -> update.memberId().equalsIgnoreCase(user.externalId())).toList(),
            "external_id " + update.memberId());
      }
    }

    /**
     * Many unknown members (a backfill, a cold start): one pass of the export, a page per call;
     * a few: a search each. Members the finished pass cannot conclude about are searched.
     */
    void byEmails(List<PendingUpdate> unknown) throws InterruptedException {
      if (unknown.isEmpty()) {
        return;
      }
      UserExportScan pass = scan;
      if (pass != null && pass.servedItsMembers()) {
        pass = null;
        scan = null;
      }
      if (pass == null && exportPays()) {
        Set<String> unresolved = new HashSet<>();
        pending.profileKeys().stream().filter(key -> cached(key) == null)
            .forEach(unresolved::add);
        pass = new UserExportScan(exportPages, pending, ids, clock, unresolved);
        scan = pass;
      }
      if (pass == null) {
        searchEach(unknown);
        return;
      }
      try {
        pass.advance();
      } catch (ZendeskException failure) {
        LOG.log(System.Logger.Level.WARNING, () -> "the incremental user export failed;"
            + " searching members one by one: " + failure.getMessage());
        scan = null;
        searchEach(unknown);
        return;
      }
      if (pass.finished()) {
        scan = null;
      }
      List<PendingUpdate> toSearch = new ArrayList<>();
      for (PendingUpdate update : unknown) {
        Long id = cached(update.profileKey());
        if (id != null) {
          found.put(update, id);
        } else if (!pass.finished()) {
          notYetKnown.add(update);
        } else if (pass.covers(update.profileKey()) && !absenceNeedsSearch) {
          missing.add(update);
        } else {
          toSearch.add(update);
        }
      }
      searchEach(toSearch);
    }

    private void searchEach(List<PendingUpdate> updates) throws InterruptedException {
      for (PendingUpdate update : updates) {
        byEmail(update);
      }
    }

    private void byEmail(PendingUpdate update) throws InterruptedException {
      String email = update.member().email();
      List<UserRef> users = search(update, "query=" + ZendeskHttp.encode("email:" + email));
      if (users != null) {
        settle(update, users.stream().filter(user -> email.equalsIgnoreCase(user.email())).toList(),
            "email " + Redaction.maskEmail(email));
      }
    }

    /** The users a search found, or null when it failed (the member then has its failure). */
    private List<UserRef> search(PendingUpdate update, String query) throws InterruptedException {
      try {
        return http.call(ZendeskOperation.SEARCH_USERS, "/users/search?" + query, null, null,
            (status, body) -> users(body));
      } catch (ZendeskException failure) {
        outcomes.failed(update, failure);
        return null;
      }
    }

    private void settle(PendingUpdate update, List<UserRef> matches, String what) {
      if (matches.isEmpty()) {
        missing.add(update);
      } else if (matches.size() == 1) {
        remember(update.profileKey(), matches.get(0).id());
        found.put(update, matches.get(0).id());
      } else {
        outcomes.failed(update, new ZendeskException("member " + update.memberId() + " matches "
            + matches.size() + " Zendesk users by " + what + " (ids "
            + matches.stream().map(UserRef::id).toList() + "); refusing to guess. Merge the"
            + " users in Zendesk or use another identity policy.",
            ZendeskException.Answer.code("AmbiguousUser"), null));
      }
    }
  }

  /** The users of a lookup answer; every one must have a numeric id. */
  private static List<UserRef> users(JsonNode body) {
    List<UserRef> users = new ArrayList<>();
    for (JsonNode user : AnswerReader.array(body, "users")) {
      if (!user.isObject()) {
        throw new AnswerReader.Malformed("an entry of 'users' that is not an object");
      }
      users.add(new UserRef(AnswerReader.id(user, "a user"), textOrNull(user, "email"),
          textOrNull(user, "external_id")));
    }
    return users;
  }

  private static String textOrNull(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() ? value.asText() : null;
  }
}
