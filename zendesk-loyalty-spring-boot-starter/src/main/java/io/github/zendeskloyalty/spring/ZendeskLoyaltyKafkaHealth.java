package io.github.zendeskloyalty.spring;

import io.github.zendeskloyalty.kafka.KafkaIntakeStatus;
import io.github.zendeskloyalty.kafka.ZendeskLoyaltyKafkaConsumer;
import io.github.zendeskloyalty.spring.internal.KafkaIntakeLifecycle;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code zendeskLoyaltyKafka} health of the starter's Kafka intake, on every supported
 * Spring Boot line: DOWN with the reason and what to do when the intake stopped on a failure
 * (it restarts with backoff) or holds a partition for a reason (the dead-letter topic cannot be
 * written, say); OUT_OF_SERVICE before it starts and after it closed; UP otherwise. Details: the
 * state, the problem, lag, uncommitted records, assigned and paused partitions, each hold. Turn
 * it off with {@code management.health.zendesk-loyalty-kafka.enabled=false}.
 *
 * <pre>
 * GET /actuator/health/zendeskLoyaltyKafka
 * {"status":"DOWN","details":{"state":"STOPPED","problem":"the Kafka intake stopped:
 *   GroupAuthorizationException: ...; it restarts in 4s; grant this client READ on ..."}}
 * </pre>
 *
 * <p>In code:
 *
 * <pre>{@code
 * ZendeskLoyaltyHealth.Report report = kafkaHealth.check();
 * if (report.status().equals(ZendeskLoyaltyHealth.DOWN)) {
 *   log.warn("loyalty intake: " + report.details().get("problem"));
 * }
 * }</pre>
 */
public class ZendeskLoyaltyKafkaHealth {

  private final Supplier<KafkaIntakeLifecycle> lifecycle;

  /** The health of the intake the lifecycle runs (none when it supplies null). */
  public ZendeskLoyaltyKafkaHealth(Supplier<KafkaIntakeLifecycle> lifecycle) {
    this.lifecycle = lifecycle;
  }

  /** Reports now, from the intake's status. */
  public ZendeskLoyaltyHealth.Report check() {
    KafkaIntakeLifecycle running = lifecycle.get();
    ZendeskLoyaltyKafkaConsumer intake = running == null ? null : running.intake();
    Map<String, Object> details = new LinkedHashMap<>();
    if (intake == null) {
      details.put("state", "not running");
      return new ZendeskLoyaltyHealth.Report(ZendeskLoyaltyHealth.OUT_OF_SERVICE, details);
    }
    KafkaIntakeStatus status = intake.status();
    details.put("state", status.state().name());
    status.problem().ifPresent(problem -> details.put("problem", problem));
    details.put("lag", status.lag());
    details.put("uncommitted", status.uncommitted());
    details.put("assignedPartitions", status.assignedPartitions());
    details.put("pausedPartitions", status.pausedPartitions());
    if (!status.holds().isEmpty()) {
      Map<String, String> holds = new LinkedHashMap<>();
      status.holds().forEach(hold -> holds.put(hold.topic() + "-" + hold.partition() + "@"
          + hold.offset(), hold.reason()));
      details.put("holds", holds);
    }
    String code = switch (status.state()) {
      case STARTING, RUNNING -> ZendeskLoyaltyHealth.UP;
      case HOLDING, STOPPED -> ZendeskLoyaltyHealth.DOWN;
      case CLOSED -> ZendeskLoyaltyHealth.OUT_OF_SERVICE;
    };
    return new ZendeskLoyaltyHealth.Report(code, details);
  }
}
