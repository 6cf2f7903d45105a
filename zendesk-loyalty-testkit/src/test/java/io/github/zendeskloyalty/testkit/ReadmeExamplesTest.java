package io.github.zendeskloyalty.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.FieldReport;
import io.github.zendeskloyalty.client.IdentityPolicy;
import io.github.zendeskloyalty.client.MissingUserPolicy;
import io.github.zendeskloyalty.client.RateLimits;
import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.SyncSummary;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyAttribute;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client and testkit examples of README.md, kept compiling and true. */
class ReadmeExamplesTest {

  static final ManualClock time = new ManualClock();     // rate-limit waits take no real time

  @RegisterExtension
  static FakeZendeskExtension zendesk = new FakeZendeskExtension(FakeZendesk.builder().clock(time));

  private final LoyaltyMember member = LoyaltyMember.builder()
      .memberId("M-1001").email("jane@example.com").firstName("Jane")
      .availablePoints(new BigDecimal("1250.50")).loyaltyTierName("Silver")
      .lastModifiedDate(Instant.parse("2026-11-24T10:15:30Z")).build();

  @Test
  void syncingMembers(FakeZendesk fake) {
    // a member as your loyalty backend knows it after a change (any of the 21 attributes)
    LoyaltyMember member = LoyaltyMember.builder()
        .memberId("M-1001")                                            // required: your member id
        .email("jane@example.com")                                     // the match key under EMAIL
        .firstName("Jane")
        .availablePoints(new BigDecimal("1250.50"))
        .loyaltyTierName("Silver")
        .lastModifiedDate(Instant.parse("2026-11-24T10:15:30Z"))       // newest snapshot wins by this
        .build();
    LoyaltyMember upgraded = member.toBuilder().loyaltyTierName("Gold")
        .lastModifiedDate(Instant.parse("2026-11-24T10:16:00Z")).build();
    List<LoyaltyMember> allMembers = List.of(LoyaltyMember.builder().memberId("M-2")
        .email("john@example.com").build());

    // README "Syncing members", with the fake's address and credentials for acme's
    try (ZendeskLoyaltySync sync = ZendeskLoyaltySync.builder()
        .baseUri(fake.baseUri()).credentials(fake.credentials()).clock(time).sleeper(time)
        .identity(IdentityPolicy.EMAIL)                                // match users by email (default)
        .missingUsers(MissingUserPolicy.CREATE)                        // create users that don't exist (default)
        .maxDelay(Duration.ofSeconds(2))                               // wait up to 2 s to fill a batch
        .rateLimits(RateLimits.defaults().toBuilder().requestsPerMinute(400).build())
        .listener(new SyncListener() {
          @Override
          public void onFailed(String memberId, ZendeskException failure) {
            System.err.println("not synced: " + memberId + ": " + failure.getMessage());
          }
        })
        .build()) {

      FieldReport fields = sync.fields().ensure();                     // creates the 21 fields once
      if (!fields.isReady()) {
        throw new IllegalStateException("fix these fields in Admin Center: " + fields.mismatched());
      }

      // from your loyalty event handlers:
      sync.onPointsChanged(member, SyncTrigger.POINTS_AWARDED)
          .thenAccept(result -> System.out.println(result.memberId() + " " + result.outcome()));
      sync.onTierChanged(upgraded, SyncTrigger.TIER_UPGRADED);

      // a backfill after installing the integration (asynchronous: returns at once):
      SyncSummary summary = sync.syncAll(allMembers).join();
      assertThat(summary.created()).isEqualTo(1);
    }

    ZendeskAssertions.assertThat(fake).hasUserCount(2).user("jane@example.com")
        .hasField("zrl_member_loyalty_tier_name", "Gold");
  }

  @Test
  void pointsReachTheProfile(FakeZendesk fake) {
    fake.provision(FieldSchema.standard());
    try (ZendeskLoyaltySync sync = fake.syncBuilder().build()) {   // the fake's address, credentials and clock
      CompletableFuture<SyncResult> synced = sync.onPointsChanged(member, SyncTrigger.POINTS_AWARDED);

      // The rule: the ManualClock never moves by itself, so the batch waits for its max delay
      // until flush() (or time.advance(...)). Wait on a future only after one of them.
      sync.flush().join();
      assertThat(synced.join().outcome()).isEqualTo(SyncResult.Outcome.CREATED);
    }

    ZendeskAssertions.assertThat(fake).user("jane@example.com")
        .hasFieldsOf(member)                                       // every field of the snapshot
        .hasField(LoyaltyAttribute.AVAILABLE_POINTS, 1250.5)
        .hasNoSecondaryEmails();
  }
}
