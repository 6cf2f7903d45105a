package io.github.zendeskloyalty.client;

import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.MemberStatus;
import java.math.BigDecimal;
import java.time.Instant;

/** Members for tests. */
final class TestMembers {

  static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  private TestMembers() {}

  static LoyaltyMember member(int n) {
    return member(n, 100 * n, T0);
  }

  static LoyaltyMember member(int n, long points, Instant lastModified) {
    return LoyaltyMember.builder()
        .memberId("M-" + n)
        .email("member" + n + "@example.com")
        .firstName("Member")
        .lastName(String.valueOf(n))
        .status(MemberStatus.ACTIVE)
        .availablePoints(BigDecimal.valueOf(points))
        .loyaltyTierName("Silver")
        .lastModifiedDate(lastModified)
        .build();
  }
}
