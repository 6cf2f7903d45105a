package io.github.zendeskloyalty.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.kafka.DeadLetter;
import io.github.zendeskloyalty.kafka.DeadLetterReason;
import io.github.zendeskloyalty.kafka.KafkaIntakeStatus;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ZendeskLoyaltyKafkaMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ZendeskLoyaltyKafkaMetrics metrics =
      new ZendeskLoyaltyKafkaMetrics(registry, Tags.of("app", "loyalty"));

  @Test
  void deadLettersAreCountedByReasonAndEveryReasonStartsAtZero() {
    metrics.onDeadLettered(new DeadLetter(DeadLetterReason.UNDECODABLE,
        "undecodable: value is not JSON", "events", 2, 41, false));
    metrics.onDeadLettered(new DeadLetter(DeadLetterReason.UNDECODABLE,
        "undecodable: value is not JSON", "events", 2, 42, false));
    metrics.onDeadLettered(new DeadLetter(DeadLetterReason.REJECTED_BY_ZENDESK,
        "rejected by Zendesk: j***@example.com is invalid", "events", 0, 7, true));

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
    assertThat(registry.get("zendesk.loyalty.kafka.running").gauge().value()).isEqualTo(1);
    KafkaIntakeStatus.PartitionHold hold = new KafkaIntakeStatus.PartitionHold("events", 1, 9,
        "the dead-letter topic events.dead-letters cannot be written");
    metrics.onStatus(new KafkaIntakeStatus(KafkaIntakeStatus.State.HOLDING, 1_500, 320, 3, 1,
        List.of(hold), Optional.of(hold.reason())));

    assertThat(registry.get("zendesk.loyalty.kafka.lag").gauge().value()).isEqualTo(1_500);
    assertThat(registry.get("zendesk.loyalty.kafka.uncommitted").gauge().value()).isEqualTo(320);
    assertThat(registry.get("zendesk.loyalty.kafka.partitions.assigned").gauge().value())
        .isEqualTo(3);
    assertThat(registry.get("zendesk.loyalty.kafka.partitions.paused").gauge().value())
        .isEqualTo(1);
    assertThat(registry.get("zendesk.loyalty.kafka.partitions.held").gauge().value())
        .isEqualTo(1);
    assertThat(registry.get("zendesk.loyalty.kafka.running").gauge().value()).isEqualTo(1);
    assertThat(registry.getMeters()).extracting(Meter::getId)
        .allSatisfy(id -> assertThat(id.getTag("app")).isEqualTo("loyalty"));
  }

  @Test
  void aStopIsCountedAndTheRunningGaugeFalls() {
    KafkaIntakeStatus stopped = new KafkaIntakeStatus(KafkaIntakeStatus.State.STOPPED, 0, 0, 0,
        0, List.of(), Optional.of("the Kafka intake stopped: GroupAuthorizationException"));
    metrics.onStatus(stopped);
    metrics.onStopped(stopped, new IllegalStateException("group not authorised"));

    assertThat(registry.get("zendesk.loyalty.kafka.running").gauge().value()).isZero();
    assertThat(registry.get("zendesk.loyalty.kafka.stops").counter().count()).isEqualTo(1);
  }
}
