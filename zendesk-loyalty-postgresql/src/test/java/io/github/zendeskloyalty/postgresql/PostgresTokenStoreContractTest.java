package io.github.zendeskloyalty.postgresql;

import io.github.zendeskloyalty.client.OAuthTokenStore;
import io.github.zendeskloyalty.testkit.OAuthTokenStoreContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The testkit's contract of OAuth token stores on a real PostgreSQL server: four pods sharing
 * one token, and the server killed with SIGKILL and started again mid-run.
 */
class PostgresTokenStoreContractTest extends OAuthTokenStoreContract {

  private static PostgresServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = PostgresServer.start();
    PostgresWriteSlots.builder().dataSource(server.dataSource()).account("tokens").build()
        .createTableIfMissing();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected OAuthTokenStore instance() {
    return PostgresWriteSlots.builder().dataSource(server.dataSource()).account("tokens")
        .timeout(Duration.ofSeconds(1)).build();
  }

  @Override
  protected boolean killsServer() {
    return true;
  }

  @Override
  protected void killServer() throws Exception {
    server.kill();
  }

  @Override
  protected void restartServer() throws Exception {
    server.restart();
  }
}
