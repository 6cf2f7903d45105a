package io.github.zendeskloyalty.client;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The limits of goodwill grants: a grant above {@code maxPerGrant} is refused, an agent's grants
 * of one day (UTC) above {@code maxPerAgentPerDay} are refused, and a grant above
 * {@code approvalAbove} waits for {@link AgentActions#approve}.
 *
 * <pre>{@code
 * GoodwillPolicy policy = new GoodwillPolicy(new BigDecimal("1000"), new BigDecimal("5000"),
 *     new BigDecimal("500"));
 * }</pre>
 */
public record GoodwillPolicy(BigDecimal maxPerGrant, BigDecimal maxPerAgentPerDay,
    BigDecimal approvalAbove) {

  /**
   * Checks the limits.
   *
   * @throws IllegalArgumentException when one is not positive
   */
  public GoodwillPolicy {
    for (BigDecimal limit : new BigDecimal[] {maxPerGrant, maxPerAgentPerDay, approvalAbove}) {
      if (Objects.requireNonNull(limit, "limit").signum() <= 0) {
        throw new IllegalArgumentException("goodwill limits must be positive: " + limit);
      }
    }
  }

  /** 1,000 points a grant, 5,000 an agent a day, approval above 500. */
  public static GoodwillPolicy defaults() {
    return new GoodwillPolicy(new BigDecimal("1000"), new BigDecimal("5000"),
        new BigDecimal("500"));
  }
}
