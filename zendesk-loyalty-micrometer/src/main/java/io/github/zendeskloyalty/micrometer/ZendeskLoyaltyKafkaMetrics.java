package io.github.zendeskloyalty.micrometer;

import io.github.zendeskloyalty.kafka.DeadLetter;
import io.github.zendeskloyalty.kafka.DeadLetterReason;
import io.github.zendeskloyalty.kafka.KafkaIntakeListener;
import io.github.zendeskloyalty.kafka.KafkaIntakeStatus;
import io.github.zendeskloyalty.kafka.ZendeskLoyaltyKafkaConsumer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * Records what a {@link ZendeskLoyaltyKafkaConsumer} does as Micrometer meters: give it to the
 * consumer's builder as its listener. Needs {@code zendesk-loyalty-kafka} on the class path.
 *
 * <pre>{@code
 * ZendeskLoyaltyKafkaConsumer intake = ZendeskLoyaltyKafkaConsumer.builder()
 *     .consumerConfig(config).topics("loyalty-events").sync(sync)
 *     .listener(new ZendeskLoyaltyKafkaMetrics(registry))
 *     .start();
 * }</pre>
 *
 * <table>
 *   <caption>Meters (about once a second; no member id, e-mail or offset ever becomes a tag)</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@code zendesk.loyalty.kafka.dead.letters}</td><td>counter</td>
 *       <td>{@code reason}: {@code undecodable}, {@code key_not_member_id}, {@code refused},
 *       {@code rejected_by_zendesk}</td></tr>
 *   <tr><td>{@code zendesk.loyalty.kafka.lag}</td><td>gauge</td>
 *       <td>none: records in the assigned partitions not yet read</td></tr>
 *   <tr><td>{@code zendesk.loyalty.kafka.uncommitted}</td><td>gauge</td>
 *       <td>none: records read and not yet committed</td></tr>
 *   <tr><td>{@code zendesk.loyalty.kafka.partitions.assigned}</td><td>gauge</td><td>none</td></tr>
 *   <tr><td>{@code zendesk.loyalty.kafka.partitions.paused}</td><td>gauge</td>
 *       <td>none: waiting to retry, held for a reason, or held back while the SDK catches
 *       up</td></tr>
 *   <tr><td>{@code zendesk.loyalty.kafka.partitions.held}</td><td>gauge</td>
 *       <td>none: held for a reason an operator may have to act on (the dead-letter topic
 *       cannot be written): alert when above 0 for minutes</td></tr>
 *   <tr><td>{@code zendesk.loyalty.kafka.running}</td><td>gauge</td>
 *       <td>none: 1 while the intake's loop runs, 0 when stopped on a failure (it restarts
 *       with backoff) or closed: alert when 0 on a live pod</td></tr>
 *   <tr><td>{@code zendesk.loyalty.kafka.stops}</td><td>counter</td>
 *       <td>none: times the loop stopped on a failure</td></tr>
 * </table>
 *
 * <p>Every meter also carries the common tags given to the constructor.
 */
public final class ZendeskLoyaltyKafkaMetrics implements KafkaIntakeListener {

  private final Map<DeadLetterReason, Counter> deadLetters = new EnumMap<>(DeadLetterReason.class);
  private final AtomicReference<KafkaIntakeStatus> status =
      new AtomicReference<>(KafkaIntakeStatus.STARTING);
  private final Counter stops;

  /** Meters in {@code registry}, with no common tags. */
  public ZendeskLoyaltyKafkaMetrics(MeterRegistry registry) {
    this(registry, Tags.empty());
  }

  /** Meters in {@code registry}, each with the common tags (for example the application). */
  public ZendeskLoyaltyKafkaMetrics(MeterRegistry registry, Iterable<Tag> commonTags) {
    Objects.requireNonNull(registry, "registry");
    Tags common = Tags.of(Objects.requireNonNull(commonTags, "commonTags"));
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      deadLetters.put(reason, Counter.builder("zendesk.loyalty.kafka.dead.letters")
          .description("Records sent to the dead-letter topic, by reason").tags(common)
          .tag("reason", reason.name().toLowerCase(Locale.ROOT)).register(registry));
    }
    gauge(registry, common, "zendesk.loyalty.kafka.lag",
        "Records in the assigned partitions not yet read", KafkaIntakeStatus::lag);
    gauge(registry, common, "zendesk.loyalty.kafka.uncommitted",
        "Records read and not yet committed", KafkaIntakeStatus::uncommitted);
    gauge(registry, common, "zendesk.loyalty.kafka.partitions.assigned",
        "Partitions this consumer owns", KafkaIntakeStatus::assignedPartitions);
    gauge(registry, common, "zendesk.loyalty.kafka.partitions.paused",
        "Partitions paused to retry or to let the SDK catch up",
        KafkaIntakeStatus::pausedPartitions);
    gauge(registry, common, "zendesk.loyalty.kafka.partitions.held",
        "Partitions held for a reason an operator may have to act on",
        current -> current.holds().size());
    gauge(registry, common, "zendesk.loyalty.kafka.running",
        "1 while the intake's loop runs (or starts), 0 when stopped or closed",
        current -> current.isRunning() || current.state() == KafkaIntakeStatus.State.STARTING
            ? 1 : 0);
    stops = Counter.builder("zendesk.loyalty.kafka.stops")
        .description("Times the intake's loop stopped on a failure (it restarts with backoff)")
        .tags(common).register(registry);
  }

  private void gauge(MeterRegistry registry, Tags common, String name, String description,
      ToDoubleFunction<KafkaIntakeStatus> value) {
    Gauge.builder(name, status, current -> value.applyAsDouble(current.get()))
        .description(description).tags(common).strongReference(true).register(registry);
  }

  @Override
  public void onDeadLettered(DeadLetter deadLetter) {
    deadLetters.get(deadLetter.reason()).increment();
  }

  @Override
  public void onStopped(KafkaIntakeStatus status, Throwable cause) {
    stops.increment();
  }

  @Override
  public void onStatus(KafkaIntakeStatus status) {
    this.status.set(Objects.requireNonNull(status, "status"));
  }
}
