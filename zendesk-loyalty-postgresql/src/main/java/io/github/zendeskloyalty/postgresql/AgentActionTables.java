package io.github.zendeskloyalty.postgresql;

import static io.github.zendeskloyalty.postgresql.Statements.micros;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent actions' tables of an account: handled deliveries ({@code <table>_deliveries}),
 * running totals ({@code <table>_totals}), grants waiting for approval
 * ({@code <table>_approvals}) and notes pending ({@code <table>_notes}), each changed by one
 * statement; what {@link PostgresWriteSlots}
 * answers as a {@link io.github.zendeskloyalty.client.SharedDeliveries}. Not part of the API.
 */
final class AgentActionTables {

  private final Statements statements;
  private final String account;
  private final String deliveries;
  private final String totals;
  private final String approvals;
  private final String notes;
  /** Deliveries recorded by this instance: every {@code purgeEvery}th purges expired rows. */
  private final AtomicLong recorded = new AtomicLong();
  private final int purgeEvery;

  AgentActionTables(Statements statements, String account, String table, int purgeEvery) {
    this.statements = statements;
    this.account = account;
    this.deliveries = table + "_deliveries";
    this.totals = table + "_totals";
    this.approvals = table + "_approvals";
    this.notes = table + "_notes";
    this.purgeEvery = purgeEvery;
  }

  /**
   * One transaction: every key inserted (or its expired row taken over), in sorted order so two
   * claims never deadlock; committed only when every key was, else rolled back. A concurrent
   * claim of a key waits on its row until this one ends, then sees it held.
   */
  boolean claim(List<String> keys, Instant now, Instant keepUntil) {
    if (recorded.getAndIncrement() % purgeEvery == 0) {
      purgeExpired(now);
    }
    String[] rows = keys.stream().map(key -> account + ":" + key).distinct().sorted()
        .toArray(String[]::new);
    return statements.allOrNone("claim a webhook delivery",
        "INSERT INTO " + deliveries + " AS d (key, until_micros) SELECT k, ? FROM"
        + " unnest(?::text[]) WITH ORDINALITY AS w(k, n) ORDER BY n ON CONFLICT (key) DO UPDATE"
        + " SET until_micros = EXCLUDED.until_micros WHERE d.until_micros <= ?",
        statement -> {
          statement.setLong(1, micros(keepUntil));
          statement.setArray(2, statement.getConnection().createArrayOf("text", rows));
          statement.setLong(3, micros(now));
        }, rows.length);
  }

  boolean addWithin(String key, BigDecimal amount, BigDecimal limit, Instant now,
      Instant keepUntil) {
    if (amount.signum() > 0 && amount.compareTo(limit) > 0) {
      return false;
    }
    // a total whose time passed counts as zero; a negative amount is always added
    String current = "(CASE WHEN d.until_micros <= ? THEN 0 ELSE d.total END)";
    BigDecimal total = statements.query("add to a running total",
        "INSERT INTO " + totals + " AS d (key,"
        + " total, until_micros) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET total = "
        + current + " + EXCLUDED.total, until_micros = EXCLUDED.until_micros"
        + " WHERE EXCLUDED.total < 0 OR " + current + " + EXCLUDED.total <= ? RETURNING total",
        statement -> {
          statement.setString(1, account + ":" + key);
          statement.setBigDecimal(2, amount);
          statement.setLong(3, micros(keepUntil));
          statement.setLong(4, micros(now));
          statement.setLong(5, micros(now));
          statement.setBigDecimal(6, limit);
        }, answer -> answer.getBigDecimal(1));
    return total != null;
  }

  void putAwaiting(String id, String grant, Instant now, Instant keepUntil) {
    statements.update("keep a grant waiting for approval",
        "INSERT INTO " + approvals + " (account, id,"
        + " grant_json, until_micros) VALUES (?, ?, ?, ?) ON CONFLICT (account, id) DO UPDATE"
        + " SET grant_json = EXCLUDED.grant_json, until_micros = EXCLUDED.until_micros",
        statement -> {
          statement.setString(1, account);
          statement.setString(2, id);
          statement.setString(3, grant);
          statement.setLong(4, micros(keepUntil));
        });
  }

  /**
   * Deletes the deliveries, totals and grants waiting whose time passed by {@code now} (of every
   * account: their rows are never read again), so the tables do not grow with every webhook.
   */
  void purgeExpired(Instant now) {
    for (String expiring : new String[] {deliveries, totals, approvals, notes}) {
      statements.update("purge expired rows",
          "DELETE FROM " + expiring + " WHERE until_micros <= ?",
          statement -> statement.setLong(1, micros(now)));
    }
  }

  /** One {@code DELETE ... RETURNING}: of two instances taking one grant, one gets it. */
  Optional<String> takeAwaiting(String id, Instant now) {
    String grant = statements.query("take a grant waiting for approval", "DELETE FROM " + approvals
        + " WHERE account = ? AND id = ? RETURNING grant_json, until_micros", statement -> {
          statement.setString(1, account);
          statement.setString(2, id);
        }, answer -> answer.getLong(2) > micros(now) ? answer.getString(1) : null);
    return Optional.ofNullable(grant);
  }

  void release(List<String> keys) {
    String[] rows = keys.stream().map(key -> account + ":" + key).distinct()
        .toArray(String[]::new);
    statements.update("release webhook deliveries", "DELETE FROM " + deliveries
        + " WHERE key = ANY(?::text[])", statement -> statement.setArray(1,
            statement.getConnection().createArrayOf("text", rows)));
  }

  void putPendingNote(String id, String note, Instant keepUntil) {
    statements.update("keep a pending goodwill note", "INSERT INTO " + notes + " (account, id,"
        + " note_json, until_micros) VALUES (?, ?, ?, ?) ON CONFLICT (account, id) DO UPDATE"
        + " SET note_json = EXCLUDED.note_json, until_micros = EXCLUDED.until_micros",
        statement -> {
          statement.setString(1, account);
          statement.setString(2, id);
          statement.setString(3, note);
          statement.setLong(4, micros(keepUntil));
        });
  }

  /** One {@code DELETE ... RETURNING} of the row only while it holds that very note. */
  boolean removePendingNote(String id, String note) {
    String removed = statements.query("remove a pending goodwill note", "DELETE FROM " + notes
        + " WHERE account = ? AND id = ? AND note_json = ? RETURNING id", statement -> {
          statement.setString(1, account);
          statement.setString(2, id);
          statement.setString(3, note);
        }, answer -> answer.getString(1));
    return removed != null;
  }

  List<String> pendingNotes(Instant now) {
    return kept("list the pending goodwill notes", notes, "note_json", now);
  }

  List<String> awaiting(Instant now) {
    return kept("list the grants waiting for approval", approvals, "grant_json", now);
  }

  /** The account's values of {@code column} in {@code table} still kept, the first 1,000 put. */
  private List<String> kept(String what, String table, String column, Instant now) {
    return statements.rows(what, "SELECT " + column + " FROM " + table
        + " WHERE account = ? AND until_micros > ? ORDER BY seq LIMIT 1000", statement -> {
          statement.setString(1, account);
          statement.setLong(2, micros(now));
        }, answer -> answer.getString(1));
  }
}
