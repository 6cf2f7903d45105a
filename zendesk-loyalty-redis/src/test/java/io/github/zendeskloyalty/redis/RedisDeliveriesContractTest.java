package io.github.zendeskloyalty.redis;

import io.github.zendeskloyalty.client.SharedDeliveries;
import io.github.zendeskloyalty.testkit.SharedDeliveriesContract;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The testkit's contract of shared webhook deliveries, on a real Redis server. */
class RedisDeliveriesContractTest extends SharedDeliveriesContract {

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
  protected SharedDeliveries instance(String account) {
    return RedisWriteSlots.builder().client(client).account(account)
        .timeout(Duration.ofSeconds(1)).build();
  }
}
