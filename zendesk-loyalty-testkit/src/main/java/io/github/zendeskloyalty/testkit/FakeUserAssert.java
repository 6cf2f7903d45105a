package io.github.zendeskloyalty.testkit;

import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyAttribute;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.ZendeskFieldType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one user of the fake. Numbers compare by value whatever their Java type, so
 * {@code hasField("zrl_member_available_points", 1250)} matches a stored {@code 1250.00}.
 *
 * <pre>{@code
 * ZendeskAssertions.assertThat(fake).user("jane@example.com")
 *     .hasFieldsOf(member)                                       // all 21 fields of the snapshot
 *     .hasField(LoyaltyAttribute.LOYALTY_TIER_NAME, "Gold")
 *     .hasField("zrl_member_number_of_purchases", 12)
 *     .hasNullField("zrl_member_referral_url");
 * }</pre>
 */
public final class FakeUserAssert extends AbstractAssert<FakeUserAssert, FakeUser> {

  private final String description;

  FakeUserAssert(FakeUser actual, String description) {
    super(actual, FakeUserAssert.class);
    this.description = description;
  }

  /** Asserts a field holds the value; fails when the field is not defined. */
  public FakeUserAssert hasField(String key, Object expected) {
    if (!actual.userFields().containsKey(key)) {
      failWithMessage("Expecting %s to have field <%s> but the fake defines no such field; the"
          + " user's fields are %s", description, key, actual.userFields());
    }
    Object value = actual.userFields().get(key);
    if (!sameValue(value, expected)) {
      failWithMessage("Expecting %s field <%s> to be <%s> but was <%s>; the user's fields are %s",
          description, key, expected, value, actual.userFields());
    }
    return this;
  }

  /**
   * Asserts the field of an attribute, under its standard key, holds the value; an
   * {@link Instant} is compared as the ISO-8601 text the standard schema writes.
   */
  public FakeUserAssert hasField(LoyaltyAttribute attribute, Object expected) {
    Objects.requireNonNull(attribute, "attribute");
    return hasField(attribute.defaultKey(), expected instanceof Instant instant
        ? instant.toString() : expected);
  }

  /** Asserts the user holds every field the standard schema writes for this member snapshot. */
  public FakeUserAssert hasFieldsOf(LoyaltyMember member) {
    return hasFieldsOf(member, FieldSchema.standard());
  }

  /**
   * Asserts the user holds every field the schema writes for this member snapshot, as Zendesk
   * keeps them: numbers by value, a {@code date} field by its day.
   */
  public FakeUserAssert hasFieldsOf(LoyaltyMember member, FieldSchema schema) {
    Objects.requireNonNull(member, "member");
    Map<String, Object> expected = schema.userFields(member);
    List<String> differences = new ArrayList<>();
    for (FieldSchema.Field field : schema.fields()) {
      Object want = expected.get(field.key());
      if (!actual.userFields().containsKey(field.key())) {
        differences.add(field.key() + ": the fake defines no such field");
      } else if (!sameValue(actual.userFields().get(field.key()), want, field.type())) {
        differences.add(field.key() + ": expected <" + want + "> but was <"
            + actual.userFields().get(field.key()) + ">");
      }
    }
    if (!differences.isEmpty()) {
      failWithMessage("Expecting %s to hold the fields of member %s, but %d differ:%n  %s",
          description, member.memberId(), differences.size(),
          String.join(String.format("%n  "), differences));
    }
    return this;
  }

  /** Asserts a field is defined and holds no value. */
  public FakeUserAssert hasNullField(String key) {
    return hasField(key, null);
  }

  /** Asserts the user's name. */
  public FakeUserAssert hasName(String expected) {
    if (!Objects.equals(actual.name(), expected)) {
      failWithMessage("Expecting %s to be named <%s> but was <%s>", description, expected,
          actual.name());
    }
    return this;
  }

  /** Asserts the user's external id. */
  public FakeUserAssert hasExternalId(String expected) {
    if (!Objects.equals(actual.externalId(), expected)) {
      failWithMessage("Expecting %s to have external id <%s> but was <%s>", description, expected,
          actual.externalId());
    }
    return this;
  }

  /** Asserts no update added an email identity to the user. */
  public FakeUserAssert hasNoSecondaryEmails() {
    if (!actual.secondaryEmails().isEmpty()) {
      failWithMessage("Expecting %s to have no secondary emails but it has %s", description,
          actual.secondaryEmails());
    }
    return this;
  }

  private static boolean sameValue(Object actual, Object expected, ZendeskFieldType type) {
    if (type == ZendeskFieldType.DATE && actual instanceof String stored && expected != null) {
      return stored.equals(expected) || stored.startsWith(expected + "T");
    }
    return sameValue(actual, expected);
  }

  private static boolean sameValue(Object actual, Object expected) {
    if (actual instanceof Number && expected instanceof Number) {
      return new BigDecimal(actual.toString()).compareTo(new BigDecimal(expected.toString())) == 0;
    }
    return Objects.equals(actual, expected);
  }
}
