package io.github.zendeskloyalty.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.cfg.PackageVersion;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import io.github.zendeskloyalty.testkit.FakeZendeskExtension;
import io.github.zendeskloyalty.testkit.ManualClock;
import io.github.zendeskloyalty.testkit.ZendeskAssertions;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A downstream project's integration test: the SDK, the fake, the extension and the assertions
 * on whatever Jackson, JUnit and AssertJ the project's dependency management chose.
 */
class DownstreamTest {

  static final ManualClock TIME = new ManualClock();

  @RegisterExtension
  static FakeZendeskExtension zendesk = new FakeZendeskExtension(FakeZendesk.builder().clock(TIME));

  @Test
  void pointsReachTheProfileOnThisClasspath(FakeZendesk fake) throws Exception {
    System.out.printf("classpath: Jackson %s, JUnit %s, AssertJ %s%n", PackageVersion.VERSION,
        Test.class.getPackage().getImplementationVersion(),
        org.assertj.core.api.Assertions.class.getProtectionDomain().getCodeSource().getLocation()
            .getPath().replaceAll(".*/", ""));
    String expectedJUnit = System.getProperty("expected.junit.line", "");
    if (!expectedJUnit.isEmpty()) {
      assertThat(Test.class.getPackage().getImplementationVersion()).startsWith(expectedJUnit);
    }
    String expectedJackson = System.getProperty("expected.jackson.version", "");
    if (!expectedJackson.isEmpty()) {
      assertThat(PackageVersion.VERSION.toString()).isEqualTo(expectedJackson);
    }
    LoyaltyMember jane = LoyaltyMember.builder().memberId("M-1").email("jane@example.com")
        .firstName("Jane").availablePoints(new BigDecimal("1250.50")).loyaltyTierName("Gold")
        .lastModifiedDate(Instant.parse("2026-11-24T10:15:30Z")).build();
    LoyaltyMember john = LoyaltyMember.builder().memberId("M-2").email("john@example.com")
        .availablePoints(BigDecimal.TEN).lastModifiedDate(Instant.parse("2026-11-24T10:15:30Z"))
        .build();

    SyncResult result;
    try (ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
      sync.fields().ensure();
      sync.onPointsChanged(john, SyncTrigger.POINTS_AWARDED);
      CompletableFuture<SyncResult> upgraded = sync.onTierChanged(jane, SyncTrigger.TIER_UPGRADED);
      sync.flush().get(10, TimeUnit.SECONDS);
      result = upgraded.get(10, TimeUnit.SECONDS);
    }

    assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.CREATED);
    ZendeskAssertions.assertThat(fake).hasUserCount(2).user("jane@example.com")
        .hasFieldsOf(jane, FieldSchema.standard()).hasNoSecondaryEmails();
  }
}
