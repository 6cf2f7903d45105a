package io.github.zendeskloyalty.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zendeskloyalty.core.ZendeskFieldType;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyAttribute;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Assertions on what the fake holds, with failure messages that show it. */
class ExtensionAndAssertionsTest {

  @Nested
  class Assertions {

    @RegisterExtension
    static FakeZendeskExtension zendesk = new FakeZendeskExtension();

    @Test
    void passWhenTheFakeHoldsTheValues(FakeZendesk fake) throws Exception {
      fake.addUserField("points", ZendeskFieldType.DECIMAL, true);
      fake.addUserField("tier", ZendeskFieldType.TEXT, true);
      FakeUser jane = fake.addUser("Jane Doe", "jane@example.com", "M-1");
      new Http(fake).send("PUT", "/api/v2/users/" + jane.id(),
          "{'user':{'user_fields':{'points':1250.50}}}");

      ZendeskAssertions.assertThat(fake).hasUserCount(1).hasUserField("points")
          .user("jane@example.com").hasName("Jane Doe").hasExternalId("M-1")
          .hasField("points", 1250.5).hasField("points", new BigDecimal("1250.500"))
          .hasNullField("tier").hasNoSecondaryEmails();
      ZendeskAssertions.assertThat(fake).userWithExternalId("m-1").hasField("points", 1250.50f);
      ZendeskAssertions.assertThat(fake).hasNoUser("john@example.com");
    }

    @Test
    void failuresShowWhatTheFakeHolds(FakeZendesk fake) {
      fake.addUserField("tier", ZendeskFieldType.TEXT, true);
      fake.addUser("Jane", "jane@example.com", "M-1");

      assertThatThrownBy(() -> ZendeskAssertions.assertThat(fake).user("john@example.com"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("Expecting a Zendesk user with email <john@example.com> but the"
              + " fake holds 1 users: [")
          .hasMessageContaining("jane@example.com (external id M-1)");
      assertThatThrownBy(() -> ZendeskAssertions.assertThat(fake).user("jane@example.com")
              .hasField("tier", "Gold"))
          .hasMessageContaining("Expecting user <jane@example.com> field <tier> to be <Gold> but"
              + " was <null>; the user's fields are {tier=null}");
      assertThatThrownBy(() -> ZendeskAssertions.assertThat(fake).user("jane@example.com")
              .hasField("points", 1))
          .hasMessageContaining("the fake defines no such field");
      assertThatThrownBy(() -> ZendeskAssertions.assertThat(fake).hasUserCount(2))
          .hasMessageContaining("Expecting 2 Zendesk users but the fake holds 1");
      assertThatThrownBy(() -> ZendeskAssertions.assertThat(fake).hasUserField("points"))
          .hasMessageContaining("Expecting a user field <points> but the fake defines [tier]");
    }
  
    @Test
    void hasFieldsOfComparesEveryFieldOfAMemberSnapshot(FakeZendesk fake) throws Exception {
      ManualClock time = new ManualClock();
      fake.provision(FieldSchema.standard());
      LoyaltyMember jane = LoyaltyMember.builder().memberId("M-1").email("jane@example.com")
          .firstName("Jane").availablePoints(new BigDecimal("1250.50")).loyaltyTierName("Gold")
          .lastModifiedDate(Instant.parse("2026-11-24T10:15:30Z")).build();
      try (ZendeskLoyaltySync sync = fake.syncBuilder().clock(time).sleeper(time).build()) {
        sync.onPointsChanged(jane, SyncTrigger.POINTS_AWARDED);
        sync.flush().get(10, TimeUnit.SECONDS);
      }

      ZendeskAssertions.assertThat(fake).user("jane@example.com").hasFieldsOf(jane)
          .hasField(LoyaltyAttribute.AVAILABLE_POINTS, 1250.5)
          .hasField(LoyaltyAttribute.LAST_MODIFIED_DATE, Instant.parse("2026-11-24T10:15:30Z"));
      assertThatThrownBy(() -> ZendeskAssertions.assertThat(fake).user("jane@example.com")
              .hasFieldsOf(jane.toBuilder().loyaltyTierName("Silver").numberOfPurchases(3).build()))
          .hasMessageContaining("to hold the fields of member M-1, but 2 differ")
          .hasMessageContaining("zrl_member_loyalty_tier_name: expected <Silver> but was <Gold>")
          .hasMessageContaining("zrl_member_number_of_purchases: expected <3> but was <0>");
    }

    @Test
    void anExistingUserCanBeAddedWithFieldValues(FakeZendesk fake) {
      fake.addUserField("tier", ZendeskFieldType.TEXT, true);
      fake.addUserField("points", ZendeskFieldType.DECIMAL, true);

      fake.addUser("Jane", "jane@example.com", "M-1", Map.of("tier", "Silver", "points", 120));

      ZendeskAssertions.assertThat(fake).user("jane@example.com").hasField("tier", "Silver")
          .hasField("points", 120);
      assertThatThrownBy(() -> fake.addUser("John", "john@example.com", null,
          Map.of("points", "many")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("points");
    }

    @Test
    void syncBuilderIsWiredToTheFakeAndItsManualClock() throws Exception {
      ManualClock time = new ManualClock();
      try (FakeZendesk fake = FakeZendesk.builder().clock(time).jobDuration(Duration.ofMinutes(5))
          .start()) {
        fake.provision(FieldSchema.standard());
        try (ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
          sync.onPointsChanged(LoyaltyMember.builder().memberId("M-1").email("a@example.com")
              .build(), SyncTrigger.POINTS_AWARDED);
          sync.onPointsChanged(LoyaltyMember.builder().memberId("M-2").email("b@example.com")
              .build(), SyncTrigger.POINTS_AWARDED);
          sync.flush().get(10, TimeUnit.SECONDS);
        }

        assertThat(time.slept()).as("the SDK waited for the job on the fake's clock")
            .isGreaterThanOrEqualTo(Duration.ofMinutes(5));
        ZendeskAssertions.assertThat(fake).hasUserCount(2);
      }
    }
  }
}
