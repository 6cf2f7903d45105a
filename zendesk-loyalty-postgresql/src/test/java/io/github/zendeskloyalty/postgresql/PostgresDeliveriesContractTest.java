package io.github.zendeskloyalty.postgresql;

import io.github.zendeskloyalty.client.SharedDeliveries;
import io.github.zendeskloyalty.testkit.SharedDeliveriesContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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

  @Override
  protected SharedDeliveries instance(String account) {
    PostgresWriteSlots deliveries = PostgresWriteSlots.builder()
        .dataSource(server.dataSource()).account(account).timeout(Duration.ofSeconds(1)).build();
    deliveries.createTableIfMissing();
    return deliveries;
  }
}
