package io.github.zendeskloyalty.client;

/**
 * Checks and creates the Zendesk user fields the schema writes to; replaces the seed's manual
 * step of creating 21 fields in Admin Center. Creating fields needs an admin credential.
 *
 * <pre>{@code
 * FieldReport before = sync.fields().verify();   // read-only
 * FieldReport after = sync.fields().ensure();    // creates what is missing
 * if (!after.mismatched().isEmpty()) {
 *   throw new IllegalStateException("fix these fields in Admin Center: " + after.mismatched());
 * }
 * }</pre>
 */
public interface FieldProvisioning {

  /**
   * Lists the account's user fields (all pages) and compares them with the schema. Changes
   * nothing.
   *
   * @throws ZendeskException when Zendesk could not be asked
   */
  FieldReport verify();

  /**
   * Creates every missing schema field with its type, title and description. Never changes,
   * re-types, re-activates or deletes an existing field: mismatches stay in the report for a
   * human to decide.
   *
   * @return the report after creation; {@link FieldReport#created()} lists what was created
   * @throws ZendeskException when a field could not be created, for example with a non-admin
   *     credential ({@link ZendeskAuthenticationException})
   */
  FieldReport ensure();
}
