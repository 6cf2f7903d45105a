package io.github.zendeskloyalty.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zendeskloyalty.client.SharedExportPages;
import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.ZendeskOperation;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Where the pages of a pass of the incremental user export come from: Zendesk, or, when the
 * instances share {@link SharedExportPages}, the store, where whichever instance claimed a page
 * first put it. A store that throws or answers what cannot be read is passed by: the instance
 * fetches that page itself, warns once until the store answers again, and tells the listener.
 * Called from the dispatcher thread only. Not part of the API.
 */
final class ExportPages {

  /** The largest page the export gives. */
  static final int PAGE_SIZE = 1000;
  /** A pass begun longer ago than this is not joined: a new one begins. */
  static final Duration JOINABLE_FOR = Duration.ofMinutes(30);
  /**
   * How long a claim on a page holds: long enough to wait out the export's window (a minute at
   * most) and fetch; a claimant that dies holds its page that long.
   */
  static final Duration CLAIM = Duration.ofMinutes(2);
  /** How long the page after one fetched stays claimed for the instance that fetched it. */
  static final Duration CLAIM_AHEAD = Duration.ofSeconds(30);
  /**
   * How often, and how many times, a page another instance claimed is looked for. In real time,
   * not on the SDK's clock: what is waited for is another process's call to Zendesk.
   */
  static final Duration PEER_LOOK = Duration.ofMillis(50);
  static final int PEER_LOOKS = 20;

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.client");

  private final ZendeskHttp http;
  private final SharedExportPages shared;
  private final Clock clock;
  private final SyncListener listener;
  private boolean storeDown;
  /** The page this instance claimed ahead (see claimAhead), and of which pass; or null. */
  private Instant aheadPass;
  private int aheadPage;

  /** Pages from Zendesk, or through {@code shared} when it is not null. */
  ExportPages(ZendeskHttp http, SharedExportPages shared, Clock clock, SyncListener listener) {
    this.http = http;
    this.shared = shared;
    this.clock = clock;
    this.listener = listener;
  }

  /** The pass a new scan reads: a shared one to join, or null (its own). */
  Instant joinPass() {
    if (shared == null) {
      return null;
    }
    Instant now = clock.instant();
    try {
      Instant pass = shared.joinPass(now, now.minus(JOINABLE_FOR));
      if (pass == null) {
        throw new IllegalStateException("SharedExportPages.joinPass returned null");
      }
      answered();
      return pass;
    } catch (RuntimeException | LinkageError | StackOverflowError failure) {
      // the store is the application's code: whatever it throws costs this pass its sharing
      unavailable("joinPass", failure);
      return null;
    }
  }

  /**
   * Page {@code number} of {@code pass} (null: the instance's own), read after {@code cursor}
   * (null for the first): users with an email, each with id, email and active, the cursor after
   * it and whether the stream ended. Null when another instance still fetches it: ask again.
   */
  JsonNode page(Instant pass, int number, String cursor) throws InterruptedException {
    if (pass == null) {
      return fetch(cursor);
    }
    for (int look = 0; look <= PEER_LOOKS; look++) {
      boolean claimed;
      try {
        Optional<String> stored = shared.page(pass, number);
        if (stored.isPresent()) {
          JsonNode page = Json.MAPPER.readTree(stored.get());
          if (!wellFormed(page)) {
            throw new IllegalStateException("stored page " + number + " is not a page this SDK"
                + " stored");
          }
          answered();
          return page;
        }
        Instant now = clock.instant();
        claimed = heldAhead(pass, number) || shared.claim(pass, number, now, now.plus(CLAIM));
        answered();
      } catch (RuntimeException | LinkageError | StackOverflowError
          | JsonProcessingException failure) {
        unavailable("page " + number, failure);
        return fetch(cursor);
      }
      if (claimed) {
        JsonNode page = fetch(cursor);
        store(pass, number, page);
        claimAhead(pass, number + 1, page);
        return page;
      }
      if (look < PEER_LOOKS) {
        Thread.sleep(PEER_LOOK.toMillis());
      }
    }
    return null;
  }

