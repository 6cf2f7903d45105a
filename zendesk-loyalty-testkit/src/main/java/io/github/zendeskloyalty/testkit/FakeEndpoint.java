package io.github.zendeskloyalty.testkit;

/**
 * The Zendesk endpoints {@link FakeZendesk} serves, to aim faults and read the journal.
 *
 * <pre>{@code
 * fake.failNext(2, FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS, FakeFault.status(503));
 * fake.requests(FakeEndpoint.UPDATE_MANY_USERS).size();
 * }</pre>
 */
public enum FakeEndpoint {
  /** {@code GET /api/v2/users/{id}}. */
  SHOW_USER,
  /** {@code GET /api/v2/users/show_many?ids=...} or {@code ?external_ids=...}. */
  SHOW_MANY_USERS,
  /** {@code GET /api/v2/users/search?query=email:...} or {@code ?external_id=...}. */
  SEARCH_USERS,
  /** {@code PUT /api/v2/users/{id}}: a single-user endpoint. */
  UPDATE_USER,
  /** {@code POST /api/v2/users/create_or_update}: a single-user endpoint. */
  CREATE_OR_UPDATE_USER,
  /** {@code PUT /api/v2/users/update_many}. */
  UPDATE_MANY_USERS,
  /** {@code POST /api/v2/users/create_or_update_many}: 403 while bulk import is off. */
  CREATE_OR_UPDATE_MANY_USERS,
  /** {@code GET /api/v2/job_statuses/{id}}. */
  SHOW_JOB_STATUS,
  /** {@code GET /api/v2/job_statuses/show_many?ids=...}. */
  SHOW_MANY_JOB_STATUSES,
  /** {@code GET /api/v2/user_fields}, cursor-paginated. */
  LIST_USER_FIELDS,
  /** {@code GET /api/v2/user_fields/{id_or_key}}. */
  SHOW_USER_FIELD,
  /** {@code POST /api/v2/user_fields}. */
  CREATE_USER_FIELD,
  /** Any path the fake does not serve (answered 404); as a fault target, every endpoint. */
  ANY;

  /** Whether Zendesk holds this endpoint to 1 call per second per account and 5 per minute per user. */
  public boolean isSingleUserWrite() {
    return this == UPDATE_USER || this == CREATE_OR_UPDATE_USER;
  }
}
