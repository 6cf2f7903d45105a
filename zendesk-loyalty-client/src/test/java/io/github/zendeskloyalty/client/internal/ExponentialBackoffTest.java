package io.github.zendeskloyalty.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zendeskloyalty.client.RetryPolicy;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExponentialBackoffTest {

  @Test
  void doublesUpToTheCapWithJitterInTheUpperHalf() {
    RetryPolicy policy = RetryPolicy.exponentialBackoff(Duration.ofMillis(100),
        Duration.ofSeconds(1), 10, Duration.ofMinutes(1));
    Random random = new Random(1);

    for (int trial = 0; trial < 100; trial++) {
      assertThat(policy.backoff(1, random)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
      assertThat(policy.backoff(3, random)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
      assertThat(policy.backoff(9, random)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
      assertThat(policy.backoff(60, random)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    }
  }

  @Test
  void sameSeedSameDelays() {
    RetryPolicy policy = RetryPolicy.defaults();

    assertThat(policy.backoff(2, new Random(9))).isEqualTo(policy.backoff(2, new Random(9)));
  }

  @Test
  void noneMakesOneAttempt() {
    assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> RetryPolicy.exponentialBackoff(Duration.ZERO, Duration.ofSeconds(1),
        3, Duration.ofMinutes(1))).hasMessage("baseDelay must be positive: PT0S");
    assertThatThrownBy(() -> RetryPolicy.exponentialBackoff(Duration.ofSeconds(2),
        Duration.ofSeconds(1), 3, Duration.ofMinutes(1)))
        .hasMessage("maxDelay must not be below baseDelay (PT2S): PT1S");
    assertThatThrownBy(() -> RetryPolicy.exponentialBackoff(Duration.ofSeconds(1),
        Duration.ofSeconds(1), 0, Duration.ofMinutes(1)))
        .hasMessage("maxAttempts must be at least 1: 0");
  }
}
