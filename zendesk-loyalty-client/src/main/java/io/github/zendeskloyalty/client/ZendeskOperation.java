package io.github.zendeskloyalty.client;

/**
 * The Zendesk API calls the SDK makes, as reported to {@link SyncListener}. No operation carries
 * a customer's data, so they are safe as metric tags.
 *
 * <pre>{@code
 * SyncListener counting = new SyncListener() {
 *   public void onRequest(ZendeskOperation operation, int status) { calls.increment(operation); }
 * };
 * }</pre>
 */
public enum ZendeskOperation {
  /** {@code POST /api/v2/users/create_or_update}. */
  CREATE_OR_UPDATE_USER("POST", "/users/create_or_update"),
  /** {@code POST /api/v2/users/create_or_update_many}. */
  CREATE_OR_UPDATE_MANY_USERS("POST", "/users/create_or_update_many"),
  /** {@code PUT /api/v2/users/{id}}. */
  UPDATE_USER("PUT", "/users/{id}"),
  /** {@code PUT /api/v2/tickets/{id}}: an internal note and custom fields (agent actions). */
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
  /** {@code PUT /api/v2/users/update_many}. */
  UPDATE_MANY_USERS("PUT", "/users/update_many"),
  /** {@code GET /api/v2/users/show_many}. */
  SHOW_MANY_USERS("GET", "/users/show_many"),
  /** {@code GET /api/v2/users/search}. */
  SEARCH_USERS("GET", "/users/search"),
  /** {@code GET /api/v2/users/count}: an approximate count of the account's users. */
  COUNT_USERS("GET", "/users/count"),
  /** {@code GET /api/v2/users/me}: who the credentials are. */
  SHOW_CURRENT_USER("GET", "/users/me"),
  /** {@code GET /api/v2/incremental/users/cursor}: the incremental user export, 10 calls a minute. */
  EXPORT_USERS("GET", "/incremental/users/cursor"),
  /** {@code GET /api/v2/job_statuses/show_many}. */
  SHOW_MANY_JOB_STATUSES("GET", "/job_statuses/show_many"),
  /** {@code GET /api/v2/user_fields}. */
  LIST_USER_FIELDS("GET", "/user_fields"),
  /** {@code POST /api/v2/user_fields}. */
  CREATE_USER_FIELD("POST", "/user_fields");

  private final String method;
  private final String pathTemplate;

  ZendeskOperation(String method, String pathTemplate) {
    this.method = method;
    this.pathTemplate = pathTemplate;
  }

  /** The HTTP method. */
  public String method() {
    return method;
  }

  /** The path below {@code /api/v2}, with placeholders, for example {@code /users/{id}}. */
  public String pathTemplate() {
    return pathTemplate;
  }

  /** Whether Zendesk holds this endpoint to 1 call per second per account and 5 per minute per user. */
  public boolean isSingleUserWrite() {
    return this == CREATE_OR_UPDATE_USER || this == UPDATE_USER;
  }
}
