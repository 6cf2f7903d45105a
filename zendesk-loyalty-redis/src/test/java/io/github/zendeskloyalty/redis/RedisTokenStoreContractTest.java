package io.github.zendeskloyalty.redis;

import io.github.zendeskloyalty.client.OAuthTokenStore;
import io.github.zendeskloyalty.testkit.OAuthTokenStoreContract;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The testkit's contract of OAuth token stores on a real Redis server: four pods sharing one
 * token, and the server killed with SIGKILL (its keys lost) and started again mid-run.
 */
class RedisTokenStoreContractTest extends OAuthTokenStoreContract {

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
  protected OAuthTokenStore instance() {
    return RedisWriteSlots.builder().client(client).account("tokens")
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
