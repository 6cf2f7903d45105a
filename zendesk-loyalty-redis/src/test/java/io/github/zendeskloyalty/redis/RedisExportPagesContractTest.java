package io.github.zendeskloyalty.redis;

import io.github.zendeskloyalty.client.SharedExportPages;
import io.github.zendeskloyalty.testkit.SharedExportPagesContract;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The testkit's contract of shared export pages, on a real Redis server. */
class RedisExportPagesContractTest extends SharedExportPagesContract {

  private static RedisServer server;
  private static RedisClient client;

  @BeforeAll
  static void startServer() throws Exception {
    server = RedisServer.start();
    client = server.client();
  }

  @AfterAll
  static void stopServer() {
    if (client != null) {
      client.shutdown();
    }
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected SharedExportPages instance(String account) {
    return RedisWriteSlots.builder().client(client).account(account)
        .timeout(Duration.ofSeconds(1)).serverClock(false).build();
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
