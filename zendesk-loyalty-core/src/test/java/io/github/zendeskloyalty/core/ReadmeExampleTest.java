package io.github.zendeskloyalty.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The core example of README.md, kept compiling and true. */
class ReadmeExampleTest {

  @Test
  void readmeCoreExample() {
    LoyaltyMember member = LoyaltyMember.builder()
        .memberId("M-1001")
        .email("jane@example.com")
        .firstName("Jane")
        .availablePoints(new BigDecimal("1250.50"))
        .loyaltyTierName("Gold")
        .lastModifiedDate(Instant.parse("2026-11-24T10:15:30Z"))
        .build();

    FieldSchema schema = FieldSchema.standard().toBuilder()
        .exclude(LoyaltyAttribute.PHONE)                                // don't sync the phone
        .key(LoyaltyAttribute.EMAIL, "zrl_member_email")                // another key in Zendesk
        .type(LoyaltyAttribute.ENROLLMENT_DATE, ZendeskFieldType.DATE)  // a Zendesk date field
        .build();

    Map<String, Object> userFields = schema.userFields(member);

    assertThat(userFields)
        .containsEntry("zrl_member_available_points", new BigDecimal("1250.50"))
        .containsEntry("zrl_member_member_id", "M-1001")
        .containsEntry("zrl_member_email", "jane@example.com")
        .containsEntry("zrl_member_loyalty_tier_name", "Gold")
        .doesNotContainKey("phone")
        .hasSize(20);
  }
}
