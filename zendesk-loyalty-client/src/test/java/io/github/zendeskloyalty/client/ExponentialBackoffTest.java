package io.github.zendeskloyalty.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExponentialBackoffTest {

  @Test
  void doublesUpToTheCapWithJitterInTheUpperHalf() {
    RetryPolicy policy = RetryPolicy.builder().baseDelay(Duration.ofMillis(100))
        .maxDelay(Duration.ofSeconds(1)).maxAttempts(10).deadline(Duration.ofMinutes(1)).build();
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
    assertThatThrownBy(() -> RetryPolicy.builder().baseDelay(Duration.ZERO).build())
        .hasMessage("baseDelay must be positive: PT0S");
    assertThatThrownBy(() -> RetryPolicy.builder().baseDelay(Duration.ofSeconds(2))
        .maxDelay(Duration.ofSeconds(1)).build())
        .hasMessage("maxDelay must not be below baseDelay (PT2S): PT1S");
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0).build())
        .hasMessage("maxAttempts must be at least 1: 0");
    assertThatThrownBy(() -> RetryPolicy.builder().deadline(Duration.ofSeconds(-1)).build())
        .hasMessage("deadline must be positive: PT-1S");
  }

  @Test
  void theBuilderStartsFromTheNamedDefaults() {
    RetryPolicy defaults = RetryPolicy.defaults();

    assertThat(defaults.maxAttempts()).isEqualTo(RetryPolicy.DEFAULT_MAX_ATTEMPTS);
    assertThat(defaults.deadline()).isEqualTo(RetryPolicy.DEFAULT_DEADLINE);
    assertThat(RetryPolicy.builder().maxAttempts(3).build().deadline())
        .isEqualTo(RetryPolicy.DEFAULT_DEADLINE);
  }
}
