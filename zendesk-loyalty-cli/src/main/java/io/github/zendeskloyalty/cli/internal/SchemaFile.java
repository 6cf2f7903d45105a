package io.github.zendeskloyalty.cli.internal;

import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyAttribute;
import io.github.zendeskloyalty.core.ZendeskFieldType;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * Reads a schema file: a properties file that changes the standard schema the way
 * {@link FieldSchema.Builder} does. Attributes are named by their seed key or their
 * {@link LoyaltyAttribute} name.
 *
 * <pre>
 * exclude = phone, email
 * key.zrl_member_member_id = loyalty_member_id
 * type.zrl_member_enrollment_date = date
 * </pre>
 *
 * Not part of the API.
 */
public final class SchemaFile {

  private SchemaFile() {}

  /**
   * The schema the file describes.
   *
   * @throws IllegalArgumentException naming the file, the line's key and what is wrong
   */
  public static FieldSchema read(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    }
    FieldSchema.Builder builder = FieldSchema.builder();
    for (String name : properties.stringPropertyNames()) {
      String value = properties.getProperty(name).strip();
      try {
        if (name.equals("exclude")) {
          for (String attribute : value.split("\\s*,\\s*")) {
            if (!attribute.isEmpty()) {
              builder.exclude(attribute(attribute));
            }
          }
        } else if (name.startsWith("key.")) {
          builder.key(attribute(name.substring(4)), value);
        } else if (name.startsWith("type.")) {
          builder.type(attribute(name.substring(5)), ZendeskFieldType.fromApiName(value));
        } else {
          throw new IllegalArgumentException("unknown setting; use exclude, key.ATTRIBUTE or"
              + " type.ATTRIBUTE");
        }
      } catch (IllegalArgumentException wrong) {
        throw new IllegalArgumentException(file + ": '" + name + "': " + wrong.getMessage(),
            wrong);
      }
    }
    return builder.build();
  }

  /** An attribute by its seed key ({@code first_name}) or its name ({@code FIRST_NAME}). */
  static LoyaltyAttribute attribute(String name) {
    for (LoyaltyAttribute attribute : LoyaltyAttribute.values()) {
      if (attribute.defaultKey().equals(name) || attribute.name().equals(name.toUpperCase(
          Locale.ROOT))) {
        return attribute;
      }
    }
    throw new IllegalArgumentException("no attribute '" + name + "'; the attributes are the seed's"
        + " keys, such as zrl_member_available_points or first_name");
  }
}
