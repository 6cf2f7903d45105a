package io.github.zendeskloyalty.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.Sleeper;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  /** A clock moved only by sleeping. */
  static final class Time extends Clock implements Sleeper {
    Instant now = Instant.parse("2026-11-24T00:00:00Z");
    final List<Duration> sleeps = new ArrayList<>();

    @Override
    public void sleep(Duration duration) {
      sleeps.add(duration);
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private static HttpHeaders headers(Map<String, List<String>> values) {
    return HttpHeaders.of(values, (name, value) -> true);
  }

  @Test
  void aFullBucketAllowsABurstThenPacesToTheRate() throws Exception {
    Time time = new Time();
    AccountRateLimiter limiter = new AccountRateLimiter(60, time, time);

    for (int i = 0; i < 60; i++) {
      limiter.acquire();
    }
    assertThat(time.sleeps).isEmpty();
    limiter.acquire();
    limiter.acquire();

    assertThat(time.sleeps).hasSize(2).allSatisfy(wait ->
        assertThat(wait).isBetween(Duration.ofMillis(999), Duration.ofMillis(1001)));
  }

  @Test
  void zendeskHeadersNarrowTheBudget() throws Exception {
    Time time = new Time();
    AccountRateLimiter limiter = new AccountRateLimiter(700, time, time);

    limiter.observe(headers(Map.of("X-Rate-Limit", List.of("200"),
        "X-Rate-Limit-Remaining", List.of("1"))));
    limiter.acquire();
    limiter.acquire();

    assertThat(limiter.limitPerMinute()).isEqualTo(200);
    assertThat(time.sleeps).containsExactly(Duration.ofMillis(300));
  }

  @Test
  void aHigherAccountLimitDoesNotRaiseTheConfiguredBudget() {
    Time time = new Time();
    AccountRateLimiter limiter = new AccountRateLimiter(100, time, time);

    limiter.observe(headers(Map.of("ratelimit-limit", List.of("2500"),
        "ratelimit-remaining", List.of("2400"))));

    assertThat(limiter.limitPerMinute()).isEqualTo(100);
  }

  @Test
  void aPauseHoldsEveryCall() throws Exception {
    Time time = new Time();
    AccountRateLimiter limiter = new AccountRateLimiter(100, time, time);

    limiter.pause(Duration.ofSeconds(30));
    limiter.pause(Duration.ofSeconds(5));
    limiter.acquire();

    assertThat(time.sleeps).containsExactly(Duration.ofSeconds(30));
  }

  @Test
  void singleUserWritesAreHeldToOnePerSecondPerAccount() throws Exception {
    Time time = new Time();
    SingleUserLimiter limiter = new SingleUserLimiter(time, time, 100);

    limiter.acquire("a@example.com");
    assertThat(limiter.isFree("b@example.com")).isFalse();
    limiter.acquire("b@example.com");

    assertThat(time.sleeps).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void singleUserWritesAreHeldToFivePerMinutePerUser() throws Exception {
    Time time = new Time();
    SingleUserLimiter limiter = new SingleUserLimiter(time, time, 100);

    for (int i = 0; i < 5; i++) {
      limiter.acquire("A@example.com");
      time.now = time.now.plusSeconds(2);
    }
    time.sleeps.clear();
    assertThat(limiter.isFree("a@example.com")).isFalse();
    assertThat(limiter.isFree("other@example.com")).isTrue();
    limiter.acquire("a@example.com");

    assertThat(time.sleeps).containsExactly(Duration.ofSeconds(50));
  }
}
