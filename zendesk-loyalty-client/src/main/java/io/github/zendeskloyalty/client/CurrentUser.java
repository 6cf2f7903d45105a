package io.github.zendeskloyalty.client;

import io.github.zendeskloyalty.core.internal.Redaction;

/**
 * Who the SDK's credentials are, as {@code GET /api/v2/users/me} answers.
 *
 * <pre>{@code
 * CurrentUser me = sync.currentUser();
 * if (!me.isAdmin()) {
 *   log.warn("these credentials can sync members but cannot create user fields");
 * }
 * }</pre>
 *
 * @param id the Zendesk user id
 * @param name the user's name
 * @param email the user's email
 * @param role {@code admin}, {@code agent} or {@code end-user}
 */
public record CurrentUser(long id, String name, String email, String role) {

  /** Whether the user is an admin, who can create user fields. */
  public boolean isAdmin() {
    return "admin".equals(role);
  }

  /**
   * The email masked for a log line or a terminal: {@code "jane.doe@acme.com"} becomes
   * {@code "j***@acme.com"}.
   */
  public String maskedEmail() {
    return Redaction.maskEmail(email);
  }

  /** The user with the email masked. */
  @Override
  public String toString() {
    return "CurrentUser[" + id + ", " + name + ", " + maskedEmail() + ", " + role + "]";
  }
}
