package io.github.zendeskloyalty.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Single-user write slots in a real PostgreSQL server started by the test. */
class PostgresWriteSlotsTest {

  private static final Duration SPACING = Duration.ofMillis(1_150);
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
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

  private static PostgresWriteSlots slots(String account, boolean databaseClock) {
    PostgresWriteSlots slots = PostgresWriteSlots.builder().dataSource(server.dataSource())
        .account(account).timeout(Duration.ofSeconds(1)).databaseClock(databaseClock).build();
    slots.createTableIfMissing();
    return slots;
  }

  @Test
  void instancesStartingAtOnceAllCreateTheTableWithoutFailing() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> starts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      starts.add(pool.submit(() -> PostgresWriteSlots.builder().dataSource(server.dataSource())
          .account("start").table("limits_started_at_once").build().createTableIfMissing()));
    }
    for (Future<?> start : starts) {
      start.get(); // a concurrent CREATE TABLE IF NOT EXISTS fails in PostgreSQL: not here
    }
    pool.shutdown();
  }

  @Test
  void onTheDatabasesClockInstancesWhoseClocksDifferBySecondsStillKeepApart() {
    PostgresWriteSlots first = slots("skew", true);
    PostgresWriteSlots second = slots("skew", true);
    Instant now = Instant.now();
    Instant behind = now.minusSeconds(5); // the second instance's clock is 5 s slow

    Instant firstSlot = first.reserve(now, now.plusSeconds(120), SPACING).orElseThrow();
    Instant secondSlot = second.reserve(behind, behind.plusSeconds(120), SPACING).orElseThrow();

    Duration firstWait = Duration.between(now, firstSlot);
    Duration secondWait = Duration.between(behind, secondSlot);
    assertThat(firstWait).isLessThan(Duration.ofMillis(200));
    assertThat(secondWait).as("a spacing after the first on the database's clock, whatever the"
        + " second instance's clock says")
        .isBetween(SPACING.minus(Duration.ofMillis(500)), SPACING);
  }

  @Test
  void aCorruptRowFarAheadIsReadAsNowNotAsAQueueThatStopsEveryWrite() throws Exception {
    PostgresWriteSlots slots = slots("corrupt", false);
    try (Connection connection = server.dataSource().getConnection();
         Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO zendesk_loyalty_limits VALUES"
          + " ('single-user-writes:corrupt', 32503680000000000)"); // the year 3000
    }
    assertThat(slots.reserve(T0, T0.plusSeconds(120), SPACING)).contains(T0);
  }

  @Test
  void aSlowDatabaseMakesReserveThrowWithinItsTimeoutNeverHang() throws Exception {
    PostgresWriteSlots slots = slots("slow", false);
    slots.reserve(T0, T0.plusSeconds(120), SPACING);
    try (Connection locker = server.dataSource().getConnection();
         Statement statement = locker.createStatement()) {
      locker.setAutoCommit(false);
      statement.execute("SELECT * FROM zendesk_loyalty_limits WHERE name ="
          + " 'single-user-writes:slow' FOR UPDATE"); // another transaction holds the row
      assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
          assertThatThrownBy(() -> slots.reserve(T0, T0.plusSeconds(120), SPACING))
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("PostgreSQL did not reserve"));
      locker.rollback();
    }
    assertThat(slots.reserve(T0, T0.plusSeconds(120), SPACING)).isPresent();
  }

  @Test
  void aKilledServerMakesReserveThrowAndARestartedOneIsUsedAgain() throws Exception {
    PostgresWriteSlots slots = slots("killed", false);
    assertThat(slots.reserve(T0, T0.plusSeconds(120), SPACING)).contains(T0);

    server.kill();
    assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
        assertThatThrownBy(() -> slots.reserve(T0, T0.plusSeconds(120), SPACING))
            .isInstanceOf(IllegalStateException.class));
    server.restart();

    Optional<Instant> after = slots.reserve(T0, T0.plusSeconds(120), SPACING);
    assertThat(after).as("the row survived the crash: the next slot follows the last")
        .contains(T0.plus(SPACING));
  }

  @Test
  void theBuilderSaysWhatIsMissingAndRefusesAnInjectedTableName() {
    assertThatThrownBy(() -> PostgresWriteSlots.builder().account("acme").build())
        .hasMessageContaining("dataSource(DataSource)");
    assertThatThrownBy(() -> PostgresWriteSlots.builder().table("limits; DROP TABLE users"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower case");
  }
}
