package io.github.zendeskloyalty.postgresql;

import io.github.zendeskloyalty.client.SingleUserWriteSlots;
import io.github.zendeskloyalty.testkit.SingleUserWriteSlotsContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The testkit's contract of shared write slots, on a real PostgreSQL server. */
class PostgresWriteSlotsContractTest extends SingleUserWriteSlotsContract {

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
  protected SingleUserWriteSlots instance(String account) {
    PostgresWriteSlots slots = PostgresWriteSlots.builder().dataSource(server.dataSource())
        .account(account).timeout(Duration.ofSeconds(1)).databaseClock(false).build();
    slots.createTableIfMissing();
    return slots;
  }

  @Override
  protected void stopStore() throws Exception {
    server.kill();
  }

  @Override
  protected void startStore() throws Exception {
    server.restart();
  }
}
