package io.github.zendeskloyalty.postgresql;

import io.github.zendeskloyalty.client.SharedDeliveries;
import io.github.zendeskloyalty.testkit.SharedDeliveriesContract;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The testkit's contract of shared webhook deliveries, on a real PostgreSQL server. */
class PostgresDeliveriesContractTest extends SharedDeliveriesContract {

  private static PostgresServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = PostgresServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyThousandthDeliveryPurgesWhatExpiredSoTheTablesDoNotGrowForever() throws Exception {
    PostgresWriteSlots pod = PostgresWriteSlots.builder().dataSource(server.dataSource())
        .account("purge").timeout(Duration.ofSeconds(1)).purgeEvery(5).build(); // 1,000 by default
    pod.createTableIfMissing();
    Instant then = Instant.parse("2026-01-01T00:00:00Z");
    Instant now = then.plus(Duration.ofDays(3));
    pod.putAwaiting("old-grant", "{}", then, then.plus(Duration.ofDays(1)));
    pod.addWithin("agent-day:2@2026-01-01", BigDecimal.TEN, BigDecimal.TEN, then,
        then.plus(Duration.ofDays(2)));
    pod.claim(List.of("invocation:old"), then, then.plus(Duration.ofDays(2))); // the first: purges
    pod.putAwaiting("new-grant", "{}", now, now.plus(Duration.ofDays(7)));
    for (int i = 1; i < 5; i++) {
      pod.claim(List.of("invocation:" + i), now, now.plus(Duration.ofDays(2)));
    }
    assertThat(rows("zendesk_loyalty_limits_deliveries WHERE key LIKE '%invocation:old'"))
        .as("kept until the next purge").isEqualTo(1);

    pod.claim(List.of("invocation:next"), now, now.plus(Duration.ofDays(2))); // the sixth: purges

    assertThat(rows("zendesk_loyalty_limits_deliveries WHERE key LIKE '%invocation:old'"))
        .isZero();
    assertThat(rows("zendesk_loyalty_limits_totals WHERE key LIKE '%2026-01-01'")).isZero();
    assertThat(rows("zendesk_loyalty_limits_approvals WHERE id = 'old-grant'")).isZero();
    assertThat(rows("zendesk_loyalty_limits_approvals WHERE id = 'new-grant'")).isEqualTo(1);
    assertThat(rows("zendesk_loyalty_limits_deliveries WHERE key LIKE 'purge:invocation:4'"))
        .isEqualTo(1);
  }

  private static long rows(String where) throws Exception {
    try (Connection connection = server.dataSource().getConnection();
         Statement statement = connection.createStatement();
         ResultSet count = statement.executeQuery("SELECT count(*) FROM " + where)) {
      count.next();
      return count.getLong(1);
    }
  }

  @Override
  protected SharedDeliveries instance(String account) {
    PostgresWriteSlots deliveries = PostgresWriteSlots.builder()
        .dataSource(server.dataSource()).account(account).timeout(Duration.ofSeconds(1)).build();
    deliveries.createTableIfMissing();
    return deliveries;
  }
}
