package io.github.zendeskloyalty.testkit;

import io.github.zendeskloyalty.core.ZendeskFieldType;
import java.util.List;

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
 * @param options the option values of a dropdown or multiselect field, else empty
 * @param regexpForValidation the pattern of a regexp field, else null
 */
public record FakeUserField(long id, String key, ZendeskFieldType type, String title,
    String description, boolean active, List<String> options, String regexpForValidation) {

  /** Copies the options. */
  public FakeUserField {
    options = List.copyOf(options);
  }
}
