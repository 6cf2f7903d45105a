package io.github.zendeskloyalty.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zendeskloyalty.core.ZendeskFieldType;
import java.math.BigDecimal;
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
  }
}
