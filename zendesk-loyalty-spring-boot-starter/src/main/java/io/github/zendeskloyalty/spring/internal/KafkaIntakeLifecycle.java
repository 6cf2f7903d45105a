package io.github.zendeskloyalty.spring.internal;

import io.github.zendeskloyalty.kafka.ZendeskLoyaltyKafkaConsumer;
import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the Kafka intake once the context is up and closes it when the context stops, before
 * the SDK it feeds (a later phase stops first): the records it holds settle and are committed,
 * the rest are read again by the group's next consumer. Not part of the API.
 */
public final class KafkaIntakeLifecycle implements SmartLifecycle {

  /** Stops before the SDK's {@link ShutdownLifecycle}, like Spring Kafka's own containers. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 100;

  private final Supplier<ZendeskLoyaltyKafkaConsumer> start;
  private volatile ZendeskLoyaltyKafkaConsumer running;

  /** A lifecycle that calls {@code start} to start the intake. */
  public KafkaIntakeLifecycle(Supplier<ZendeskLoyaltyKafkaConsumer> start) {
    this.start = Objects.requireNonNull(start, "start");
  }

  @Override
  public synchronized void start() {
    if (running == null) {
      running = start.get();
    }
  }

  @Override
  public synchronized void stop() {
    if (running != null) {
      running.close();
      running = null;
    }
  }

  @Override
  public boolean isRunning() {
    return running != null;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  /** The running intake, or null when stopped. */
  public ZendeskLoyaltyKafkaConsumer intake() {
    return running;
  }
}
