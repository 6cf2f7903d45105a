package io.github.zendeskloyalty.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.kafka.DeadLetter;
import io.github.zendeskloyalty.kafka.DeadLetterReason;
import io.github.zendeskloyalty.kafka.KafkaIntakeStatus;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ZendeskLoyaltyKafkaMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ZendeskLoyaltyKafkaMetrics metrics =
      new ZendeskLoyaltyKafkaMetrics(registry, Tags.of("app", "loyalty"));

  @Test
  void deadLettersAreCountedByReasonAndEveryReasonStartsAtZero() {
    metrics.onDeadLettered(new DeadLetter(DeadLetterReason.UNDECODABLE,
        "undecodable: value is not JSON", "events", 2, 41));
    metrics.onDeadLettered(new DeadLetter(DeadLetterReason.UNDECODABLE,
        "undecodable: value is not JSON", "events", 2, 42));
    metrics.onDeadLettered(new DeadLetter(DeadLetterReason.REJECTED_BY_ZENDESK,
        "rejected by Zendesk: j***@example.com is invalid", "events", 0, 7));

    assertThat(registry.get("zendesk.loyalty.kafka.dead.letters").tag("reason", "undecodable")
        .tag("app", "loyalty").counter().count()).isEqualTo(2);
    assertThat(registry.get("zendesk.loyalty.kafka.dead.letters")
        .tag("reason", "rejected_by_zendesk").counter().count()).isEqualTo(1);
    assertThat(registry.get("zendesk.loyalty.kafka.dead.letters").tag("reason", "refused")
        .counter().count()).as("present before the first, so a rate alert has a series").isZero();
    assertThat(registry.getMeters()).flatMap(meter -> meter.getId().getTags())
        .noneMatch(tag -> tag.getValue().contains("@") || tag.getValue().equals("41"));
  }

  @Test
  void gaugesShowTheLastStatus() {
    assertThat(registry.get("zendesk.loyalty.kafka.lag").gauge().value()).isZero();
    metrics.onStatus(new KafkaIntakeStatus(1_500, 320, 3, 1));

    assertThat(registry.get("zendesk.loyalty.kafka.lag").gauge().value()).isEqualTo(1_500);
    assertThat(registry.get("zendesk.loyalty.kafka.uncommitted").gauge().value()).isEqualTo(320);
    assertThat(registry.get("zendesk.loyalty.kafka.partitions.assigned").gauge().value())
        .isEqualTo(3);
    assertThat(registry.get("zendesk.loyalty.kafka.partitions.paused").gauge().value())
        .isEqualTo(1);
    assertThat(registry.getMeters()).extracting(Meter::getId)
        .allSatisfy(id -> assertThat(id.getTag("app")).isEqualTo("loyalty"));
  }
}
