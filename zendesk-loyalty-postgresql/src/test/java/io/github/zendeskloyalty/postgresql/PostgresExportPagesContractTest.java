package io.github.zendeskloyalty.postgresql;

import io.github.zendeskloyalty.client.SharedExportPages;
import io.github.zendeskloyalty.testkit.SharedExportPagesContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The testkit's contract of shared export pages, on a real PostgreSQL server. */
class PostgresExportPagesContractTest extends SharedExportPagesContract {

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
  protected SharedExportPages instance(String account) {
    PostgresWriteSlots pages = PostgresWriteSlots.builder().dataSource(server.dataSource())
        .account(account).timeout(Duration.ofSeconds(1)).build();
    pages.createTableIfMissing();
    return pages;
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
