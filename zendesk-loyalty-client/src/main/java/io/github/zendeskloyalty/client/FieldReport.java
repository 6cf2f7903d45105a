package io.github.zendeskloyalty.client;

import io.github.zendeskloyalty.core.FieldSchema;
import java.util.List;
import java.util.Objects;

/**
 * How the Zendesk account's user fields compare with the schema.
 *
 * <pre>{@code
 * FieldReport report = sync.fields().verify();
 * if (!report.isReady()) {
 *   System.err.println(report);
 * }
 * }</pre>
 *
 * @param present schema fields Zendesk has, with the right type
 * @param missing schema fields Zendesk does not have
 * @param mismatched schema fields Zendesk has with another type; never changed by the SDK
 * @param inactive schema fields Zendesk has but are deactivated; agents don't see them
 * @param created fields {@link FieldProvisioning#ensure()} created (empty for {@code verify()})
 */
public record FieldReport(List<FieldSchema.Field> present, List<FieldSchema.Field> missing,
    List<TypeMismatch> mismatched, List<FieldSchema.Field> inactive,
    List<FieldSchema.Field> created) {

  /** Copies the lists. */
  public FieldReport {
    present = List.copyOf(Objects.requireNonNull(present, "present"));
    missing = List.copyOf(Objects.requireNonNull(missing, "missing"));
    mismatched = List.copyOf(Objects.requireNonNull(mismatched, "mismatched"));
    inactive = List.copyOf(Objects.requireNonNull(inactive, "inactive"));
    created = List.copyOf(Objects.requireNonNull(created, "created"));
  }

  /** Whether every schema field exists with the right type (active or not). */
  public boolean isReady() {
    return missing.isEmpty() && mismatched.isEmpty();
  }

  /**
   * A field Zendesk has under the schema's key but with another type.
   *
   * @param expected the schema's field
   * @param actualType the type Zendesk reports, as its API name
   */
  public record TypeMismatch(FieldSchema.Field expected, String actualType) {

    /** Checks the components. */
    public TypeMismatch {
      Objects.requireNonNull(expected, "expected");
      Objects.requireNonNull(actualType, "actualType");
    }

    @Override
    public String toString() {
      return expected.key() + " is '" + actualType + "' in Zendesk but the schema expects '"
          + expected.type().apiName() + "'";
    }
  }
}
