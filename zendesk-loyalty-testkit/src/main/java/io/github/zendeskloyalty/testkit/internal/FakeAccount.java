package io.github.zendeskloyalty.testkit.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zendeskloyalty.testkit.FakeEndpoint;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Who may call the fake, and how often: the public credentials, the account's per-minute
 * window with Zendesk's rate-limit headers, the single-user write limits and the incremental
 * export's own limit. Guarded by the backend's lock. Not part of the API.
 */
final class FakeAccount {

  /** Who a request authenticated as. */
  enum Role { ADMIN, AGENT, ANONYMOUS }

  /** The public credentials the fake accepts. */
  record Credentials(String adminEmail, String adminToken, String agentEmail, String agentToken,
      String oauthToken) {}

  /** Zendesk's limit of incremental export calls per minute. */
  static final int EXPORT_REQUESTS_PER_MINUTE = 10;

  /** The header in which Zendesk reports the cursor-based export's own, account-wide limit. */
  static final String EXPORT_LIMIT_HEADER = "Zendesk-RateLimit-incremental-exports-cursor";

  private final Clock clock;
  private final String admin;
  private final String agent;
  private final String bearer;
  private final Credentials credentials;
  private int requestsPerMinute;
  private long windowStartSecond = Long.MIN_VALUE;
  private int requestsInWindow;
  private long exportWindowStartSecond = Long.MIN_VALUE;
  private int exportsInWindow;
  private Instant lastSingleUserWrite;
  private final Map<String, Deque<Instant>> singleUserWrites = new HashMap<>();

  FakeAccount(Clock clock, Credentials credentials, int requestsPerMinute) {
    this.clock = clock;
    this.credentials = credentials;
    this.admin = basic(credentials.adminEmail(), credentials.adminToken());
    this.agent = basic(credentials.agentEmail(), credentials.agentToken());
    this.bearer = "Bearer " + credentials.oauthToken();
    this.requestsPerMinute = requestsPerMinute;
  }

  private static String basic(String email, String token) {
    return "Basic " + Base64.getEncoder().encodeToString(
        (email + "/token:" + token).getBytes(StandardCharsets.UTF_8));
  }

  void requestsPerMinute(int limit) {
    this.requestsPerMinute = limit;
  }

  void clear() {
    windowStartSecond = Long.MIN_VALUE;
    requestsInWindow = 0;
    exportWindowStartSecond = Long.MIN_VALUE;
    exportsInWindow = 0;
    lastSingleUserWrite = null;
    singleUserWrites.clear();
  }

