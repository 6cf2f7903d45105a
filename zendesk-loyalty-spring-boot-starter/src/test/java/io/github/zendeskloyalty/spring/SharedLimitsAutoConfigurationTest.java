package io.github.zendeskloyalty.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zendeskloyalty.client.SingleUserWriteSlots;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.postgresql.PostgresWriteSlots;
import io.github.zendeskloyalty.redis.RedisWriteSlots;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * {@code zendesk.loyalty.shared-limits}: the write slots on the application's DataSource or
 * Redis, a store down at startup never stops the application, and a missing module is named.
 */
class SharedLimitsAutoConfigurationTest extends StarterTestBase {

  private ApplicationContextRunner sharing() {
    return runner.withConfiguration(AutoConfigurations.of(
            ZendeskLoyaltySharedLimitsAutoConfiguration.class))
        .withPropertyValues(account());
  }

  /** A database nobody answers at: down when the application starts. */
  private static DataSource databaseDown() {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setServerNames(new String[] {"127.0.0.1"});
    source.setPortNumbers(new int[] {1});
    source.setConnectTimeout(1);
    return source;
  }

  @Test
  void withoutTheSettingEachInstanceKeepsItsOwn() {
    runner.withConfiguration(AutoConfigurations.of(
            ZendeskLoyaltySharedLimitsAutoConfiguration.class))
        .withPropertyValues(account()).withBean(DataSource.class,
            SharedLimitsAutoConfigurationTest::databaseDown)
        .run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean(SingleUserWriteSlots.class));
  }

  @Test
  void jdbcUsesTheApplicationsDataSourceAndADatabaseDownAtStartupStopsNothing() {
    sharing().withPropertyValues("zendesk.loyalty.shared-limits=jdbc")
        .withBean(DataSource.class, SharedLimitsAutoConfigurationTest::databaseDown)
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(ZendeskLoyaltySync.class);
          SingleUserWriteSlots slots = context.getBean(SingleUserWriteSlots.class);
          assertThat(slots).isInstanceOf(PostgresWriteSlots.class);
          assertThatThrownBy(() -> slots.reserve(Instant.now(), Instant.now().plusSeconds(60),
              Duration.ofMillis(1_150))).as("the SDK paces that write by itself")
              .isInstanceOf(IllegalStateException.class);
        });
  }

  @Test
  void redisUsesTheApplicationsLettuceClientAndRedisDownAtStartupStopsNothing() {
    sharing().withPropertyValues("zendesk.loyalty.shared-limits=redis")
        .withBean(LettuceConnectionFactory.class, () -> {
          LettuceConnectionFactory factory = new LettuceConnectionFactory(
              new RedisStandaloneConfiguration("127.0.0.1", 1));
          factory.afterPropertiesSet();
          return factory;
        })
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(SingleUserWriteSlots.class))
              .isInstanceOf(RedisWriteSlots.class);
        });
  }

  @Test
  void aSettingWhoseModuleIsMissingFailsStartupNamingIt() {
    sharing().withPropertyValues("zendesk.loyalty.shared-limits=jdbc")
        .withClassLoader(new FilteredClassLoader(PostgresWriteSlots.class))
        .withBean(DataSource.class, SharedLimitsAutoConfigurationTest::databaseDown)
        .run(context -> assertThat(context).hasFailed().getFailure()
            .rootCause().hasMessageContaining("zendesk-loyalty-postgresql"));
    sharing().withPropertyValues("zendesk.loyalty.shared-limits=redis")
        .withClassLoader(new FilteredClassLoader(RedisWriteSlots.class))
        .run(context -> assertThat(context).hasFailed().getFailure()
            .rootCause().hasMessageContaining("zendesk-loyalty-redis"));
  }
}
