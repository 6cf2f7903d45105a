package io.github.zendeskloyalty.testkit;

/**
 * The entry point of AssertJ assertions on a {@link FakeZendesk}.
 *
 * <pre>{@code
 * import static io.github.zendeskloyalty.testkit.ZendeskAssertions.assertThat;
 *
 * assertThat(fake).hasUserCount(3);
 * assertThat(fake).user("jane@example.com")
 *     .hasField("zrl_member_available_points", 1250.5)
 *     .hasField("zrl_member_loyalty_tier_name", "Gold")
 *     .hasNoSecondaryEmails();
 * }</pre>
 */
public final class ZendeskAssertions {

  private ZendeskAssertions() {}

  /** Assertions on what the fake holds. */
  public static FakeZendeskAssert assertThat(FakeZendesk actual) {
    return new FakeZendeskAssert(actual);
  }
}
