package io.github.zendeskloyalty.redis;

import io.github.zendeskloyalty.client.SingleUserWriteSlots;
import io.github.zendeskloyalty.testkit.SingleUserWriteSlotsContract;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The testkit's contract of shared write slots, on a real Redis server. */
class RedisWriteSlotsContractTest extends SingleUserWriteSlotsContract {

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
  protected SingleUserWriteSlots instance(String account) {
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
