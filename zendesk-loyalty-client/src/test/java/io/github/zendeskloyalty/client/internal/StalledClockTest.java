package io.github.zendeskloyalty.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StalledClockTest {

  private final AtomicLong real = new AtomicLong();
  private final StalledClock stalled = new StalledClock(real::get);
  private final Instant now = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void membersWaitingOnAClockThatStandsStillAreSaidOnceNamingFlushAndAdvance() {
    assertThat(stalled.waiting(now, 3, Duration.ofSeconds(1))).isEmpty();
    real.addAndGet(Duration.ofSeconds(4).toNanos());
    assertThat(stalled.waiting(now, 3, Duration.ofSeconds(1))).isEmpty();
    real.addAndGet(Duration.ofSeconds(1).toNanos());

    assertThat(stalled.waiting(now, 3, Duration.ofSeconds(1))).hasValueSatisfying(warning ->
        assertThat(warning).contains("3 members", "has not moved", "sync.flush()",
            "clock.advance(maxDelay)"));
    real.addAndGet(Duration.ofSeconds(60).toNanos());
    assertThat(stalled.waiting(now, 3, Duration.ofSeconds(1))).as("once").isEmpty();
  }

  @Test
  void aClockThatMovesOrAWaitThatEndsStartsTheCountAfresh() {
    stalled.waiting(now, 1, Duration.ofSeconds(1));
    real.addAndGet(Duration.ofSeconds(4).toNanos());
    stalled.waiting(now.plusMillis(1), 1, Duration.ofSeconds(1)); // the clock moved
    real.addAndGet(Duration.ofSeconds(4).toNanos());
    assertThat(stalled.waiting(now.plusMillis(1), 1, Duration.ofSeconds(1))).isEmpty();

    stalled.notWaiting(); // a batch went
    real.addAndGet(Duration.ofSeconds(10).toNanos());
    assertThat(stalled.waiting(now.plusMillis(1), 1, Duration.ofSeconds(1))).isEmpty();
  }
}
