package io.github.zendeskloyalty.spring;

import io.github.zendeskloyalty.client.SingleUserWriteSlots;
import io.github.zendeskloyalty.postgresql.PostgresWriteSlots;
import io.github.zendeskloyalty.redis.RedisWriteSlots;
import io.lettuce.core.RedisClient;
import java.lang.System.Logger.Level;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Shares the account's single-user write slots between an application's replicas when
 * {@code zendesk.loyalty.shared-limits} is {@code jdbc} (a table in the application's
 * {@link DataSource}, created if missing) or {@code redis} (a key through Spring Data Redis's
 * Lettuce connection factory). Chosen by the property, never guessed: most applications have a
 * DataSource, and a table in their database should not appear unasked. A module the setting
 * needs that is missing fails startup, naming it.
 *
 * <pre>
 * zendesk.loyalty.shared-limits=jdbc
 * </pre>
 */
@AutoConfiguration(before = ZendeskLoyaltyAutoConfiguration.class)
@ConditionalOnProperty(prefix = "zendesk.loyalty", name = "shared-limits")
public class ZendeskLoyaltySharedLimitsAutoConfiguration {

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.spring");
  static final String POSTGRES = "io.github.zendeskloyalty.postgresql.PostgresWriteSlots";
  static final String REDIS = "io.github.zendeskloyalty.redis.RedisWriteSlots";
  static final String LETTUCE =
      "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory";

  /** The account's key in the store: its subdomain, else its address. */
  static String account(ZendeskLoyaltyProperties properties) {
    return properties.getSubdomain() != null ? properties.getSubdomain()
        : String.valueOf(properties.getBaseUri());
  }

  /** {@code jdbc}: a row in the application's database. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "zendesk.loyalty", name = "shared-limits", havingValue = "jdbc")
  @ConditionalOnClass(name = POSTGRES)
  static class Jdbc {
    @Bean
    @ConditionalOnMissingBean(SingleUserWriteSlots.class)
    PostgresWriteSlots zendeskLoyaltyWriteSlots(DataSource dataSource,
        ZendeskLoyaltyProperties properties) {
      PostgresWriteSlots slots = PostgresWriteSlots.builder().dataSource(dataSource)
          .account(account(properties)).build();
      try {
        slots.createTableIfMissing();
      } catch (RuntimeException unavailable) {
        // the database may be down now (a pool may throw its own exception for that): writes
        // pace themselves until it answers
        LOG.log(Level.WARNING, "zendesk.loyalty.shared-limits=jdbc: " + unavailable.getMessage()
            + "; single-user writes pace themselves until the database answers");
      }
      return slots;
    }
  }

  /** {@code redis}: a key through Spring Data Redis's Lettuce connection factory. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "zendesk.loyalty", name = "shared-limits", havingValue = "redis")
  @ConditionalOnClass(name = {REDIS, LETTUCE})
  static class Redis {
    @Bean
    @ConditionalOnMissingBean(SingleUserWriteSlots.class)
    RedisWriteSlots zendeskLoyaltyWriteSlots(LettuceConnectionFactory factory,
        ZendeskLoyaltyProperties properties) {
      if (!(factory.getNativeClient() instanceof RedisClient client)) {
        throw new IllegalStateException("zendesk.loyalty.shared-limits=redis needs a standalone"
            + " or Sentinel Redis (Lettuce RedisClient); this application's is "
            + factory.getNativeClient().getClass().getSimpleName());
      }
      return RedisWriteSlots.builder().client(client)
          .account(account(properties)).build();
    }
  }

  /** The setting names a module that is not on the class path: say so at startup. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "zendesk.loyalty", name = "shared-limits", havingValue = "jdbc")
  @ConditionalOnMissingClass(POSTGRES)
  static class JdbcMissing {
    @Bean
    SingleUserWriteSlots zendeskLoyaltyWriteSlots() {
      throw new IllegalStateException("zendesk.loyalty.shared-limits=jdbc needs"
          + " io.github.zendeskloyalty:zendesk-loyalty-postgresql on the class path");
    }
  }

  /** The setting names a module that is not on the class path: say so at startup. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "zendesk.loyalty", name = "shared-limits", havingValue = "redis")
  @ConditionalOnMissingClass(REDIS)
  static class RedisMissing {
    @Bean
    SingleUserWriteSlots zendeskLoyaltyWriteSlots() {
      throw new IllegalStateException("zendesk.loyalty.shared-limits=redis needs"
          + " io.github.zendeskloyalty:zendesk-loyalty-redis on the class path");
    }
  }

  /** The setting needs Spring Data Redis's connection factory: say so at startup. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "zendesk.loyalty", name = "shared-limits", havingValue = "redis")
  @ConditionalOnMissingClass(LETTUCE)
  static class SpringDataRedisMissing {
    @Bean
    SingleUserWriteSlots zendeskLoyaltyRedisConnectionFactoryMissing() {
      throw new IllegalStateException("zendesk.loyalty.shared-limits=redis needs Spring Data"
          + " Redis with Lettuce (spring-boot-starter-data-redis) on the class path");
    }
  }
}
