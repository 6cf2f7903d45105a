package io.github.zendeskloyalty.spring.internal;

import io.github.zendeskloyalty.spring.ZendeskLoyaltyHealth;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * {@link ZendeskLoyaltyHealth} as a Spring Boot 3 health indicator
 * ({@code org.springframework.boot.actuate.health}). Not part of the API.
 */
public final class Boot3HealthIndicator extends AbstractHealthIndicator {

  private final ZendeskLoyaltyHealth health;

  /** Shows {@code health}. */
  public Boot3HealthIndicator(ZendeskLoyaltyHealth health) {
    super("Zendesk loyalty health check failed");
    this.health = health;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    ZendeskLoyaltyHealth.Report report = health.check();
    builder.status(report.status()).withDetails(report.details());
  }
}
