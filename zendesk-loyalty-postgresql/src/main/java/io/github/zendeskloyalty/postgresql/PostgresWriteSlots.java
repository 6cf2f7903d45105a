package io.github.zendeskloyalty.postgresql;

import static io.github.zendeskloyalty.postgresql.Statements.micros;
import static io.github.zendeskloyalty.postgresql.Statements.seconds;

import io.github.zendeskloyalty.client.OAuthTokenStore;
import io.github.zendeskloyalty.client.SharedDeliveries;
import io.github.zendeskloyalty.client.SharedExportPages;
import io.github.zendeskloyalty.client.SingleUserWriteSlots;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The account's limits kept in PostgreSQL, shared by every instance of the SDK that writes to one
 * Zendesk account: its single-user write slots, one row per account, reserved by one atomic
 * {@code INSERT ... ON CONFLICT DO UPDATE} on the database's clock, so instances whose clocks
 * differ by seconds still keep Zendesk's second apart; and the pages of its export passes
 * ({@link SharedExportPages}: each page fetched by one instance, read by the others); and, as an
 * {@link OAuthTokenStore}, the account's OAuth token pair (one compare-and-set statement) and
 * refresh lease (on the database's clock), so pods share one token and renew it once. Plain JDBC
 * on your {@link DataSource} (a pool, such as HikariCP).
 *
 * <pre>{@code
 * PostgresWriteSlots slots = PostgresWriteSlots.builder()
 *     .dataSource(dataSource)
 *     .account("acme")                 // one row per Zendesk account
 *     .build();
 * slots.createTableIfMissing();        // or run PostgresWriteSlots.ddl(...) in your migrations
 * ZendeskLoyaltySync sync = ZendeskLoyaltySync.builder()
 *     .subdomain("acme").credentials(credentials)
 *     .singleUserWriteSlots(slots)
 *     .sharedExportPages(slots)
 *     .build();
 * }</pre>
 *
 * <p>Each reservation is one statement in its own transaction, bounded by the timeout (2 s by
 * default): a database that is down, slow or answers nonsense makes {@code reserve} throw, and
 * the SDK then paces that write by itself, with a warning, and asks the database again for the
 * next one. Nothing waits on the database longer than the timeout (with a pool, bound its
 * connection timeout too).
 */
public final class PostgresWriteSlots implements SingleUserWriteSlots, SharedExportPages,
    SharedDeliveries, OAuthTokenStore {

  /** The table's default name. */
  public static final String DEFAULT_TABLE = "zendesk_loyalty_limits";
  /** The default longest wait for the database. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  /** unique_violation (on the catalog) and duplicate_table: another session created it. */
  private static final Set<String> CREATED_MEANWHILE = Set.of("23505", "42P07");
  /** Further ahead than any reservation goes, in microseconds: an hour. */
  private static final long SANE_AHEAD = 3_600_000_000L;
  /** Up to 48 characters: the other tables add {@code _export_passes} and such to it. */
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,47}");
  /** The database's clock, as microseconds since the epoch. */
  private static final String DATABASE_NOW =
      "(extract(epoch from clock_timestamp()) * 1000000)::bigint";

  private final DataSource dataSource;
  private final String account;
  private final String table;
  private final Duration timeout;
  private final boolean databaseClock;
  private final String reserve;
  private final String passes;
  private final String pages;
  private final Statements statements;
  private final AgentActionTables agentActions;
  private final TokenTables tokens;

  private PostgresWriteSlots(Builder builder) {
    this.dataSource = builder.dataSource;
    this.account = builder.account;
    this.table = builder.table;
    this.timeout = builder.timeout;
    this.databaseClock = builder.databaseClock;
    this.statements = new Statements(dataSource, timeout);
    this.agentActions = new AgentActionTables(statements, account, table, builder.purgeEvery);
    this.tokens = new TokenTables(statements, table);
    this.passes = table + "_export_passes";
    this.pages = table + "_export_pages";
    String now = databaseClock ? DATABASE_NOW : "?";
    // one row per slot name; the slot moves to max(now, last + spacing) unless that is past the
    // latest the caller can use, in which case nothing changes and no row comes back. A last
    // slot more than an hour ahead is no reservation this SDK made (they end at a retry
    // deadline): it is read as now, so a corrupt row never stops every write.
    String last = "(CASE WHEN l.last_slot_micros > EXCLUDED.last_slot_micros + " + SANE_AHEAD
        + " THEN EXCLUDED.last_slot_micros - " + SANE_AHEAD + " ELSE l.last_slot_micros END)";
    String slot = "GREATEST(EXCLUDED.last_slot_micros, " + last + " + ?)";
    this.reserve = "WITH now AS (SELECT " + now + " AS micros) "
        + "INSERT INTO " + table + " AS l (name, last_slot_micros) "
        + "SELECT ?, now.micros FROM now "
        + "ON CONFLICT (name) DO UPDATE SET last_slot_micros = " + slot
        + " WHERE " + slot + " <= EXCLUDED.last_slot_micros + ? "
        + "RETURNING last_slot_micros, (SELECT micros FROM now)";
  }

  /** A builder; the data source and the account are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The tables' DDL, for your migrations: the slots' table and, beside it, {@code
   * <table>_export_passes} and {@code <table>_export_pages} for {@link SharedExportPages} and
   * {@code <table>_deliveries}, {@code <table>_totals}, {@code <table>_approvals} and
   * {@code <table>_notes} for
   * {@link SharedDeliveries}, {@code <table>_oauth_tokens} and {@code <table>_oauth_leases} for
   * {@link OAuthTokenStore}.
   *
   * @param table the table's name (lower case letters, digits and underscores)
   */
  public static String ddl(String table) {
    String name = identifier(table);
    return "CREATE TABLE IF NOT EXISTS " + name + " ("
        + "name text PRIMARY KEY, "
        + "last_slot_micros bigint NOT NULL);\n"
        + "CREATE TABLE IF NOT EXISTS " + name + "_export_passes ("
        + "account text PRIMARY KEY, "
        + "pass_micros bigint NOT NULL, "
        + "ended boolean NOT NULL);\n"
        + "CREATE TABLE IF NOT EXISTS " + name + "_export_pages ("
        + "account text NOT NULL, "
        + "pass_micros bigint NOT NULL, "
        + "page integer NOT NULL, "
        + "claimed_until_micros bigint, "
        + "body text, "
        + "PRIMARY KEY (account, pass_micros, page));\n"
        + "CREATE TABLE IF NOT EXISTS " + name + "_deliveries ("
        + "key text PRIMARY KEY, "
        + "until_micros bigint NOT NULL);\n"
        + "CREATE TABLE IF NOT EXISTS " + name + "_totals ("
        + "key text PRIMARY KEY, "
        + "total numeric NOT NULL, "
        + "until_micros bigint NOT NULL);\n"
        + "CREATE TABLE IF NOT EXISTS " + name + "_approvals ("
        + "account text NOT NULL, "
        + "id text NOT NULL, "
        + "grant_json text NOT NULL, "
        + "until_micros bigint NOT NULL, "
        + "seq bigserial, "
        + "PRIMARY KEY (account, id));\n"
        + "CREATE TABLE IF NOT EXISTS " + name + "_notes ("
        + "account text NOT NULL, "
        + "id text NOT NULL, "
        + "note_json text NOT NULL, "
        + "until_micros bigint NOT NULL, "
        + "seq bigserial, "
        + "PRIMARY KEY (account, id));\n"
        + TokenTables.ddl(name);
  }

  /**
   * Creates the table unless it exists. Safe when several instances start at once: PostgreSQL's
   * {@code CREATE TABLE IF NOT EXISTS} can still fail when another session creates the same
   * table at the same moment, and that failure means the table is there.
   */
  public void createTableIfMissing() {
    try (Connection connection = dataSource.getConnection();
         Statement statement = connection.createStatement()) {
      statement.setQueryTimeout(seconds(timeout));
      statement.execute(ddl(table));
    } catch (SQLException failed) {
      if (CREATED_MEANWHILE.contains(failed.getSQLState())) {
        return; // another instance created it in the same moment
      }
      throw new IllegalStateException("could not create the table " + table + ": "
          + failed.getMessage(), failed);
    }
  }

  @Override
  public Optional<Instant> reserve(Instant earliest, Instant latest, Duration spacing) {
    long earliestMicros = micros(earliest);
    long maxWait = Math.max(0, micros(latest) - earliestMicros);
    try (Connection connection = dataSource.getConnection();
         PreparedStatement statement = connection.prepareStatement(reserve)) {
      connection.setAutoCommit(true);
      statement.setQueryTimeout(seconds(timeout));
      int index = 1;
      if (!databaseClock) {
        statement.setLong(index++, earliestMicros);
      }
      statement.setString(index++, "single-user-writes:" + account);
      long spacingMicros = spacing.toNanos() / 1_000;
      statement.setLong(index++, spacingMicros);
      statement.setLong(index++, spacingMicros);
      statement.setLong(index, maxWait);
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        long wait = row.getLong(1) - row.getLong(2);
        if (wait < 0 || wait > maxWait) {
          throw new IllegalStateException("PostgreSQL answered a slot " + wait
              + " µs from now, outside 0.." + maxWait + ": the table " + table
              + " holds something else");
        }
        return Optional.of(earliest.plus(wait, ChronoUnit.MICROS));
      }
    } catch (SQLException failed) {
      throw new IllegalStateException("PostgreSQL did not reserve a single-user write slot: "
          + failed.getMessage(), failed);
    }
  }

  @Override
  public Instant joinPass(Instant now, Instant startedAfter) {
    long nowMicros = micros(now);
    long pass = statements.query("join an export pass", "INSERT INTO " + passes + " AS p (account,"
        + " pass_micros, ended) VALUES (?, ?, false) ON CONFLICT (account) DO UPDATE SET"
        + " pass_micros = CASE WHEN p.ended OR p.pass_micros < ? THEN EXCLUDED.pass_micros"
        + " ELSE p.pass_micros END, ended = false" // (a pass kept had not ended)
        + " RETURNING pass_micros", statement -> {
          statement.setString(1, account);
          statement.setLong(2, nowMicros);
          statement.setLong(3, micros(startedAfter));
        }, row -> row.getLong(1));
    if (pass == nowMicros) { // a new pass: the pages of older ones go
      statements.update("forget older export passes",
          "DELETE FROM " + pages + " WHERE account = ? AND"
          + " pass_micros < ?", statement -> {
            statement.setString(1, account);
            statement.setLong(2, pass);
          });
    }
    return Instant.EPOCH.plus(pass, ChronoUnit.MICROS);
  }

  @Override
  public Optional<String> page(Instant pass, int number) {
    return Optional.ofNullable(statements.query("read an export page", "SELECT body FROM " + pages
        + " WHERE account = ? AND pass_micros = ? AND page = ?", statement -> {
          statement.setString(1, account);
          statement.setLong(2, micros(pass));
          statement.setInt(3, number);
        }, row -> row.getString(1)));
  }

  @Override
  public boolean claim(Instant pass, int number, Instant now, Instant until) {
    Integer claimed = statements.query("claim an export page",
        "INSERT INTO " + pages + " AS g (account,"
        + " pass_micros, page, claimed_until_micros) VALUES (?, ?, ?, ?) ON CONFLICT (account,"
        + " pass_micros, page) DO UPDATE SET claimed_until_micros ="
        + " EXCLUDED.claimed_until_micros WHERE g.body IS NULL AND (g.claimed_until_micros IS"
        + " NULL OR g.claimed_until_micros <= ?) RETURNING page", statement -> {
          statement.setString(1, account);
          statement.setLong(2, micros(pass));
          statement.setInt(3, number);
          statement.setLong(4, micros(until));
          statement.setLong(5, micros(now));
        }, row -> row.getInt(1));
    return claimed != null;
  }

  @Override
  public void put(Instant pass, int number, String page, boolean last) {
    statements.update("store an export page",
        "INSERT INTO " + pages + " (account, pass_micros, page,"
        + " body) VALUES (?, ?, ?, ?) ON CONFLICT (account, pass_micros, page) DO UPDATE SET"
        + " body = EXCLUDED.body", statement -> {
          statement.setString(1, account);
          statement.setLong(2, micros(pass));
          statement.setInt(3, number);
          statement.setString(4, page);
        });
    if (last) {
      statements.update("end an export pass",
          "UPDATE " + passes + " SET ended = true WHERE account = ?"
          + " AND pass_micros = ?", statement -> {
            statement.setString(1, account);
            statement.setLong(2, micros(pass));
          });
    }
  }

  @Override
  public boolean claim(List<String> keys, Instant now, Instant keepUntil) {
    return agentActions.claim(keys, now, keepUntil);
  }

  @Override
  public boolean addWithin(String key, BigDecimal amount, BigDecimal limit, Instant now,
      Instant keepUntil) {
    return agentActions.addWithin(key, amount, limit, now, keepUntil);
  }

  @Override
  public void putAwaiting(String id, String grant, Instant now, Instant keepUntil) {
    agentActions.putAwaiting(id, grant, now, keepUntil);
  }

  @Override
  public Optional<String> takeAwaiting(String id, Instant now) {
    return agentActions.takeAwaiting(id, now);
  }

  @Override
  public List<String> awaiting(Instant now) {
    return agentActions.awaiting(now);
  }

  @Override
  public void release(List<String> keys) {
    agentActions.release(keys);
  }

  @Override
  public void putPendingNote(String id, String note, Instant now, Instant keepUntil) {
    agentActions.putPendingNote(id, note, keepUntil);
  }

  @Override
  public boolean removePendingNote(String id, String note) {
    return agentActions.removePendingNote(id, note);
  }

  @Override
  public List<String> pendingNotes(Instant now) {
    return agentActions.pendingNotes(now);
  }

  @Override
  public Optional<Stored> read(String key) {
    return tokens.read(key);
  }

  @Override
  public Optional<Long> write(String key, long expectedVersion, String value) {
    return tokens.write(key, expectedVersion, value);
  }

  @Override
  public boolean tryLease(String key, String owner, Duration ttl) {
    return tokens.tryLease(key, owner, ttl);
  }

  @Override
  public void releaseLease(String key, String owner) {
    tokens.releaseLease(key, owner);
  }

  @Override
  public String toString() {
    return "PostgresWriteSlots[table=" + table + ", account=" + account + ", clock="
        + (databaseClock ? "database" : "caller") + "]";
  }

  private static String identifier(String name) {
    if (!IDENTIFIER.matcher(Objects.requireNonNull(name, "table")).matches()) {
      throw new IllegalArgumentException("table must be lower case letters, digits and"
          + " underscores, starting with a letter or an underscore: " + name);
    }
    return name;
  }

  /** Configures {@link PostgresWriteSlots}. */
  public static final class Builder {
    private DataSource dataSource;
    private String account;
    private String table = DEFAULT_TABLE;
    /** How many deliveries an instance records between two purges of expired rows. */
    private int purgeEvery = 1_000;
    private Duration timeout = DEFAULT_TIMEOUT;
    private boolean databaseClock = true;

    private Builder() {}

    /** Where the table is: your application's pool. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /** The Zendesk account the slots are for (its subdomain): one row per account. */
    public Builder account(String account) {
      if (Objects.requireNonNull(account, "account").isBlank()) {
        throw new IllegalArgumentException("account must not be blank");
      }
      this.account = account;
      return this;
    }

    /** Deliveries between two purges (a test's few instead of 1,000). */
    Builder purgeEvery(int deliveries) {
      this.purgeEvery = deliveries;
      return this;
    }

    /** The table; default {@value #DEFAULT_TABLE}. */
    public Builder table(String table) {
      this.table = identifier(table);
      return this;
    }

    /** The longest a reservation waits for the database (whole seconds, at least 1). */
    public Builder timeout(Duration timeout) {
      if (Objects.requireNonNull(timeout, "timeout").isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Whether slots are kept on the database's clock (the default: instances' clocks may differ)
     * or on the callers' (the SDK's {@code Clock}: for tests and simulations in which time is
     * not the wall clock's).
     */
    public Builder databaseClock(boolean databaseClock) {
      this.databaseClock = databaseClock;
      return this;
    }

    /**
     * The slots.
     *
     * @throws IllegalStateException naming what is missing
     */
    public PostgresWriteSlots build() {
      if (dataSource == null || account == null) {
        throw new IllegalStateException("PostgresWriteSlots needs "
            + (dataSource == null ? "dataSource(DataSource)" : "account(String)"));
      }
      return new PostgresWriteSlots(this);
    }
  }
}