  /** Whether this instance claimed that page when it stored the one before. */
  private boolean heldAhead(Instant pass, int number) {
    return pass.equals(aheadPass) && number == aheadPage;
  }

  /**
   * Claims the page after the one just fetched: the instance whose limiter has just paced the
   * export goes on with it, rather than one whose view of the export's window is older (which
   * waits out a window the pass need not wait for). An instance that does not go on holds the
   * page no longer than {@link #CLAIM_AHEAD}.
   */
  private void claimAhead(Instant pass, int next, JsonNode page) {
    aheadPass = null;
    if (page.path("end_of_stream").asBoolean(false)) {
      return;
    }
    try {
      Instant now = clock.instant();
      if (shared.claim(pass, next, now, now.plus(CLAIM_AHEAD))) {
        aheadPass = pass;
        aheadPage = next;
      }
    } catch (RuntimeException | LinkageError | StackOverflowError failure) {
      unavailable("claim of page " + next, failure);
    }
  }

  private void store(Instant pass, int number, JsonNode page) {
    try {
      shared.put(pass, number, Json.MAPPER.writeValueAsString(page),
          page.path("end_of_stream").asBoolean(false));
    } catch (RuntimeException | LinkageError | StackOverflowError
        | JsonProcessingException failure) {
      unavailable("put of page " + number, failure);
    }
  }

  /** One page from Zendesk, reduced to what a scan reads. */
  private JsonNode fetch(String cursor) throws InterruptedException {
    String path = "/incremental/users/cursor?per_page=" + PAGE_SIZE
        + (cursor == null ? "&start_time=0" : "&cursor=" + ZendeskHttp.encode(cursor));
    return http.call(ZendeskOperation.EXPORT_USERS, path, null, null,
        (status, body) -> reduce(body));
  }

  /**
   * The users with an email (id, email, active) and the cursor: a page of full users is a
   * megabyte or two, this about 60 kB.
   */
  static JsonNode reduce(JsonNode body) {
    ObjectNode page = Json.MAPPER.createObjectNode();
    ArrayNode users = page.putArray("users");
    for (JsonNode user : AnswerReader.array(body, "users")) {
      if (user.path("email").isTextual()) {
        users.addObject().put("id", AnswerReader.id(user, "an exported user"))
            .put("email", user.path("email").asText())
            .put("active", user.path("active").asBoolean(true));
      }
    }
    boolean end = body.path("end_of_stream").asBoolean(false);
    JsonNode cursor = body.path("after_cursor");
    if (!end && !cursor.isTextual()) {
      throw new AnswerReader.Malformed("no 'after_cursor' before the end of the stream");
    }
    if (cursor.isTextual()) {
      page.put("after_cursor", cursor.asText());
    }
    page.put("end_of_stream", end);
    return page;
  }

  /** Whether a stored page reads as {@link #reduce} wrote it. */
  static boolean wellFormed(JsonNode page) {
    if (page == null || !page.path("users").isArray()
        || !page.path("end_of_stream").isBoolean()
        || !(page.path("end_of_stream").asBoolean() || page.path("after_cursor").isTextual())) {
      return false;
    }
    for (JsonNode user : page.path("users")) {
      if (!user.path("id").canConvertToLong() || !user.path("email").isTextual()
          || !user.path("active").isBoolean()) {
        return false;
      }
    }
    return true;
  }

  private void unavailable(String call, Throwable failure) {
    boolean first = !storeDown;
    storeDown = true;
    LOG.log(first ? Level.WARNING : Level.DEBUG, "SharedExportPages " + call + " failed; this"
        + " instance reads the export's pages itself until the store answers"
        + (first ? " (failures until then are logged at DEBUG)" : ""), failure);
    listener.onExportPagesUnavailable(failure);
  }

  private void answered() {
    if (storeDown) {
      storeDown = false;
      LOG.log(Level.INFO, "SharedExportPages answered again: export pages are shared again");
    }
  }
}
