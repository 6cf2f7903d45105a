package io.github.zendeskloyalty.compat.modular;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The SDK as named modules on the module path: its walls hold and it works behind them. */
class ModulePathTest {

  @Test
  void theSdkRunsAsNamedModulesWhoseInternalPackagesNoOneElseReads() {
    Module client = ZendeskLoyaltySync.class.getModule();
    Module core = LoyaltyMember.class.getModule();
    Module app = PointsAwarded.class.getModule();

    assertThat(client.getName()).isEqualTo("io.github.zendeskloyalty.client");
    assertThat(core.getName()).isEqualTo("io.github.zendeskloyalty.core");
    assertThat(client.isExported("io.github.zendeskloyalty.client")).isTrue();
    assertThat(client.isExported("io.github.zendeskloyalty.client.internal")).isFalse();
    assertThat(core.isExported("io.github.zendeskloyalty.core.internal")).isFalse();
    assertThat(core.isExported("io.github.zendeskloyalty.core.internal", client)).isTrue();
    assertThat(core.isExported("io.github.zendeskloyalty.core.internal", app)).isFalse();
    assertThat(app.canRead(core)).as("the client requires core transitively").isTrue();
  }

  @Test
  void pointsReachZendeskFromAModularApplication() throws Exception {
    try (FakeZendesk fake = FakeZendesk.builder().provisioned(FieldSchema.standard()).start();
         ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
      SyncResult result = new PointsAwarded(sync).award("M-1", "jane@example.com", 1250,
          Instant.parse("2026-11-27T10:00:00Z")).get(20, TimeUnit.SECONDS);

      assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.CREATED);
      assertThat(fake.user("jane@example.com")).hasValueSatisfying(user -> assertThat(
          user.userFields().get("zrl_member_available_points").toString()).isEqualTo("1250"));
    }
  }
}
