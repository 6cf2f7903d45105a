package io.github.zendeskloyalty.spring;

import io.github.zendeskloyalty.client.OAuthTokenStore;
import io.github.zendeskloyalty.client.SingleUserWriteSlots;
import io.github.zendeskloyalty.client.Sleeper;
import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.SyncListeners;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.micrometer.ZendeskLoyaltyMetrics;
import io.github.zendeskloyalty.spring.internal.Boot3HealthIndicator;
import io.github.zendeskloyalty.spring.internal.Boot4HealthIndicator;
import io.github.zendeskloyalty.spring.internal.ShutdownLifecycle;
import io.github.zendeskloyalty.spring.internal.StartupCheck;
import io.github.zendeskloyalty.spring.internal.SyncFactory;
import io.github.zendeskloyalty.spring.internal.SyncHealth;
import io.github.zendeskloyalty.spring.internal.TokenMasking;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configures one {@link ZendeskLoyaltySync} from {@code zendesk.loyalty.*} (backing off when
 * the application defines its own), checks the user fields at startup, shuts it down with the
 * context, and adds Micrometer meters (with a {@code MeterRegistry}), the
 * {@code zendeskLoyalty} health indicator and the tokens' masking (with Actuator), on Spring
 * Boot 4 and 3.5: where the lines differ, the classes on the classpath choose.
 *
 * <pre>{@code
 * @Service
 * class PointsService {
 *   private final ZendeskLoyaltySync zendesk;
 *
 *   PointsService(ZendeskLoyaltySync zendesk) {
 *     this.zendesk = zendesk;
 *   }
 *
 *   void award(LoyaltyMember member) {
 *     zendesk.onPointsChanged(member, SyncTrigger.POINTS_AWARDED);
 *   }
 * }
 * }</pre>
 *
 * <p>Every {@link SyncListener} bean hears the SDK; a {@link FieldSchema} bean replaces the
 * standard schema; a {@link SingleUserWriteSlots} bean is where it takes single-user write turns;
 * a {@link Clock} and a {@link Sleeper} bean (in tests, one {@code ManualClock}) are its time.
 */
@AutoConfiguration(afterName = {
    // Spring Boot 4
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
    // Spring Boot 3
    "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(ZendeskLoyaltySync.class)
@EnableConfigurationProperties(ZendeskLoyaltyProperties.class)
public class ZendeskLoyaltyAutoConfiguration {

  /** A class of Spring Boot 4's health API: its indicator is configured when present. */
  static final String BOOT_4_HEALTH = "org.springframework.boot.health.contributor.HealthIndicator";
  /** A class of Spring Boot 3's health API: its indicator is configured when present. */
  static final String BOOT_3_HEALTH = "org.springframework.boot.actuate.health.HealthIndicator";
  /** Actuator's sanitizing function, the same on both lines. */
  static final String SANITIZING_FUNCTION =
      "org.springframework.boot.actuate.endpoint.SanitizingFunction";
  /** The indicator's bean name: Actuator shows it as {@code zendeskLoyalty}. */
  static final String HEALTH_INDICATOR = "zendeskLoyaltyHealthIndicator";

  /** What the health indicator reports; a listener of the auto-configured SDK. */
  @Bean
  @ConditionalOnMissingBean
  public SyncHealth zendeskLoyaltySyncHealth(ObjectProvider<Clock> clock) {
    return new SyncHealth(clock.getIfAvailable(Clock::systemUTC));
  }

  /** The SDK, unless the application defines its own. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(ZendeskLoyaltySync.class)
  static class SyncConfiguration {

    @Bean
    ZendeskLoyaltySync zendeskLoyaltySync(ZendeskLoyaltyProperties properties,
        ObjectProvider<SyncListener> listeners, ObjectProvider<FieldSchema> schema,
        ObjectProvider<SingleUserWriteSlots> writeSlots, ObjectProvider<OAuthTokenStore> tokens,
        ObjectProvider<Clock> clock, ObjectProvider<Sleeper> sleeper, SyncHealth health) {
      ZendeskLoyaltySync sync = SyncFactory.build(properties,
          schema.getIfAvailable(FieldSchema::standard),
          SyncListeners.all(listeners.orderedStream().toList()), writeSlots.getIfAvailable(),
          tokens.getIfUnique(), clock.getIfUnique(), sleeper.getIfUnique());
      try {
        StartupCheck.run(sync, properties, health);
      } catch (RuntimeException | Error refused) {
        sync.close(); // no dispatcher thread outlives a context that did not start
        throw refused;
      }
      return sync;
    }

    @Bean
    ShutdownLifecycle zendeskLoyaltyShutdown(ZendeskLoyaltySync zendeskLoyaltySync,
        SyncHealth health, ZendeskLoyaltyProperties properties) {
      return new ShutdownLifecycle(zendeskLoyaltySync, health,
          Optional.ofNullable(properties.getTimeouts().getClose())
              .orElse(ZendeskLoyaltySync.DEFAULT_CLOSE_TIMEOUT));
    }
  }

  /** Meters, when the application has a {@link MeterRegistry}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MeterRegistry.class, ZendeskLoyaltyMetrics.class})
  @ConditionalOnBean(MeterRegistry.class)
  static class MetricsConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ZendeskLoyaltyMetrics zendeskLoyaltyMetrics(MeterRegistry registry) {
      return new ZendeskLoyaltyMetrics(registry);
    }

    @Bean
    SmartInitializingSingleton zendeskLoyaltyGauges(ZendeskLoyaltyMetrics metrics,
        ObjectProvider<ZendeskLoyaltySync> sync) {
      return () -> sync.ifAvailable(metrics::monitor);
    }
  }

  /** The line-neutral health, unless turned off; Actuator shows it on either Boot line. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "management.health.zendesk-loyalty", name = "enabled",
      matchIfMissing = true)
  static class HealthConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ZendeskLoyaltyHealth zendeskLoyaltyHealth(ZendeskLoyaltySync sync, SyncHealth health,
        ZendeskLoyaltyProperties properties) {
      return new ZendeskLoyaltyHealth(sync, health, properties.getHealth());
    }

    /** Spring Boot 4's health API. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = BOOT_4_HEALTH)
    static class Boot4Health {
      @Bean
      @ConditionalOnMissingBean(name = HEALTH_INDICATOR)
      Boot4HealthIndicator zendeskLoyaltyHealthIndicator(ZendeskLoyaltyHealth health) {
        return new Boot4HealthIndicator(health::check);
      }
    }

    /** Spring Boot 3's health API. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = BOOT_3_HEALTH)
    static class Boot3Health {
      @Bean
      @ConditionalOnMissingBean(name = HEALTH_INDICATOR)
      Boot3HealthIndicator zendeskLoyaltyHealthIndicator(ZendeskLoyaltyHealth health) {
        return new Boot3HealthIndicator(health::check);
      }
    }
  }

  /** Actuator's {@code /configprops} and {@code /env}: the tokens masked in every form. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = SANITIZING_FUNCTION)
  static class MaskingConfiguration {

    @Bean
    TokenMasking zendeskLoyaltyTokens(ZendeskLoyaltyProperties properties) {
      return new TokenMasking(() -> Arrays.asList(properties.getApiToken(),
          properties.getOauthToken(), properties.getAgentActions().getSigningSecret(),
          properties.getOauth().getClientSecret(), properties.getOauth().getRefreshToken(),
          properties.getOauth().getEncryptionKey(),
          properties.getAgentActions().getBearerToken()));
    }
  }
}
