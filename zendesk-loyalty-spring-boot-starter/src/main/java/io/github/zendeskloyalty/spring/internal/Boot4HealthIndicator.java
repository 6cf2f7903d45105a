package io.github.zendeskloyalty.spring.internal;

import io.github.zendeskloyalty.spring.ZendeskLoyaltyHealth;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@link ZendeskLoyaltyHealth} as a Spring Boot 4 health indicator
 * ({@code org.springframework.boot.health.contributor}). Not part of the API.
 */
public final class Boot4HealthIndicator extends AbstractHealthIndicator {

  private final ZendeskLoyaltyHealth health;

  /** Shows {@code health}. */
  public Boot4HealthIndicator(ZendeskLoyaltyHealth health) {
    super("Zendesk loyalty health check failed");
    this.health = health;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    ZendeskLoyaltyHealth.Report report = health.check();
    builder.status(report.status()).withDetails(report.details());
  }
}
