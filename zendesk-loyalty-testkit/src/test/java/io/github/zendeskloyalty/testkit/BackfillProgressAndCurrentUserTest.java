package io.github.zendeskloyalty.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zendeskloyalty.client.CurrentUser;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.SyncSummary;
import io.github.zendeskloyalty.client.ZendeskAuthenticationException;
import io.github.zendeskloyalty.client.ZendeskCredentials;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a resumable backfill and a credentials check build on: per-member outcomes, who the token is. */
class BackfillProgressAndCurrentUserTest {

  @RegisterExtension
  static FakeZendeskExtension zendesk = new FakeZendeskExtension();

  private static LoyaltyMember member(int n) {
    return LoyaltyMember.builder().memberId("M-" + n).email("member" + n + "@example.com")
        .availablePoints(BigDecimal.valueOf(n)).build();
  }

  @Test
  void progressHearsEveryMembersOutcomeOnceEvenWhenItThrows(FakeZendesk fake) throws Exception {
    fake.provision(FieldSchema.standard());
    List<LoyaltyMember> members = IntStream.range(0, 150).mapToObj(n -> member(n)).toList();
    LoyaltyMember refused = LoyaltyMember.builder().memberId("M-bad").build(); // no email to match by
    Map<String, Object> heard = new ConcurrentHashMap<>();
    Map<String, Integer> times = new ConcurrentHashMap<>();

    SyncSummary summary;
    try (ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
      summary = sync.syncAll(
          () -> Stream.concat(members.stream(), Stream.of(refused))
              .iterator(),
          (member, result, failure) -> {
            heard.put(member.memberId(), result != null ? result : failure);
            times.merge(member.memberId(), 1, Integer::sum);
            if (member.memberId().equals("M-7")) {
              throw new IllegalStateException("a progress listener that throws");
            }
            if (member.memberId().equals("M-8")) {
              throw new AssertionError("even an Error");
            }
          }).get(30, TimeUnit.SECONDS);
    }

    assertThat(summary.created()).isEqualTo(150);
    assertThat(heard).hasSize(151);
    assertThat(times.values()).containsOnly(1);
    assertThat(heard.get("M-7")).isInstanceOf(SyncResult.class);
    assertThat(heard.get("M-8")).isInstanceOf(SyncResult.class);
    assertThat(heard.get("M-bad")).isInstanceOf(IllegalArgumentException.class);
    assertThat(summary.failures()).containsOnlyKeys("M-bad");
  }

  @Test
  void currentUserSaysWhoTheCredentialsAreAndWhetherTheyAreAnAdmins(FakeZendesk fake) {
    try (ZendeskLoyaltySync admin = fake.syncBuilder().build();
         ZendeskLoyaltySync agent = fake.syncBuilder().credentials(fake.agentCredentials())
             .build()) {
      CurrentUser me = admin.currentUser();
      assertThat(me.email()).isEqualTo(FakeZendesk.ADMIN_EMAIL);
      assertThat(me.isAdmin()).isTrue();
      assertThat(me.toString()).doesNotContain(FakeZendesk.ADMIN_EMAIL);
      assertThat(agent.currentUser().isAdmin()).isFalse();
    }
  }

  @Test
  void wrongCredentialsAreAnAuthenticationFailureNotAnAnonymousUser(FakeZendesk fake) {
    try (ZendeskLoyaltySync sync = fake.syncBuilder()
        .credentials(ZendeskCredentials.apiToken(FakeZendesk.ADMIN_EMAIL, "wrong")).build()) {
      assertThatThrownBy(sync::currentUser).isInstanceOf(ZendeskAuthenticationException.class)
          .hasMessageContaining("401");
    }
  }
}
