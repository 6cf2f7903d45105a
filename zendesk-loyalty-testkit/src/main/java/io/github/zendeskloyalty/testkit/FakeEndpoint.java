package io.github.zendeskloyalty.testkit;

/**
 * The Zendesk endpoints {@link FakeZendesk} serves, to aim faults and read the journal. The names
 * are those of the client's {@code ZendeskOperation} where both exist, with the same method and
 * path template.
 *
 * <pre>{@code
 * fake.failNext(2, FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS, FakeFault.status(503));
 * fake.requests(FakeEndpoint.UPDATE_MANY_USERS).size();
 * }</pre>
 */
public enum FakeEndpoint {
  /** {@code GET /api/v2/users/me}: the authenticated user. */
  SHOW_CURRENT_USER("GET", "/users/me"),
  /** {@code GET /api/v2/users/show_many?ids=...} or {@code ?external_ids=...}. */
  SHOW_MANY_USERS("GET", "/users/show_many"),
  /** {@code GET /api/v2/users/search?query=...} or {@code ?external_id=...}. */
  SEARCH_USERS("GET", "/users/search"),
  /** {@code GET /api/v2/users/count}: {@code {"count": {"value": n, "refreshed_at": ...}}}. */
  COUNT_USERS("GET", "/users/count"),
  /** {@code POST /api/v2/users/create_or_update}: a single-user endpoint. */
  CREATE_OR_UPDATE_USER("POST", "/users/create_or_update"),
  /** {@code POST /api/v2/users/create_or_update_many}: 403 while bulk import is off. */
  CREATE_OR_UPDATE_MANY_USERS("POST", "/users/create_or_update_many"),
  /** {@code PUT /api/v2/users/update_many}, with a users array or {@code ?ids=}/{@code ?external_ids=}. */
  UPDATE_MANY_USERS("PUT", "/users/update_many"),
  /** {@code GET /api/v2/users/{id}}. */
  SHOW_USER("GET", "/users/{id}"),
  /** {@code PUT /api/v2/users/{id}}: a single-user endpoint. */
  UPDATE_USER("PUT", "/users/{id}"),
  /** {@code GET /api/v2/incremental/users/cursor}: the incremental user export. */
  EXPORT_USERS("GET", "/incremental/users/cursor"),
  /** {@code GET /api/v2/job_statuses/show_many?ids=...}. */
  SHOW_MANY_JOB_STATUSES("GET", "/job_statuses/show_many"),
  /** {@code GET /api/v2/job_statuses/{id}}. */
  SHOW_JOB_STATUS("GET", "/job_statuses/{id}"),
  /** {@code GET /api/v2/user_fields}: offset pages, or cursor pages with {@code page[size]}. */
  LIST_USER_FIELDS("GET", "/user_fields"),
  /** {@code POST /api/v2/user_fields}. */
  CREATE_USER_FIELD("POST", "/user_fields"),
  /** {@code GET /api/v2/user_fields/{id}} (an id or a key). */
  SHOW_USER_FIELD("GET", "/user_fields/{id}"),
  /** {@code PUT /api/v2/user_fields/{id}}. */
  UPDATE_USER_FIELD("PUT", "/user_fields/{id}"),
  /** {@code DELETE /api/v2/user_fields/{id}}. */
  DELETE_USER_FIELD("DELETE", "/user_fields/{id}"),
  /** {@code GET /api/v2/tickets/{id}}. */
  SHOW_TICKET("GET", "/tickets/{id}"),
  /** {@code PUT /api/v2/tickets/{id}}: custom fields and a comment (an internal note). */
  UPDATE_TICKET("PUT", "/tickets/{id}"),
  /** {@code GET /api/v2/ticket_fields}. */
  LIST_TICKET_FIELDS("GET", "/ticket_fields"),
  /** {@code POST /api/v2/ticket_fields}. */
  CREATE_TICKET_FIELD("POST", "/ticket_fields"),
  /** {@code GET /api/v2/webhooks}. */
  LIST_WEBHOOKS("GET", "/webhooks"),
  /** {@code POST /api/v2/webhooks}. */
  CREATE_WEBHOOK("POST", "/webhooks"),
  /** {@code GET /api/v2/webhooks/{id}/signing_secret}. */
  SHOW_WEBHOOK_SIGNING_SECRET("GET", "/webhooks/{id}/signing_secret"),
  /** {@code GET /api/v2/triggers}. */
  LIST_TRIGGERS("GET", "/triggers"),
  /** {@code POST /api/v2/triggers}. */
  CREATE_TRIGGER("POST", "/triggers"),
  /** {@code GET /api/v2/macros}. */
  LIST_MACROS("GET", "/macros"),
  /** {@code POST /api/v2/macros}. */
  CREATE_MACRO("POST", "/macros"),
  /** {@code GET /api/v2/oauth/tokens/current}: the OAuth token of the call. */
  SHOW_CURRENT_OAUTH_TOKEN("GET", "/oauth/tokens/current"),
  /** {@code DELETE /api/v2/oauth/tokens/current}: revokes the call's token and its refresh token. */
  REVOKE_CURRENT_OAUTH_TOKEN("DELETE", "/oauth/tokens/current"),
  /**
   * {@code POST /oauth/tokens} at the account's root (not below {@code /api/v2}): the OAuth
   * token endpoint. A fault aimed at {@link #ANY} does not hit it: aim at it by name.
   */
  OAUTH_TOKENS("POST", "/oauth/tokens", true),
  /**
   * {@code GET /oauth/authorizations/new} at the account's root: the authorization page, which
   * the fake answers as an admin who approves (a redirect with {@code code} and {@code state}).
   * Not hit by faults aimed at {@link #ANY}.
   */
  OAUTH_AUTHORIZE("GET", "/oauth/authorizations/new", true),
  /** Any path the fake does not serve (answered 404); as a fault target, every API endpoint. */
  ANY("*", "*");

  private final String method;
  private final String pathTemplate;
  private final boolean atRoot;

  FakeEndpoint(String method, String pathTemplate) {
    this(method, pathTemplate, false);
  }

  FakeEndpoint(String method, String pathTemplate, boolean atRoot) {
    this.method = method;
    this.pathTemplate = pathTemplate;
    this.atRoot = atRoot;
  }

  /** Whether the endpoint is at the account's root, as OAuth's are, rather than below {@code /api/v2}. */
  public boolean isAtRoot() {
    return atRoot;
  }

  /** The HTTP method. */
  public String method() {
    return method;
  }

  /**
   * The path below {@code /api/v2} (or below the account's root, see {@link #isAtRoot()}), with
   * placeholders, for example {@code /users/{id}}.
   */
  public String pathTemplate() {
    return pathTemplate;
  }

  /** Whether Zendesk holds this endpoint to 1 call per second per account and 5 per minute per user. */
  public boolean isSingleUserWrite() {
    return this == UPDATE_USER || this == CREATE_OR_UPDATE_USER;
  }
}
