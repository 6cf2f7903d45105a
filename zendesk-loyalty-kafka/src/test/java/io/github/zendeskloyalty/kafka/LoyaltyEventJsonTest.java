package io.github.zendeskloyalty.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zendeskloyalty.core.LoyaltyEvent;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.MemberStatus;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoyaltyEventJsonTest {

  private static LoyaltyEvent decode(String json) {
    return LoyaltyEventJson.decoder().decode("events", null,
        json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anEventRoundTripsWithEveryAttributeExact() {
    LoyaltyMember member = LoyaltyMember.builder().memberId("M-1").email("jane@example.com")
        .firstName("Jane").availablePoints(new BigDecimal("0.10000000000000001"))
        .status(MemberStatus.OPTED_OUT).numberOfPurchases(3)
        .referralUrl(URI.create("https://loyalty.example.com/r/1"))
        .lastModifiedDate(Instant.parse("2026-11-24T10:15:30Z")).build();
    LoyaltyEvent event = new LoyaltyEvent(SyncTrigger.TIER_UPGRADED, member,
        Instant.parse("2026-11-24T10:15:31Z"));

    assertThat(LoyaltyEventJson.decoder().decode("events", null, LoyaltyEventJson.encode(event)))
        .isEqualTo(event);
  }

  @Test
  void theDocumentedExampleDecodes() {
    LoyaltyEvent event = decode("""
        {"version": 1, "trigger": "POINTS_AWARDED", "occurredAt": "2026-11-24T10:15:30Z",
         "member": {"zrl_member_member_id": "M-1001", "email": "jane@example.com",
                    "zrl_member_available_points": 1250.50, "zrl_member_loyalty_tier_name": "Gold",
                    "zrl_member_last_modified_date": "2026-11-24T10:15:30Z", "phone": null}}""");

    assertThat(event.trigger()).isEqualTo(SyncTrigger.POINTS_AWARDED);
    assertThat(event.member().availablePoints()).isEqualTo(new BigDecimal("1250.50"));
    assertThat(event.member().phone()).isNull();
  }

  @Test
  void aRecordThatIsNoEventSaysWhyWithoutQuotingIt() {
    assertThatThrownBy(() -> decode("not json")).hasMessage("value is not JSON");
    assertThatThrownBy(() -> decode("{\"version\": 2}")).hasMessageContaining("version is 2");
    assertThatThrownBy(() -> decode("{\"version\": 1, \"trigger\": \"POINTS_GIVEN\"}"))
        .hasMessageStartingWith("trigger is not one of");
    assertThatThrownBy(() -> decode("{\"version\": 1, \"trigger\": \"POINTS_AWARDED\","
        + " \"occurredAt\": \"2026-11-24T10:15:30Z\", \"member\": {\"zrl_member_member_id\":"
        + " \"M-1\", \"zrl_member_lifetime_points_earned\": -5}}"))
        .hasMessage("lifetimePointsEarned must not be negative: -5");
    assertThatThrownBy(() -> decode("{\"version\": 1, \"trigger\": \"POINTS_AWARDED\","
        + " \"occurredAt\": \"2026-11-24T10:15:30Z\", \"member\": {\"points\": 5}}"))
        .hasMessage("member.points is not one of the seed's attribute keys");
    assertThatThrownBy(() -> LoyaltyEventJson.decoder().decode("events", null, null))
        .hasMessage("no value (a tombstone)");
  }

  @Test
  void aValueOfTheWrongShapeIsRefusedNamingWhere() {
    String head = "{\"version\": 1, \"trigger\": \"POINTS_AWARDED\","
        + " \"occurredAt\": \"2026-11-24T10:15:30Z\", ";
    assertThatThrownBy(() -> decode("[1, 2]")).hasMessage("value is not a JSON object");
    assertThatThrownBy(() -> decode("{\"trigger\": \"POINTS_AWARDED\"}"))
        .hasMessageStartingWith("version is missing");
    assertThatThrownBy(() -> decode("{\"version\": \"2\"}"))
        .hasMessageStartingWith("version is \"2\"");
    assertThatThrownBy(() -> decode(head + "\"member\": [1]}"))
        .hasMessage("member is not a JSON object");
    assertThatThrownBy(() -> decode(head + "\"member\": {\"zrl_member_member_id\": \"M-1\","
        + " \"email\": {\"a\": 1}}}"))
        .hasMessage("member.email must be one value");
    assertThatThrownBy(() -> decode(head + "\"member\": {\"zrl_member_member_id\": \"M-1\"}"
        + " trailing"))
        .hasMessage("value is not JSON");
    assertThatThrownBy(() -> decode(head + "\"member\": {\"zrl_member_member_id\": \"M-1\","))
        .hasMessage("value is not JSON");
  }

  @Test
  void theLastOfARepeatedKeyWinsAndUnknownTopLevelKeysAreSkipped() {
    LoyaltyEvent event = decode("""
        {"version": "1", "source": {"system": "pos", "ids": [1, 2]}, "trigger": "points_awarded",
         "occurredAt": "2026-11-24T10:15:30Z",
         "member": {"zrl_member_member_id": "M-1", "zrl_member_available_points": 5,
                    "zrl_member_available_points": 7.50, "phone": "1", "phone": null}}""");

    assertThat(event.member().availablePoints()).isEqualTo(new BigDecimal("7.50"));
    assertThat(event.member().phone()).isNull();
    assertThat(event.trigger()).isEqualTo(SyncTrigger.POINTS_AWARDED);
  }
}
