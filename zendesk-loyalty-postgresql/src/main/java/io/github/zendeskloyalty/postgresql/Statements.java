package io.github.zendeskloyalty.postgresql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * One statement at a time on a connection of the data source, in auto-commit, bounded by the
 * timeout; a failure says what PostgreSQL did not do. Not part of the API.
 */
final class Statements {

  private final DataSource dataSource;
  private final Duration timeout;

  Statements(DataSource dataSource, Duration timeout) {
    this.dataSource = dataSource;
    this.timeout = timeout;
  }

  /** Sets a statement's parameters. */
  interface Parameters {
    void set(PreparedStatement statement) throws SQLException;
  }

  /** Reads the answer's row. */
  interface RowReader<T> {
    T read(ResultSet row) throws SQLException;
  }

  /** The first row of a query, read; null when there is none. */
  <T> T query(String what, String sql, Parameters parameters, RowReader<T> reader) {
    List<T> rows = rows(what, sql, parameters, reader);
    return rows.isEmpty() ? null : rows.get(0);
  }

  /** Every row of a query, read. */
  <T> List<T> rows(String what, String sql, Parameters parameters, RowReader<T> reader) {
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = connection.prepareStatement(sql)) {
      connection.setAutoCommit(true);
      statement.setQueryTimeout(seconds(timeout));
      parameters.set(statement);
      List<T> rows = new ArrayList<>();
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          rows.add(reader.read(row));
        }
      }
      return rows;
    } catch (SQLException failed) {
      throw new IllegalStateException("PostgreSQL did not " + what + ": " + failed.getMessage(),
          failed);
    }
  }

  void update(String what, String sql, Parameters parameters) {
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = connection.prepareStatement(sql)) {
      connection.setAutoCommit(true);
      statement.setQueryTimeout(seconds(timeout));
      parameters.set(statement);
      statement.executeUpdate();
    } catch (SQLException failed) {
      throw new IllegalStateException("PostgreSQL did not " + what + ": " + failed.getMessage(),
          failed);
    }
  }

  /**
   * An update in its own transaction, committed only when it changed {@code expected} rows, else
   * rolled back: all or none.
   *
   * @return whether it was committed
   */
  boolean allOrNone(String what, String sql, Parameters parameters, int expected) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        statement.setQueryTimeout(seconds(timeout));
        parameters.set(statement);
        boolean all = statement.executeUpdate() == expected;
        if (all) {
          connection.commit();
        } else {
          connection.rollback();
        }
        return all;
      } catch (SQLException failed) {
        connection.rollback();
        throw failed;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException failed) {
      throw new IllegalStateException("PostgreSQL did not " + what + ": " + failed.getMessage(),
          failed);
    }
  }

  /** An instant as microseconds since the epoch, as the tables keep times. */
  static long micros(Instant instant) {
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
        instant.getNano() / 1_000);
  }

  /** A timeout in whole seconds, at least one, as JDBC's query timeout takes it. */
  static int seconds(Duration timeout) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (timeout.toMillis() + 999) / 1_000));
  }
}
