package io.github.zendeskloyalty.spring;

import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * What the starter's context tests share: a fake Zendesk per test class, reset with the standard
 * fields before each test, and a runner of the auto-configuration.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
abstract class StarterTestBase {

  final FakeZendesk fake = FakeZendesk.start();

  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ZendeskLoyaltyAutoConfiguration.class));

  @AfterAll
  void stopFake() {
    fake.close();
  }

  @BeforeEach
  void resetFake() {
    fake.reset();
    fake.provision(FieldSchema.standard());
  }

  /** The fake's account and admin credentials, as an application.yml would give them. */
  String[] account() {
    return fake.springBootProperties().entrySet().stream()
        .map(property -> property.getKey() + "=" + property.getValue()).toArray(String[]::new);
  }

  static LoyaltyMember member(int n) {
    return LoyaltyMember.builder().memberId("M-" + n).email("member" + n + "@example.com")
        .availablePoints(BigDecimal.valueOf(n))
        .lastModifiedDate(Instant.parse("2026-11-01T00:00:00Z")).build();
  }
}
