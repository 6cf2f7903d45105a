package io.github.zendeskloyalty.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoyaltyMemberTest {

  @Test
  void toBuilderReproducesEveryAttribute() {
    LoyaltyMember member = Members.complete();

    assertThat(member.toBuilder().build()).isEqualTo(member);
  }

  @Test
  void toBuilderDerivesAChangedSnapshotAndLeavesTheOriginal() {
    LoyaltyMember member = Members.complete();

    LoyaltyMember changed = member.toBuilder().availablePoints(BigDecimal.TEN).build();

    assertThat(changed.availablePoints()).isEqualTo(BigDecimal.TEN);
    assertThat(member.availablePoints()).isEqualTo(new BigDecimal("1250.50"));
    assertThat(changed.email()).isEqualTo(member.email());
  }

  @Test
  void onlyTheMemberIdIsRequired() {
    LoyaltyMember member = LoyaltyMember.builder().memberId("M-1").build();

    assertThat(member.email()).isNull();
    assertThat(member.numberOfPurchases()).isZero();
  }

  @Test
  void rejectsAMissingMemberId() {
    assertThatThrownBy(() -> LoyaltyMember.builder().email("a@b.com").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("memberId is required but was null");
  }

  @Test
  void rejectsABlankMemberId() {
    assertThatThrownBy(() -> LoyaltyMember.builder().memberId("  ").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("memberId must not be blank: '  '");
  }

  @Test
  void rejectsNegativeCounts() {
    assertThatThrownBy(() -> LoyaltyMember.builder().memberId("M-1").numberOfPurchases(-1).build())
        .hasMessage("numberOfPurchases must not be negative: -1");
    assertThatThrownBy(
            () -> LoyaltyMember.builder().memberId("M-1").numberOfRedemptions(-2).build())
        .hasMessage("numberOfRedemptions must not be negative: -2");
  }

  @Test
  void rejectsNegativeLifetimeTotals() {
    BigDecimal negative = new BigDecimal("-0.5");

    assertThatThrownBy(
            () -> LoyaltyMember.builder().memberId("M-1").lifetimePointsEarned(negative).build())
        .hasMessage("lifetimePointsEarned must not be negative: -0.5");
    assertThatThrownBy(
            () -> LoyaltyMember.builder().memberId("M-1").lifetimePointsExpired(negative).build())
        .hasMessage("lifetimePointsExpired must not be negative: -0.5");
    assertThatThrownBy(
            () -> LoyaltyMember.builder().memberId("M-1").lifetimePointsRedeemed(negative).build())
        .hasMessage("lifetimePointsRedeemed must not be negative: -0.5");
    assertThatThrownBy(
            () -> LoyaltyMember.builder().memberId("M-1").lifetimePointsDeducted(negative).build())
        .hasMessage("lifetimePointsDeducted must not be negative: -0.5");
  }

  @Test
  void refusesADecimalNoZendeskFieldHoldsWithoutWritingItOut() {
    assertThatThrownBy(() -> LoyaltyMember.builder().memberId("M-1")
        .availablePoints(new BigDecimal("1e999999999")).build())
        .hasMessage("availablePoints must have at most 30 digits before and after the decimal"
            + " point (a Zendesk decimal field holds no more): 1E+999999999");
    assertThatThrownBy(() -> LoyaltyMember.builder().memberId("M-1")
        .lifetimePointsEarned(new BigDecimal("-1e-999999999")).build())
        .hasMessageStartingWith("lifetimePointsEarned must have at most 30 digits");
    BigDecimal widest = new BigDecimal("9".repeat(30) + "." + "9".repeat(30));
    assertThat(LoyaltyMember.builder().memberId("M-1").qualifiedPoints(widest).build()
        .qualifiedPoints()).isEqualTo(widest);
  }

  @Test
  void allowsNegativeAvailableAndQualifiedPoints() {
    LoyaltyMember member = LoyaltyMember.builder().memberId("M-1")
        .availablePoints(new BigDecimal("-20"))
        .qualifiedPoints(new BigDecimal("-5"))
        .build();

    assertThat(member.availablePoints()).isEqualByComparingTo("-20");
    assertThat(member.qualifiedPoints()).isEqualByComparingTo("-5");
  }

  @ParameterizedTest
  @ValueSource(strings = {"jane.example.com", "jane@", "@example.com", "jane@example",
      "ja ne@example.com", "jane@@example.com"})
  void rejectsEmailsOfTheWrongShapeWithoutEchoingThemInFull(String email) {
    assertThatThrownBy(() -> LoyaltyMember.builder().memberId("M-7").email(email).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("email must look like name@domain.tld (member M-7): '")
        .hasMessageNotContaining(email);
  }

  @Test
  void acceptsOrdinaryEmails() {
    assertThat(LoyaltyMember.builder().memberId("M-1").email("first.last+tag@mail.example.co.uk")
        .build().email()).isEqualTo("first.last+tag@mail.example.co.uk");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/r/JANE10", "ftp://example.com/r", "mailto:jane@example.com"})
  void rejectsReferralUrlsThatAreNotAbsoluteHttp(String url) {
    assertThatThrownBy(
            () -> LoyaltyMember.builder().memberId("M-1").referralUrl(URI.create(url)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("referralUrl must be an absolute http or https URL: '" + url + "'");
  }

  @Test
  void toStringMasksTheEmailAndLeavesOutThePhone() {
    String text = Members.complete().toString();

    assertThat(text).contains("M-1001", "j***@example.com")
        .doesNotContain("jane.doe@example.com", "7946");
  }

  @Test
  void everyAttributeCanBeSetFromItsTextAndBadTextSaysWhatItIsNot() {
    LoyaltyMember member = LoyaltyMember.builder()
        .set(LoyaltyAttribute.MEMBER_ID, " M-1 ")
        .set(LoyaltyAttribute.AVAILABLE_POINTS, "0.10000000000000001")
        .set(LoyaltyAttribute.NUMBER_OF_PURCHASES, "3")
        .set(LoyaltyAttribute.MEMBER_STATUS, "opted_out")
        .set(LoyaltyAttribute.ENROLLMENT_DATE, "2024-01-15")
        .set(LoyaltyAttribute.LAST_MODIFIED_DATE, "2026-11-24T11:15:30+01:00")
        .set(LoyaltyAttribute.REFERRAL_URL, "https://loyalty.example.com/r/1")
        .build();

    assertThat(member.memberId()).isEqualTo("M-1");
    assertThat(member.availablePoints()).isEqualByComparingTo("0.10000000000000001");
    assertThat(member.numberOfPurchases()).isEqualTo(3);
    assertThat(member.status()).isEqualTo(MemberStatus.OPTED_OUT);
    assertThat(member.enrollmentDate()).isEqualTo(Instant.parse("2024-01-15T00:00:00Z"));
    assertThat(member.lastModifiedDate()).isEqualTo(Instant.parse("2026-11-24T10:15:30Z"));
    assertThatThrownBy(() -> LoyaltyMember.builder().set(LoyaltyAttribute.AVAILABLE_POINTS, "lots"))
        .hasMessage("is not a number");
    assertThatThrownBy(() -> LoyaltyMember.builder().set(LoyaltyAttribute.LAST_MODIFIED_DATE,
        "last tuesday")).hasMessage("is not a date (2026-11-24 or 2026-11-24T10:15:30Z)");
  }
}
