package io.github.zendeskloyalty.core;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;

/** A member with every attribute set, for tests. */
final class Members {

  private Members() {}

  static LoyaltyMember complete() {
    return LoyaltyMember.builder()
        .memberId("M-1001")
        .availablePoints(new BigDecimal("1250.50"))
        .status(MemberStatus.ACTIVE)
        .numberOfPurchases(12)
        .numberOfRedemptions(3)
        .enrollmentDate(Instant.parse("2024-02-29T23:30:00Z"))
        .lastModifiedDate(Instant.parse("2026-11-24T10:15:30Z"))
        .lifetimePointsEarned(new BigDecimal("5000"))
        .lifetimePointsExpired(new BigDecimal("250.25"))
        .lifetimePointsRedeemed(new BigDecimal("3000"))
        .lifetimePointsDeducted(new BigDecimal("499.25"))
        .referralUrl(URI.create("https://loyalty.example.com/r/JANE10"))
        .firstName("Jane")
        .email("jane.doe@example.com")
        .phone("+44 20 7946 0958")
        .lastName("Doe")
        .firstPurchaseDate(Instant.parse("2024-03-01T09:00:00Z"))
        .lastPurchaseDate(Instant.parse("2026-11-20T18:45:00Z"))
        .loyaltyTierName("Gold")
        .loyaltyTierId("tier_gold")
        .qualifiedPoints(new BigDecimal("4200.75"))
        .build();
  }
}
