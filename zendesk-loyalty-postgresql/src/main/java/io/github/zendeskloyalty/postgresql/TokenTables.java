package io.github.zendeskloyalty.postgresql;

import io.github.zendeskloyalty.client.OAuthTokenStore;
import java.time.Duration;
import java.util.Optional;

/**
 * The OAuth tables of the store: token pairs ({@code <table>_oauth_tokens}: key, version,
 * value), each written by one compare-and-set statement, and refresh leases
 * ({@code <table>_oauth_leases}), taken by one {@code INSERT ... ON CONFLICT} on the database's
 * clock; what {@link PostgresWriteSlots} answers as an {@link OAuthTokenStore}. Not part of the
 * API.
 */
final class TokenTables {

  /** The database's clock, as microseconds since the epoch. */
  private static final String NOW = "(extract(epoch from clock_timestamp()) * 1000000)::bigint";

  private final Statements statements;
  private final String tokens;
  private final String leases;

  TokenTables(Statements statements, String table) {
    this.statements = statements;
    this.tokens = table + "_oauth_tokens";
    this.leases = table + "_oauth_leases";
  }

  static String ddl(String table) {
    return "CREATE TABLE IF NOT EXISTS " + table + "_oauth_tokens ("
        + "key text PRIMARY KEY, "
        + "version bigint NOT NULL, "
        + "value text NOT NULL);\n"
        + "CREATE TABLE IF NOT EXISTS " + table + "_oauth_leases ("
        + "key text PRIMARY KEY, "
        + "owner text NOT NULL, "
        + "until_micros bigint NOT NULL);\n";
  }

  Optional<OAuthTokenStore.Stored> read(String key) {
    return Optional.ofNullable(statements.query("read an OAuth token pair", "SELECT version,"
        + " value FROM " + tokens + " WHERE key = ?", statement -> statement.setString(1, key),
        row -> new OAuthTokenStore.Stored(row.getLong(1), row.getString(2))));
  }

  /** One statement: the insert of version 1, or the update of the expected version. */
  Optional<Long> write(String key, long expectedVersion, String value) {
    Long version = expectedVersion == 0
        ? statements.query("write an OAuth token pair", "INSERT INTO " + tokens + " (key,"
            + " version, value) VALUES (?, 1, ?) ON CONFLICT (key) DO NOTHING RETURNING version",
            statement -> {
              statement.setString(1, key);
              statement.setString(2, value);
            }, row -> row.getLong(1))
        : statements.query("write an OAuth token pair", "UPDATE " + tokens + " SET version ="
            + " version + 1, value = ? WHERE key = ? AND version = ? RETURNING version",
            statement -> {
              statement.setString(1, value);
              statement.setString(2, key);
              statement.setLong(3, expectedVersion);
            }, row -> row.getLong(1));
    return Optional.ofNullable(version);
  }

  /** One statement: taken when free, expired, or already the owner's (then extended). */
  boolean tryLease(String key, String owner, Duration ttl) {
    String held = statements.query("take an OAuth refresh lease", "INSERT INTO " + leases
        + " AS l (key, owner, until_micros) VALUES (?, ?, " + NOW + " + ?) ON CONFLICT (key)"
        + " DO UPDATE SET owner = EXCLUDED.owner, until_micros = EXCLUDED.until_micros"
        + " WHERE l.owner = EXCLUDED.owner OR l.until_micros <= " + NOW + " RETURNING owner",
        statement -> {
          statement.setString(1, key);
          statement.setString(2, owner);
          statement.setLong(3, Math.max(1, ttl.toNanos() / 1_000));
        }, row -> row.getString(1));
    return owner.equals(held);
  }

  void releaseLease(String key, String owner) {
    statements.update("give up an OAuth refresh lease", "DELETE FROM " + leases
        + " WHERE key = ? AND owner = ?", statement -> {
          statement.setString(1, key);
          statement.setString(2, owner);
        });
  }
}
