package io.github.zendeskloyalty.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's first command keeps working and keeps its promises. */
class LoyaltyDemoTest {

  @Test
  void theDemoSyncsEveryMemberWithFewCalls() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    LoyaltyDemo.Report report =
        LoyaltyDemo.run(new PrintStream(printed, true, StandardCharsets.UTF_8));

    assertThat(report.users()).isEqualTo(LoyaltyDemo.MEMBERS);
    assertThat(report.failed()).isZero();
    assertThat(report.ignoredStale()).isEqualTo(LoyaltyDemo.LATE_DELIVERIES);
    assertThat(report.created()).isEqualTo(LoyaltyDemo.MEMBERS);
    assertThat(report.retries()).isGreaterThanOrEqualTo(2);
    int bulkCalls = report.callsByEndpoint().getOrDefault("POST /api/v2/users/create_or_update_many", 0);
    assertThat(bulkCalls).as("coalescing: far fewer bulk calls than events")
        .isBetween(LoyaltyDemo.MEMBERS / 100, LoyaltyDemo.EVENTS / 100);
    assertThat(report.fallbackCallsByEndpoint())
        .containsEntry("POST /api/v2/users/create_or_update_many -> 403", 1)
        .containsEntry("POST /api/v2/users/create_or_update", 5)
        .containsEntry("PUT /api/v2/users/update_many", 1);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("Events in:", "API calls:", "Retries:", "Final Zendesk fields of three members:",
            "customer00150@example.com");
  }
}