  /** The role of a request's credentials, or null when they are wrong. */
  Role role(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return Role.ANONYMOUS;
    }
    if (admin.equals(authorization) || bearer.equals(authorization)) {
      return Role.ADMIN;
    }
    return agent.equals(authorization) ? Role.AGENT : null;
  }

  /**
   * Refuses what the credentials may not do: 401 for wrong or missing credentials (but
   * {@code users/me}, which answers anyone), 403 for an agent changing user fields.
   */
  Reply authenticate(FakeEndpoint endpoint, Role role) {
    if (role == null || (role == Role.ANONYMOUS && endpoint != FakeEndpoint.SHOW_CURRENT_USER)) {
      return Reply.json(401, "{\"error\":\"Couldn't authenticate you\"}");
    }
    boolean changesFields = endpoint == FakeEndpoint.CREATE_USER_FIELD
        || endpoint == FakeEndpoint.UPDATE_USER_FIELD || endpoint == FakeEndpoint.DELETE_USER_FIELD
        || endpoint == FakeEndpoint.CREATE_TICKET_FIELD || endpoint == FakeEndpoint.CREATE_WEBHOOK
        || endpoint == FakeEndpoint.SHOW_WEBHOOK_SIGNING_SECRET
        || endpoint == FakeEndpoint.CREATE_TRIGGER || endpoint == FakeEndpoint.CREATE_MACRO;
    if (role == Role.AGENT && changesFields) {
      return Replies.error(403, "Forbidden", "You do not have access to this page. Please contact"
          + " the account owner of this help desk for further help.");
    }
    return null;
  }

  /** The user {@code GET /users/me} describes. */
  ObjectNode me(Role role, String baseUri) {
    ObjectNode user = Replies.NODES.objectNode();
    if (role == Role.ANONYMOUS) {
      user.putNull("id");
      user.putNull("url");
      user.put("name", "Anonymous user");
      user.putNull("email");
      user.put("role", "end-user");
      return user;
    }
    long id = role == Role.ADMIN ? 1 : 2;
    user.put("id", id);
    user.put("url", baseUri + "/api/v2/users/" + id + ".json");
    user.put("name", role == Role.ADMIN ? "Fake Admin" : "Fake Agent");
    user.put("email", role == Role.ADMIN ? credentials.adminEmail() : credentials.agentEmail());
    user.put("role", role == Role.ADMIN ? "admin" : "agent");
    user.put("active", true);
    user.put("verified", true);
    UserStore.DOCUMENTED_DEFAULTS.forEach((key, value) -> user.set(key, value.deepCopy()));
    user.put("restricted_agent", false); // an admin's or a plain agent's
    user.putNull("ticket_restriction");
    return user;
  }

  Instant now() {
    return clock.instant();
  }

  /** Counts a request against the account's window; a 429 with Retry-After when it is spent. */
  Reply count() {
    long second = clock.instant().getEpochSecond();
    long window = Math.floorDiv(second, 60) * 60;
    if (window != windowStartSecond) {
      windowStartSecond = window;
      requestsInWindow = 0;
    }
    if (requestsInWindow >= requestsPerMinute) {
      return Reply.text(429, "Too Many Requests")
          .header("Retry-After", String.valueOf(Math.max(1, window + 60 - second)));
    }
    requestsInWindow++;
    return null;
  }

  /** The incremental export's own limit: 10 calls per minute, besides the account's. */
  Reply countExport() {
    long second = clock.instant().getEpochSecond();
    long window = Math.floorDiv(second, 60) * 60;
    if (window != exportWindowStartSecond) {
      exportWindowStartSecond = window;
      exportsInWindow = 0;
    }
    if (exportsInWindow >= EXPORT_REQUESTS_PER_MINUTE) {
      return Reply.text(429, "Too Many Requests")
          .header("Retry-After", String.valueOf(Math.max(1, window + 60 - second)));
    }
    exportsInWindow++;
    return null;
  }

  /** Zendesk's single-user write limits: 1 per second per account, 5 per minute per user. */
  Reply singleUserLimit(String userKey) {
    Instant now = clock.instant();
    if (lastSingleUserWrite != null
        && Duration.between(lastSingleUserWrite, now).compareTo(Duration.ofSeconds(1)) < 0) {
      return Reply.text(429, "Too Many Requests").header("Retry-After", "1");
    }
    Deque<Instant> recent = singleUserWrites.computeIfAbsent(userKey, k -> new ArrayDeque<>());
    while (!recent.isEmpty() && !recent.peekFirst().plusSeconds(60).isAfter(now)) {
      recent.removeFirst();
    }
    if (recent.size() >= 5) {
      return Reply.text(429, "Rate limit for updating this user exceeded");
    }
    recent.addLast(now);
    lastSingleUserWrite = now;
    return null;
  }

  /**
   * The export's own limit as Zendesk reports it on the export's answers, 429s included:
   * {@code total=10; remaining=N; resets=S}.
   */
  Reply withExportHeader(Reply reply) {
    long second = clock.instant().getEpochSecond();
    long window = Math.floorDiv(second, 60) * 60;
    int used = window == exportWindowStartSecond ? exportsInWindow : 0;
    return reply.header(EXPORT_LIMIT_HEADER, "total=" + EXPORT_REQUESTS_PER_MINUTE
        + "; remaining=" + Math.max(0, EXPORT_REQUESTS_PER_MINUTE - used)
        + "; resets=" + Math.max(1, window + 60 - second));
  }

  /** Zendesk's rate-limit headers, on every answer. */
  Reply withHeaders(Reply reply) {
    long remaining = Math.max(0, requestsPerMinute - requestsInWindow);
    long reset = windowStartSecond + 60 - clock.instant().getEpochSecond();
    return reply.header("X-Rate-Limit", String.valueOf(requestsPerMinute))
        .header("X-Rate-Limit-Remaining", String.valueOf(remaining))
        .header("ratelimit-limit", String.valueOf(requestsPerMinute))
        .header("ratelimit-remaining", String.valueOf(remaining))
        .header("ratelimit-reset", String.valueOf(Math.max(1, reset)));
  }
}
