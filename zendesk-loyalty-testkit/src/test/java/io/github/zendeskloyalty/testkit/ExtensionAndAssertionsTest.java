package io.github.zendeskloyalty.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zendeskloyalty.core.ZendeskFieldType;
import java.math.BigDecimal;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

class ExtensionAndAssertionsTest {

  @Nested
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class StaticRegistration {

    @RegisterExtension
    static FakeZendeskExtension zendesk = new FakeZendeskExtension(
        FakeZendesk.builder().bulkImport(false));

    static FakeZendesk first;

    @Test
    @Order(1)
    void injectsTheFake(FakeZendesk fake) {
      first = fake;
      assertThat(fake).isSameAs(zendesk.fake());
      fake.addUser("A", "a@example.com", null);
      fake.bulkImport(true);
      ZendeskAssertions.assertThat(fake).hasUserCount(1);
    }

    @Test
    @Order(2)
    void resetsBetweenTestsAndKeepsTheBuilderSettings(FakeZendesk fake) throws Exception {
      assertThat(fake).isSameAs(first);
      ZendeskAssertions.assertThat(fake).hasUserCount(0);
      assertThat(new Http(fake).send("POST", "/api/v2/users/create_or_update_many",
          "{'users':[{'name':'A','email':'a@example.com'}]}").statusCode()).isEqualTo(403);
    }
  }

  @Nested
  @ExtendWith(FakeZendeskExtension.class)
  class ExtendWithRegistration {

    @Test
    void injectsAParameter(FakeZendesk fake) {
      assertThat(fake.baseUri().getHost()).isEqualTo("127.0.0.1");
      assertThat(fake.users()).isEmpty();
    }
  }

  @Nested
  class InstanceRegistration {

    @RegisterExtension
    FakeZendeskExtension zendesk = new FakeZendeskExtension();

    @Test
    void startsAFakePerTest() {
      assertThat(zendesk.fake().users()).isEmpty();
    }
  }

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
