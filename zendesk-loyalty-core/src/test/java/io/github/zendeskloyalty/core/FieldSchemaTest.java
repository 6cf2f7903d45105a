package io.github.zendeskloyalty.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FieldSchemaTest {

  @Test
  void standardSchemaWritesEveryAttributeAsJsonReadyValues() {
    Map<String, Object> fields = FieldSchema.standard().userFields(Members.complete());

    assertThat(fields).containsExactly(
        entry("zrl_member_available_points", new BigDecimal("1250.50")),
        entry("zrl_member_member_id", "M-1001"),
        entry("zrl_member_member_status", "active"),
        entry("zrl_member_number_of_purchases", 12L),
        entry("zrl_member_number_of_redemptions", 3L),
        entry("zrl_member_enrollment_date", "2024-02-29T23:30:00Z"),
        entry("zrl_member_last_modified_date", "2026-11-24T10:15:30Z"),
        entry("zrl_member_lifetime_points_earned", new BigDecimal("5000")),
        entry("zrl_member_lifetime_points_expired", new BigDecimal("250.25")),
        entry("zrl_member_lifetime_points_redeemed", new BigDecimal("3000")),
        entry("zrl_member_lifetime_points_deducted", new BigDecimal("499.25")),
        entry("zrl_member_referral_url", "https://loyalty.example.com/r/JANE10"),
        entry("first_name", "Jane"),
        entry("email", "jane.doe@example.com"),
        entry("phone", "+44 20 7946 0958"),
        entry("last_name", "Doe"),
        entry("zrl_member_first_purchase_date", "2024-03-01T09:00:00Z"),
        entry("zrl_member_last_purchase_date", "2026-11-20T18:45:00Z"),
        entry("zrl_member_loyalty_tier_name", "Gold"),
        entry("zrl_member_loyalty_tier_id", "tier_gold"),
        entry("zrl_member_qualified_points", new BigDecimal("4200.75")));
  }

  @Test
  void unknownValuesAreNullSoZendeskClearsThem() {
    Map<String, Object> fields =
        FieldSchema.standard().userFields(LoyaltyMember.builder().memberId("M-2").build());

    assertThat(fields).hasSize(21)
        .containsEntry("zrl_member_available_points", null)
        .containsEntry("zrl_member_loyalty_tier_name", null)
        .containsEntry("email", null)
        .containsEntry("zrl_member_enrollment_date", null)
        .containsEntry("zrl_member_number_of_purchases", 0L);
  }

  @Test
  void aZendeskDateFieldGetsTheUtcCalendarDate() {
    FieldSchema schema = FieldSchema.builder()
        .type(LoyaltyAttribute.ENROLLMENT_DATE, ZendeskFieldType.DATE)
        .build();

    assertThat(schema.field(LoyaltyAttribute.ENROLLMENT_DATE).orElseThrow().type())
        .isEqualTo(ZendeskFieldType.DATE);
    assertThat(schema.userFields(Members.complete()))
        .containsEntry("zrl_member_enrollment_date", "2024-02-29")
        .containsEntry("zrl_member_last_modified_date", "2026-11-24T10:15:30Z");
  }

  @Test
  void numbersWrittenToTextFieldsArePlainText() {
    FieldSchema schema = FieldSchema.builder()
        .type(LoyaltyAttribute.AVAILABLE_POINTS, ZendeskFieldType.TEXT)
        .type(LoyaltyAttribute.NUMBER_OF_PURCHASES, ZendeskFieldType.TEXTAREA)
        .build();
    LoyaltyMember member = Members.complete().toBuilder()
        .availablePoints(new BigDecimal("1E+3")).build();

    assertThat(schema.userFields(member))
        .containsEntry("zrl_member_available_points", "1000")
        .containsEntry("zrl_member_number_of_purchases", "12");
  }

  @Test
  void aCountWrittenToADecimalFieldIsADecimal() {
    FieldSchema schema = FieldSchema.builder()
        .type(LoyaltyAttribute.NUMBER_OF_PURCHASES, ZendeskFieldType.DECIMAL).build();

    assertThat(schema.userFields(Members.complete()))
        .containsEntry("zrl_member_number_of_purchases", BigDecimal.valueOf(12));
  }

  @Test
  void excludedAttributesAreNotWritten() {
    FieldSchema schema = FieldSchema.builder()
        .exclude(LoyaltyAttribute.PHONE, LoyaltyAttribute.EMAIL)
        .build();

    assertThat(schema.fields()).hasSize(19);
    assertThat(schema.field(LoyaltyAttribute.PHONE)).isEmpty();
    assertThat(schema.userFields(Members.complete())).doesNotContainKeys("phone", "email");
  }

  @Test
  void includeRestoresAnExcludedAttributeInSeedOrder() {
    FieldSchema schema = FieldSchema.builder()
        .exclude(LoyaltyAttribute.MEMBER_ID)
        .include(LoyaltyAttribute.MEMBER_ID)
        .build();

    assertThat(schema).isEqualTo(FieldSchema.standard());
  }

  @Test
  void renamedKeysAreUsed() {
    FieldSchema schema = FieldSchema.builder()
        .key(LoyaltyAttribute.EMAIL, "zrl_member_email")
        .build();

    assertThat(schema.userFields(Members.complete()))
        .containsEntry("zrl_member_email", "jane.doe@example.com")
        .doesNotContainKey("email");
  }

  @Test
  void toBuilderKeepsEveryChoice() {
    FieldSchema schema = FieldSchema.builder()
        .exclude(LoyaltyAttribute.PHONE)
        .key(LoyaltyAttribute.EMAIL, "zrl_member_email")
        .type(LoyaltyAttribute.LAST_PURCHASE_DATE, ZendeskFieldType.DATE)
        .build();

    assertThat(schema.toBuilder().build()).isEqualTo(schema);
    assertThat(schema.toBuilder().include(LoyaltyAttribute.PHONE).build().fields()).hasSize(21);
  }

  @ParameterizedTest
  @ValueSource(strings = {"zrl-member", "zrl member", "tier.name", "émail", ""})
  void rejectsKeysWithCharactersZendeskRefuses(String key) {
    assertThatThrownBy(() -> FieldSchema.builder().key(LoyaltyAttribute.EMAIL, key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key for EMAIL must contain only letters, digits and underscores: '"
            + key + "'");
  }

  @Test
  void rejectsAllDigitKeys() {
    assertThatThrownBy(() -> FieldSchema.builder().key(LoyaltyAttribute.PHONE, "12345"))
        .hasMessage("key for PHONE must not be all digits: '12345'");
  }

  @Test
  void rejectsTwoAttributesUnderOneKey() {
    assertThatThrownBy(() -> FieldSchema.builder()
            .key(LoyaltyAttribute.PHONE, "Email")
            .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key must be unique, but EMAIL and PHONE both use 'Email'");
  }

  @Test
  void rejectsATypeTheValueCannotBeWrittenTo() {
    assertThatThrownBy(
            () -> FieldSchema.builder().type(LoyaltyAttribute.AVAILABLE_POINTS,
                ZendeskFieldType.INTEGER))
        .hasMessage("field type for AVAILABLE_POINTS must be one of [text, textarea, decimal]:"
            + " 'integer'");
    assertThatThrownBy(
            () -> FieldSchema.builder().type(LoyaltyAttribute.EMAIL, ZendeskFieldType.CHECKBOX))
        .hasMessage("field type for EMAIL must be one of [text, textarea]: 'checkbox'");
  }

  @Test
  void rejectsASchemaWithNothingToSync() {
    assertThatThrownBy(() -> FieldSchema.builder().exclude(LoyaltyAttribute.values()).build())
        .hasMessage("schema must sync at least one attribute");
  }

  @Test
  void fieldsCarryTheAttributeTitleAndDescription() {
    FieldSchema.Field field =
        FieldSchema.standard().field(LoyaltyAttribute.QUALIFIED_POINTS).orElseThrow();

    assertThat(field.key()).isEqualTo("zrl_member_qualified_points");
    assertThat(field.type()).isEqualTo(ZendeskFieldType.DECIMAL);
    assertThat(field.title()).isEqualTo("Loyalty: qualified points");
    assertThat(field.description()).startsWith("The points qualified by a member.");
  }

  @Test
  void userFieldsCannotBeModified() {
    Map<String, Object> fields = FieldSchema.standard().userFields(Members.complete());

    assertThatThrownBy(() -> fields.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void datesAreWrittenInUtcWhateverTheInstant() {
    LoyaltyMember member = LoyaltyMember.builder().memberId("M-3")
        .lastPurchaseDate(Instant.parse("2026-01-01T00:30:00Z")).build();
    FieldSchema schema = FieldSchema.builder()
        .type(LoyaltyAttribute.LAST_PURCHASE_DATE, ZendeskFieldType.DATE).build();

    assertThat(schema.userFields(member)).containsEntry("zrl_member_last_purchase_date",
        "2026-01-01");
  }

  @ParameterizedTest
  @ValueSource(strings = {"+10000-01-01T00:00:00Z", "-0001-06-01T00:00:00Z",
      "+1000000000-12-31T23:59:59Z"})
  void aDateAZendeskDateFieldCannotHoldIsRefusedNamingAttributeFieldAndMember(String instant) {
    LoyaltyMember member = LoyaltyMember.builder().memberId("M-9")
        .enrollmentDate(Instant.parse(instant)).build();
    FieldSchema schema = FieldSchema.builder()
        .type(LoyaltyAttribute.ENROLLMENT_DATE, ZendeskFieldType.DATE).build();

    assertThatThrownBy(() -> schema.check(member))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ENROLLMENT_DATE of member M-9")
        .hasMessageContaining("'zrl_member_enrollment_date'")
        .hasMessageContaining("years 1 to 9999");
    assertThatThrownBy(() -> schema.userFields(member))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ENROLLMENT_DATE of member M-9");
  }

  @Test
  void farDatesAreFineAsTextAndTheEdgesOfADateFieldAreAccepted() {
    LoyaltyMember far = LoyaltyMember.builder().memberId("M-9")
        .enrollmentDate(Instant.parse("+10000-01-01T00:00:00Z")).build();
    LoyaltyMember edge = LoyaltyMember.builder().memberId("M-9")
        .enrollmentDate(Instant.parse("9999-12-31T23:59:59Z")).build();
    FieldSchema dates = FieldSchema.builder()
        .type(LoyaltyAttribute.ENROLLMENT_DATE, ZendeskFieldType.DATE).build();

    FieldSchema.standard().check(far);
    dates.check(edge);
    assertThat(FieldSchema.standard().userFields(far))
        .containsEntry("zrl_member_enrollment_date", "+10000-01-01T00:00:00Z");
    assertThat(dates.userFields(edge)).containsEntry("zrl_member_enrollment_date", "9999-12-31");
  }
}
