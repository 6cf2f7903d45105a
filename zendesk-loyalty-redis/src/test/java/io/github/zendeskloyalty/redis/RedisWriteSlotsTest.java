package io.github.zendeskloyalty.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Single-user write slots in a real Redis server started by the test. */
class RedisWriteSlotsTest {

  private static final Duration SPACING = Duration.ofMillis(1_150);
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  private static RedisServer server;
  private static RedisClient client;
  private static final List<StatefulRedisConnection<String, String>> connections =
      new ArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    server = RedisServer.start();
    client = server.client();
  }

  @AfterAll
  static void stopServer() {
    connections.forEach(StatefulRedisConnection::close);
    if (client != null) {
      client.shutdown();
    }
    if (server != null) {
      server.close();
    }
  }

  private static RedisWriteSlots slots(String account, boolean serverClock) {
    StatefulRedisConnection<String, String> connection = client.connect();
    connections.add(connection);
    return RedisWriteSlots.builder().connection(connection).account(account)
        .timeout(Duration.ofSeconds(1)).serverClock(serverClock).build();
  }

  @Test
  void onTheServersClockInstancesWhoseClocksDifferBySecondsStillKeepApart() {
    RedisWriteSlots first = slots("skew", true);
    RedisWriteSlots second = slots("skew", true);
    Instant now = Instant.now();
    Instant behind = now.minusSeconds(5); // the second instance's clock is 5 s slow

    Instant firstSlot = first.reserve(now, now.plusSeconds(120), SPACING).orElseThrow();
    Instant secondSlot = second.reserve(behind, behind.plusSeconds(120), SPACING).orElseThrow();

    assertThat(Duration.between(now, firstSlot)).isLessThan(Duration.ofMillis(200));
    assertThat(Duration.between(behind, secondSlot)).as("a spacing after the first on the"
        + " server's clock, whatever the second instance's clock says")
        .isBetween(SPACING.minus(Duration.ofMillis(500)), SPACING);
  }

  @Test
  void aCorruptValueIsReadAsNowAndGarbageNeverStopsEveryWrite() {
    RedisWriteSlots slots = slots("corrupt", false);
    StatefulRedisConnection<String, String> raw = client.connect();
    connections.add(raw);
    raw.sync().set(RedisWriteSlots.KEY_PREFIX + "corrupt", "32503680000000000"); // year 3000
    assertThat(slots.reserve(T0, T0.plusSeconds(120), SPACING)).contains(T0);
    raw.sync().set(RedisWriteSlots.KEY_PREFIX + "corrupt", "not a number");
    assertThat(slots.reserve(T0.plusSeconds(10), T0.plusSeconds(120), SPACING))
        .contains(T0.plusSeconds(10));
  }

  @Test
  void aSlowServerMakesReserveThrowWithinItsTimeoutNeverHang() throws Exception {
    RedisWriteSlots slots = slots("slow", false);
    StatefulRedisConnection<String, String> raw = client.connect();
    connections.add(raw);
    raw.sync().clientPause(3_000); // every client's commands wait 3 s
    assertTimeoutPreemptively(Duration.ofSeconds(2), () ->
        assertThatThrownBy(() -> slots.reserve(T0, T0.plusSeconds(120), SPACING))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("no answer within"));
    raw.sync().ping(); // answered when the pause ends: the other tests find the server free
  }

  @Test
  void aKilledServerMakesReserveThrowAndARestartedOneIsUsedAgain() throws Exception {
    RedisWriteSlots slots = slots("killed", false);
    assertThat(slots.reserve(T0, T0.plusSeconds(120), SPACING)).contains(T0);

    server.kill();
    assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
        assertThatThrownBy(() -> slots.reserve(T0, T0.plusSeconds(120), SPACING))
            .isInstanceOf(IllegalStateException.class));
    server.restart();

    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) { // Lettuce reconnects by itself; the script is loaded again (NOSCRIPT)
      try {
        assertThat(slots.reserve(T0, T0.plusSeconds(120), SPACING)).as("a new server: the"
            + " slots begin again").contains(T0);
        return;
      } catch (IllegalStateException reconnecting) {
        assertThat(System.nanoTime()).as("Redis back: " + reconnecting).isLessThan(until);
        LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
      }
    }
  }

  @Test
  void theBuilderSaysWhatIsMissing() {
    assertThatThrownBy(() -> RedisWriteSlots.builder().account("acme").build())
        .hasMessageContaining("connection(...) or client(...)");
  }

  @Test
  void aRedisThatDoesNotAnswerTheFirstConnectHoldsNoWriteLongerThanTheTimeout()
      throws Exception {
    RedisClient fresh = RedisClient.create(server.uri());
    StatefulRedisConnection<String, String> raw = client.connect();
    connections.add(raw);
    try {
      RedisWriteSlots slots = RedisWriteSlots.builder().client(fresh).account("first-connect")
          .timeout(Duration.ofSeconds(1)).serverClock(false).build();
      raw.sync().clientPause(3_000); // the connection's handshake waits too
      assertTimeoutPreemptively(Duration.ofSeconds(2), () ->
          assertThatThrownBy(() -> slots.reserve(T0, T0.plusSeconds(120), SPACING))
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("no answer within"));
      raw.sync().ping(); // answered when the pause ends
      assertThat(slots.reserve(T0, T0.plusSeconds(120), SPACING)).as("the connection that"
          + " opened meanwhile is used").contains(T0);
    } finally {
      fresh.shutdown();
    }
  }

  @Test
  void withAClientRedisDownAtFirstOnlyMakesReserveThrowUntilItAnswers() throws Exception {
    RedisClient nowhere = RedisClient.create("redis://127.0.0.1:1");
    try {
      RedisWriteSlots down = RedisWriteSlots.builder().client(nowhere).account("down")
          .timeout(Duration.ofSeconds(1)).serverClock(false).build();
      assertThatThrownBy(() -> down.reserve(T0, T0.plusSeconds(120), SPACING))
          .isInstanceOf(IllegalStateException.class);
    } finally {
      nowhere.shutdown();
    }
    RedisWriteSlots lazy = RedisWriteSlots.builder().client(client).account("lazy")
        .serverClock(false).build();
    assertThat(lazy.reserve(T0, T0.plusSeconds(120), SPACING)).contains(T0);
  }
}
