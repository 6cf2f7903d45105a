package io.github.zendeskloyalty.spring.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.spring.ZendeskLoyaltyHealthIndicator;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import io.github.zendeskloyalty.testkit.ZendeskAssertions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(classes = {SampleLoyaltyApplication.class, SampleApplicationTest.Metrics.class})
class SampleApplicationTest {

  static final FakeZendesk fake = FakeZendesk.start();

  @TestConfiguration
  static class Metrics {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }

  @DynamicPropertySource
  static void zendesk(DynamicPropertyRegistry properties) {
    properties.add("zendesk.loyalty.base-uri", () -> fake.baseUri().toString());
    properties.add("zendesk.loyalty.email", () -> FakeZendesk.ADMIN_EMAIL);
    properties.add("zendesk.loyalty.api-token", () -> FakeZendesk.ADMIN_API_TOKEN);
    properties.add("zendesk.loyalty.fields-on-startup", () -> "ensure");
  }

  @AfterAll
  static void stop() {
    fake.close();
  }

  @Autowired
  SampleLoyaltyApplication.PointsService points;
  @Autowired
  ZendeskLoyaltyHealthIndicator health;
  @Autowired
  MeterRegistry registry;

  @Test
  void pointsAwardedInTheApplicationReachTheMembersZendeskProfile() throws Exception {
    assertThat(fake.userFields()).as("created at startup by fields-on-startup=ensure").hasSize(21);

    SyncResult result = points.award("M-42", "jane@example.com", 1250,
        Instant.parse("2026-11-27T10:00:00Z")).get(10, TimeUnit.SECONDS);

    assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.CREATED);
    ZendeskAssertions.assertThat(fake).user("jane@example.com")
        .hasField("zrl_member_available_points", 1250)
        .hasField("zrl_member_loyalty_tier_name", "Gold");
    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    assertThat(registry.find("zendesk.loyalty.events").counter()).isNotNull();
  }
}
