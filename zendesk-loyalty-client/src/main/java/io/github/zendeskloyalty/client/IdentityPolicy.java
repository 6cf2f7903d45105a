package io.github.zendeskloyalty.client;

/**
 * How a loyalty member is matched to a Zendesk user.
 *
 * <pre>{@code
 * ZendeskLoyaltySync.builder().identity(IdentityPolicy.EXTERNAL_ID) ...
 * }</pre>
 */
public enum IdentityPolicy {
  /**
   * By the member's email, Zendesk's primary identity (the default). Members need an email. The
   * email is sent only to create-or-update endpoints, which match on it; it is never sent when
   * updating a known user, where Zendesk would add it as a second identity. A member whose email
   * changes is matched by the new email (a new user if Zendesk has none); prefer
   * {@link #EXTERNAL_ID} where members change emails.
   */
  EMAIL,
  /**
   * By Zendesk's {@code external_id}, set to the member id. Members need no email. Users created
   * through the bulk create-or-update endpoint get no email; users created one by one (when bulk
   * import is off) get the member's email if it has one.
   */
  EXTERNAL_ID
}
