package io.github.zendeskloyalty.spring;

import io.github.zendeskloyalty.client.MemberSource;
import io.github.zendeskloyalty.client.OAuthTokenStore;
import io.github.zendeskloyalty.client.ReconcileOptions;
import io.github.zendeskloyalty.client.ReconcileReport;
import io.github.zendeskloyalty.client.SingleUserWriteSlots;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.micrometer.ZendeskLoyaltyMetrics;
import io.github.zendeskloyalty.spring.internal.ReconcileSchedule;
import io.github.zendeskloyalty.spring.internal.SyncHealth;
import java.time.Clock;
import java.time.ZoneId;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A scheduled reconcile: with {@code zendesk.loyalty.reconcile.cron} set and a
 * {@link MemberSource} bean of the application's, the SDK reconciles the account with it on that
 * schedule; the last report shows in the {@code zendeskLoyalty} health details
 * ({@code lastReconcileAt}, {@code lastReconcileDrifted}, {@code lastReconcileWritten},
 * {@code lastReconcileOrphans}, or {@code lastReconcileError}) and, with Micrometer, as the gauge
 * {@code zendesk.loyalty.reconcile.last{kind}}. With {@code zendesk.loyalty.shared-limits=jdbc}
 * or {@code redis}, one replica runs each tick (a lease in that store); the others skip it with
 * an INFO and {@code zendesk.loyalty.reconcile.skipped}.
 *
 * <pre>
 * zendesk.loyalty.reconcile.cron=0 0 3 * * *      # 03:00 every day
 * zendesk.loyalty.reconcile.zone=Europe/Amsterdam
 * zendesk.loyalty.reconcile.checkpoint=/var/lib/app/reconcile.checkpoint
 * zendesk.loyalty.reconcile.dry-run=false
 * </pre>
 *
 * <pre>{@code
 * @Bean
 * MemberSource members(MemberRepository repository) {
 *   return new MemberSource() { ... }; // a query per page of ids, and a stream of all
 * }
 * }</pre>
 */
@AutoConfiguration(after = ZendeskLoyaltyAutoConfiguration.class)
@ConditionalOnProperty(prefix = "zendesk.loyalty.reconcile", name = "cron")
@ConditionalOnBean(ZendeskLoyaltySync.class)
public class ZendeskLoyaltyReconcileAutoConfiguration {

  /**
   * The schedule.
   *
   * @throws IllegalStateException when the application has no {@link MemberSource} bean, or the
   *     cron is not one
   */
  @Bean
  ReconcileSchedule zendeskLoyaltyReconcileSchedule(ZendeskLoyaltySync sync,
      ObjectProvider<MemberSource> source, ZendeskLoyaltyProperties properties,
      ObjectProvider<Clock> clock, SyncHealth health,
      ObjectProvider<ReconcileSchedule.Listener> listeners,
      ObjectProvider<SingleUserWriteSlots> sharedLimits) {
    MemberSource members = source.getIfUnique();
    if (members == null) {
      throw new IllegalStateException("zendesk.loyalty.reconcile.cron is set, but the application"
          + " has no MemberSource bean (or several): declare one that looks members up by id"
          + " and streams them all, or remove the property");
    }
    ZendeskLoyaltyProperties.Reconcile reconcile = properties.getReconcile();
    ReconcileOptions.Builder options = ReconcileOptions.builder().dryRun(reconcile.isDryRun());
    if (reconcile.getCheckpoint() != null) {
      options.checkpoint(reconcile.getCheckpoint());
    }
    return new ReconcileSchedule(sync, members, reconcile.getCron(),
        reconcile.getZone() != null ? reconcile.getZone() : ZoneId.systemDefault(),
        options.build(), clock.getIfAvailable(Clock::systemUTC), health,
        listeners.orderedStream().toList(),
        // zendesk.loyalty.shared-limits=jdbc|redis: one replica runs each tick
        sharedLimits.getIfUnique() instanceof OAuthTokenStore leases ? leases : null);
  }

  /** The reconcile's meters, when the application has Micrometer's. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ZendeskLoyaltyMetrics.class)
  @ConditionalOnBean(ZendeskLoyaltyMetrics.class)
  static class Meters {
    @Bean
    ReconcileSchedule.Listener zendeskLoyaltyReconcileMeters(ZendeskLoyaltyMetrics metrics) {
      return new ReconcileSchedule.Listener() {
        @Override
        public void reconciled(ReconcileReport report) {
          metrics.reconciled(report);
        }

        @Override
        public void skipped() {
          metrics.reconcileSkipped();
        }
      };
    }
  }
}
