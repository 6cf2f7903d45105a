package io.github.zendeskloyalty.spring;

import io.github.zendeskloyalty.client.SingleUserWriteSlots;
import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.SyncListeners;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.micrometer.ZendeskLoyaltyMetrics;
import io.github.zendeskloyalty.spring.internal.ShutdownLifecycle;
import io.github.zendeskloyalty.spring.internal.StartupCheck;
import io.github.zendeskloyalty.spring.internal.SyncFactory;
import io.github.zendeskloyalty.spring.internal.SyncHealth;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.health.HealthIndicator;
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
 * context, and adds Micrometer meters (with a {@code MeterRegistry}) and the
 * {@code zendeskLoyalty} health indicator (with Actuator).
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
 * standard schema.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(ZendeskLoyaltySync.class)
@EnableConfigurationProperties(ZendeskLoyaltyProperties.class)
public class ZendeskLoyaltyAutoConfiguration {

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
        ObjectProvider<SingleUserWriteSlots> writeSlots, SyncHealth health) {
      ZendeskLoyaltySync sync = SyncFactory.build(properties,
          schema.getIfAvailable(FieldSchema::standard),
          SyncListeners.all(listeners.orderedStream().toList()), writeSlots.getIfAvailable());
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
        ZendeskLoyaltyProperties properties) {
      return new ShutdownLifecycle(zendeskLoyaltySync,
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

  /** Actuator: the health indicator, and the tokens masked in {@code /configprops}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  static class ActuatorConfiguration {

    /** The tokens' names, however the key spells them (apiToken, api-token, with a prefix). */
    private static final Set<String> SECRETS = Set.of("apitoken", "oauthtoken");

    @Bean
    @ConditionalOnMissingBean(name = "zendeskLoyaltyHealthIndicator")
    @ConditionalOnProperty(prefix = "management.health.zendesk-loyalty", name = "enabled",
        matchIfMissing = true)
    ZendeskLoyaltyHealthIndicator zendeskLoyaltyHealthIndicator(ZendeskLoyaltySync sync,
        SyncHealth health, ZendeskLoyaltyProperties properties) {
      return new ZendeskLoyaltyHealthIndicator(sync, health, properties.getHealth());
    }

    @Bean
    SanitizingFunction zendeskLoyaltyTokens() {
      return data -> {
        String key = data.getLowerCaseKey().replace("-", "");
        return SECRETS.contains(key.substring(key.lastIndexOf('.') + 1))
            && data.getValue() != null ? data.withValue(SanitizableData.SANITIZED_VALUE) : data;
      };
    }
  }
}
