package io.github.zendeskloyalty.testkit;

import io.github.zendeskloyalty.core.ZendeskFieldType;

/**
 * A user-field definition the fake holds.
 *
 * <pre>{@code
 * fake.userFields().stream().map(FakeUserField::key).toList();
 * }</pre>
 *
 * @param id the field id
 * @param key the field key
 * @param type the field type
 * @param title the title
 * @param description the description
 * @param active whether agents see the field
 */
public record FakeUserField(long id, String key, ZendeskFieldType type, String title,
    String description, boolean active) {}
