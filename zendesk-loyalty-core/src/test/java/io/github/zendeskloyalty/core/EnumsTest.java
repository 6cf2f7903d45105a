package io.github.zendeskloyalty.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnumsTest {

  @Test
  void pointsTriggersArePointsChangesOnly() {
    assertThat(Arrays.stream(SyncTrigger.values()).filter(SyncTrigger::isPointsChange))
        .containsExactly(SyncTrigger.POINTS_AWARDED, SyncTrigger.POINTS_DEDUCTED,
            SyncTrigger.POINTS_REDEEMED, SyncTrigger.POINTS_EXPIRED);
    assertThat(Arrays.stream(SyncTrigger.values()).filter(SyncTrigger::isTierChange))
        .containsExactly(SyncTrigger.TIER_UPGRADED, SyncTrigger.TIER_DOWNGRADED);
    assertThat(SyncTrigger.values())
        .allSatisfy(trigger -> assertThat(trigger.isPointsChange()).isNotEqualTo(trigger.isTierChange()));
  }

  @ParameterizedTest
  @CsvSource({"active,ACTIVE", "Blocked,BLOCKED", "block,BLOCKED", "deleted,DELETED",
      "opted out,OPTED_OUT", "opted_out,OPTED_OUT", "Opted-Out,OPTED_OUT"})
  void parsesMemberStatusesAsPlatformsWriteThem(String text, MemberStatus expected) {
    assertThat(MemberStatus.fromWireText(text)).isEqualTo(expected);
  }

  @Test
  void memberStatusesHaveTheirWireText() {
    assertThat(Arrays.stream(MemberStatus.values()).map(MemberStatus::wireText))
        .containsExactly("active", "blocked", "deleted", "opted_out");
  }

  @Test
  void rejectsAnUnknownMemberStatus() {
    assertThatThrownBy(() -> MemberStatus.fromWireText("frozen"))
        .hasMessage("member status must be one of active, blocked, deleted, opted_out: 'frozen'");
  }

  @Test
  void fieldTypesRoundTripTheirApiNames() {
    assertThat(ZendeskFieldType.values())
        .allSatisfy(type -> assertThat(ZendeskFieldType.fromApiName(type.apiName())).isSameAs(type));
    assertThat(Arrays.stream(ZendeskFieldType.values()).map(ZendeskFieldType::apiName))
        .contains("text", "decimal", "integer", "date", "checkbox", "textarea", "regexp");
    assertThatThrownBy(() -> ZendeskFieldType.fromApiName("number"))
        .hasMessage("unknown Zendesk user field type: 'number'");
  }
}
