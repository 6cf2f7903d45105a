package io.github.zendeskloyalty.spring.internal;

import io.github.zendeskloyalty.spring.ZendeskLoyaltyHealth;
import java.util.function.Supplier;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * A {@link ZendeskLoyaltyHealth.Report} (the sync's, or the Kafka intake's) as a Spring Boot 3 health indicator
 * ({@code org.springframework.boot.actuate.health}). Not part of the API.
 */
public final class Boot3HealthIndicator extends AbstractHealthIndicator {

  private final Supplier<ZendeskLoyaltyHealth.Report> health;

  /** Shows what {@code health} reports at each check. */
  public Boot3HealthIndicator(Supplier<ZendeskLoyaltyHealth.Report> health) {
    super("Zendesk loyalty health check failed");
    this.health = health;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    ZendeskLoyaltyHealth.Report report = health.get();
    builder.status(report.status()).withDetails(report.details());
  }
}
