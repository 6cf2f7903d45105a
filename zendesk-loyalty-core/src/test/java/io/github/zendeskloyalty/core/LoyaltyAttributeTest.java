package io.github.zendeskloyalty.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every attribute against the seed table: key, type and description, in the seed's order. */
class LoyaltyAttributeTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', textBlock = """
      0  | zrl_member_available_points         | decimal | Total available points against the member.
      1  | zrl_member_member_id                | text    | Unique Member ID of Member.
      2  | zrl_member_member_status            | text    | Status of the Member such as active, block, deleted, opted out.
      3  | zrl_member_number_of_purchases      | integer | Number of purchases made by the member.
      4  | zrl_member_number_of_redemptions    | integer | Number of redemptions made by a member.
      5  | zrl_member_enrollment_date          | text    | The date when a Member enrolled in the Loyalty Program.
      6  | zrl_member_last_modified_date       | text    | The last date when a Member's loyalty data has been modified.
      7  | zrl_member_lifetime_points_earned   | decimal | Total lifetime points earned by a member till date.
      8  | zrl_member_lifetime_points_expired  | decimal | Total lifetime points expired for a member till date.
      9  | zrl_member_lifetime_points_redeemed | decimal | Total lifetime points redeemed after redeeming a reward by a member till date.
      10 | zrl_member_lifetime_points_deducted | decimal | Total lifetime points deducted against the member till date.
      11 | zrl_member_referral_url             | text    | Unique referral URL of member used for refer-a-friend events.
      12 | first_name                          | text    | First name of the member.
      13 | email                               | text    | The email address of the member.
      14 | phone                               | text    | The phone number of the member.
      15 | last_name                           | text    | Last name of the member.
      16 | zrl_member_first_purchase_date      | text    | The date on which the member made a first purchase.
      17 | zrl_member_last_purchase_date       | text    | The date on which the member made a last purchase.
      18 | zrl_member_loyalty_tier_name        | text    | Current loyalty tier name in which member exists currently.
      19 | zrl_member_loyalty_tier_id          | text    | Current loyalty tier ID in which member exists currently.
      20 | zrl_member_qualified_points         | decimal | The points qualified by a member. These qualified points are considered to check the eligibility of the member for tier upgrade, tier downgrade, etc.
      """)
  void matchesTheSeedTable(int position, String key, String type, String description) {
    LoyaltyAttribute attribute = LoyaltyAttribute.values()[position];

    assertThat(attribute.defaultKey()).isEqualTo(key);
    assertThat(attribute.defaultType().apiName()).isEqualTo(type);
    assertThat(attribute.description()).isEqualTo(description);
    assertThat(attribute.title()).startsWith("Loyalty: ");
  }

  @Test
  void thereAreExactlyTheTwentyOneSeedAttributes() {
    assertThat(LoyaltyAttribute.values()).hasSize(21);
  }

  @Test
  void readsEveryValueFromTheMember() {
    LoyaltyMember m = Members.complete();

    assertThat(LoyaltyAttribute.AVAILABLE_POINTS.value(m)).isEqualTo(new BigDecimal("1250.50"));
    assertThat(LoyaltyAttribute.MEMBER_ID.value(m)).isEqualTo("M-1001");
    assertThat(LoyaltyAttribute.MEMBER_STATUS.value(m)).isEqualTo("active");
    assertThat(LoyaltyAttribute.NUMBER_OF_PURCHASES.value(m)).isEqualTo(12L);
    assertThat(LoyaltyAttribute.NUMBER_OF_REDEMPTIONS.value(m)).isEqualTo(3L);
    assertThat(LoyaltyAttribute.ENROLLMENT_DATE.value(m))
        .isEqualTo(Instant.parse("2024-02-29T23:30:00Z"));
    assertThat(LoyaltyAttribute.LAST_MODIFIED_DATE.value(m))
        .isEqualTo(Instant.parse("2026-11-24T10:15:30Z"));
    assertThat(LoyaltyAttribute.LIFETIME_POINTS_EARNED.value(m)).isEqualTo(new BigDecimal("5000"));
    assertThat(LoyaltyAttribute.LIFETIME_POINTS_EXPIRED.value(m))
        .isEqualTo(new BigDecimal("250.25"));
    assertThat(LoyaltyAttribute.LIFETIME_POINTS_REDEEMED.value(m))
        .isEqualTo(new BigDecimal("3000"));
    assertThat(LoyaltyAttribute.LIFETIME_POINTS_DEDUCTED.value(m))
        .isEqualTo(new BigDecimal("499.25"));
    assertThat(LoyaltyAttribute.REFERRAL_URL.value(m))
        .isEqualTo("https://loyalty.example.com/r/JANE10");
    assertThat(LoyaltyAttribute.FIRST_NAME.value(m)).isEqualTo("Jane");
    assertThat(LoyaltyAttribute.EMAIL.value(m)).isEqualTo("jane.doe@example.com");
    assertThat(LoyaltyAttribute.PHONE.value(m)).isEqualTo("+44 20 7946 0958");
    assertThat(LoyaltyAttribute.LAST_NAME.value(m)).isEqualTo("Doe");
    assertThat(LoyaltyAttribute.FIRST_PURCHASE_DATE.value(m))
        .isEqualTo(Instant.parse("2024-03-01T09:00:00Z"));
    assertThat(LoyaltyAttribute.LAST_PURCHASE_DATE.value(m))
        .isEqualTo(Instant.parse("2026-11-20T18:45:00Z"));
    assertThat(LoyaltyAttribute.LOYALTY_TIER_NAME.value(m)).isEqualTo("Gold");
    assertThat(LoyaltyAttribute.LOYALTY_TIER_ID.value(m)).isEqualTo("tier_gold");
    assertThat(LoyaltyAttribute.QUALIFIED_POINTS.value(m)).isEqualTo(new BigDecimal("4200.75"));
  }

  @Test
  void datesMayBecomeZendeskDatesButNumbersMayNot() {
    assertThat(LoyaltyAttribute.ENROLLMENT_DATE.supportedTypes())
        .containsExactlyInAnyOrder(ZendeskFieldType.TEXT, ZendeskFieldType.TEXTAREA,
            ZendeskFieldType.DATE);
    assertThat(LoyaltyAttribute.NUMBER_OF_PURCHASES.supportedTypes())
        .containsExactlyInAnyOrder(ZendeskFieldType.INTEGER, ZendeskFieldType.DECIMAL,
            ZendeskFieldType.TEXT, ZendeskFieldType.TEXTAREA);
    assertThat(LoyaltyAttribute.AVAILABLE_POINTS.supportedTypes())
        .doesNotContain(ZendeskFieldType.INTEGER, ZendeskFieldType.DATE);
    assertThat(LoyaltyAttribute.EMAIL.supportedTypes())
        .containsExactlyInAnyOrder(ZendeskFieldType.TEXT, ZendeskFieldType.TEXTAREA);
  }
}
