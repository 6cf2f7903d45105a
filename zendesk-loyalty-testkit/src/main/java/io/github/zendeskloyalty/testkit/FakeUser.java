package io.github.zendeskloyalty.testkit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of a user the fake holds.
 *
 * <pre>{@code
 * FakeUser jane = fake.user("jane@example.com").orElseThrow();
 * Object points = jane.userFields().get("zrl_member_available_points"); // a BigDecimal
 * }</pre>
 *
 * @param id the Zendesk user id
 * @param name the user's name
 * @param email the primary email, or null
 * @param externalId the external id, or null
 * @param secondaryEmails emails added as further identities, for example by an update that sent
 *     an {@code email}; the SDK must never cause one
 * @param userFields every defined field's value by key: {@code Long} (integer), {@code BigDecimal}
 *     (decimal), {@code Boolean} (checkbox), {@code String} (text, dropdown, and dates as Zendesk
 *     answers them, {@code 2026-11-24T00:00:00+00:00}), a list (multiselect), or null when unset
 * @param attributes the standard attributes as Zendesk answers them: {@code role},
 *     {@code active}, {@code verified}, {@code locale}, {@code time_zone}, {@code phone},
 *     {@code tags}, {@code notes}, {@code details}, {@code organization_id} and any
 *     {@code alias} sent
 */
public record FakeUser(long id, String name, String email, String externalId,
    List<String> secondaryEmails, Map<String, Object> userFields, Map<String, Object> attributes) {

  /** Copies the collections. */
  public FakeUser {
    secondaryEmails = List.copyOf(Objects.requireNonNull(secondaryEmails, "secondaryEmails"));
    userFields = Collections.unmodifiableMap(new LinkedHashMap<>(userFields));
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }
}
