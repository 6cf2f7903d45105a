package io.github.zendeskloyalty.redis;

import io.github.zendeskloyalty.client.OAuthTokenStore;
import io.github.zendeskloyalty.client.SharedDeliveries;
import io.github.zendeskloyalty.client.SharedExportPages;
import io.github.zendeskloyalty.client.SingleUserWriteSlots;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The account's limits kept in Redis, shared by every instance of the SDK that writes to one
 * Zendesk account: its single-user write slots, one key per account, reserved by one Lua script
 * on the server's clock ({@code TIME}), so instances whose clocks differ by seconds still keep
 * Zendesk's second apart; and the pages of its export passes ({@link SharedExportPages}: each
 * page fetched by one instance, read by the others, kept an hour under
 * {@code zendesk-loyalty:export:<account>:}).
 * And, as an {@link OAuthTokenStore}, the account's OAuth token pair (a hash of version and
 * value, written by one script that compares the version) and its refresh lease ({@code SET PX}
 * on the server's clock), so pods share one token and renew it once.
 * Through Lettuce, on a connection you give it (Spring Boot's default Redis client).
 *
 * <pre>{@code
 * RedisClient client = RedisClient.create("redis://redis:6379");
 * RedisWriteSlots slots = RedisWriteSlots.builder()
 *     .connection(client.connect())
 *     .account("acme")                 // key zendesk-loyalty:single-user-writes:acme
 *     .build();
 * ZendeskLoyaltySync sync = ZendeskLoyaltySync.builder()
 *     .subdomain("acme").credentials(credentials)
 *     .singleUserWriteSlots(slots)
 *     .sharedExportPages(slots)
 *     .build();
 * }</pre>
 *
 * <p>Each reservation is one {@code EVALSHA} (the script is loaded again when the server lost
 * it), bounded by the timeout (2 s by default): a server that is down, slow or answers nonsense
 * makes {@code reserve} throw, and the SDK then paces that write by itself, with a warning, and
 * asks Redis again for the next one. The key expires ten minutes after its last slot.
 */
public final class RedisWriteSlots implements SingleUserWriteSlots, SharedExportPages,
    SharedDeliveries, OAuthTokenStore {

  /** The prefix of the keys. */
  public static final String KEY_PREFIX = "zendesk-loyalty:single-user-writes:";
  /** The prefix of the export pages' keys: {@code zendesk-loyalty:export:<account>:...}. */
  public static final String EXPORT_KEY_PREFIX = "zendesk-loyalty:export:";
  /** The prefix of handled deliveries' keys: {@code zendesk-loyalty:deliveries:<account>:...}. */
  public static final String DELIVERIES_KEY_PREFIX = "zendesk-loyalty:deliveries:";
  /** The prefix of running totals' keys: {@code zendesk-loyalty:totals:<account>:...}. */
  public static final String TOTALS_KEY_PREFIX = "zendesk-loyalty:totals:";
  /** The prefix of the OAuth token pairs' hashes (version, value), by the SDK's store key. */
  public static final String TOKENS_KEY_PREFIX = "zendesk-loyalty:oauth-tokens:";
  /** The prefix of the OAuth refresh leases' keys. */
  public static final String LEASES_KEY_PREFIX = "zendesk-loyalty:oauth-leases:";
  /**
   * The prefix of grants waiting for approval: {@code zendesk-loyalty:approvals:<account>} (the
   * order they came in, a sorted set) and {@code ...:<account>:<id>} (each grant).
   */
  public static final String APPROVALS_KEY_PREFIX = "zendesk-loyalty:approvals:";
  /** The prefix of the pending goodwill notes' keys (the account's index, and each note). */
  public static final String NOTES_KEY_PREFIX = "zendesk-loyalty:notes:";
  /** How long a stored page, a claim and a pass are kept. */
  static final Duration EXPORT_KEPT = Duration.ofHours(1);






  /** The default longest wait for Redis. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);


  private final Supplier<StatefulRedisConnection<String, String>> connect;
  private volatile StatefulRedisConnection<String, String> connection;
  private CompletableFuture<StatefulRedisConnection<String, String>> opening;
  private final String key;
  private final String exportKey;
  private final String deliveriesKey;
  private final String totalsKey;
  private final String approvalsKey;
  private final String notesKey;
  private final Duration timeout;
  private final boolean serverClock;

  /** Opens connections off the writing thread, on daemon threads. */
  private static final Executor OPENER = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "zendesk-loyalty-redis-connect");
    thread.setDaemon(true);
    return thread;
  });

  private RedisWriteSlots(Builder builder) {
    this.connection = builder.connection;
    this.connect = builder.connect;
    this.key = KEY_PREFIX + builder.account;
    this.exportKey = EXPORT_KEY_PREFIX + builder.account + ":";
    this.deliveriesKey = DELIVERIES_KEY_PREFIX + builder.account + ":";
    this.totalsKey = TOTALS_KEY_PREFIX + builder.account + ":";
    this.approvalsKey = APPROVALS_KEY_PREFIX + builder.account;
    this.notesKey = NOTES_KEY_PREFIX + builder.account;
    this.timeout = builder.timeout;
    this.serverClock = builder.serverClock;
  }

  /** A builder; the connection and the account are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Optional<Instant> reserve(Instant earliest, Instant latest, Duration spacing) {
    long maxWait = Math.max(0, micros(latest) - micros(earliest));
    String[] args = {serverClock ? "" : Long.toString(micros(earliest)),
        Long.toString(spacing.toNanos() / 1_000), Long.toString(maxWait)};
    Long wait = call(args);
    if (wait == null || wait < -1 || wait > maxWait) {
      throw new IllegalStateException("Redis answered a slot " + wait + " µs from now, outside"
          + " 0.." + maxWait + ": the key " + key + " holds something else");
    }
    return wait < 0 ? Optional.empty() : Optional.of(earliest.plus(wait, ChronoUnit.MICROS));
  }

  private Long call(String[] args) {
    return run("reserve a single-user write slot", commands -> evalsha(commands, Script.RESERVE,
        ScriptOutputType.INTEGER, new String[] {key}, args));
  }

  @Override
  public Instant joinPass(Instant now, Instant startedAfter) {
    String pass = run("join an export pass", commands -> evalsha(commands,
        Script.JOIN_PASS, ScriptOutputType.VALUE, new String[] {exportKey + "pass"},
        new String[] {Long.toString(micros(now)), Long.toString(micros(startedAfter)),
            Long.toString(EXPORT_KEPT.toMillis())}));
    try {
      long micros = Long.parseLong(pass);
      return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    } catch (NumberFormatException | NullPointerException nonsense) {
      throw new IllegalStateException("Redis answered the export pass '" + pass + "': the key "
          + exportKey + "pass holds something else");
    }
  }

  @Override
  public Optional<String> page(Instant pass, int number) {
    return Optional.ofNullable(run("read an export page",
        commands -> commands.get(pageKey(pass, number))));
  }

  @Override
  public boolean claim(Instant pass, int number, Instant now, Instant until) {
    Long claimed = run("claim an export page", commands -> evalsha(commands, Script.CLAIM,
        ScriptOutputType.INTEGER, new String[] {pageKey(pass, number),
            pageKey(pass, number) + ":claim"}, new String[] {Long.toString(micros(now)),
            Long.toString(micros(until)), Long.toString(EXPORT_KEPT.toMillis())}));
    return claimed != null && claimed == 1;
  }

  @Override
  public void put(Instant pass, int number, String page, boolean last) {
    run("store an export page", commands -> commands.set(pageKey(pass, number), page,
        SetArgs.Builder.px(EXPORT_KEPT.toMillis())));
    if (last) {
      run("end an export pass", commands -> evalsha(commands, Script.END_PASS,
          ScriptOutputType.INTEGER, new String[] {exportKey + "pass"},
          new String[] {Long.toString(micros(pass))}));
    }
  }

  /** One script: every key absent, then all set; they expire on the server's clock. */
  @Override
  public boolean claim(List<String> keys, Instant now, Instant keepUntil) {
    long millis = Math.max(1, Duration.between(now, keepUntil).toMillis());
    String[] names = keys.stream().distinct().map(key -> deliveriesKey + key)
        .toArray(String[]::new);
    Long claimed = run("claim a webhook delivery", commands -> evalsha(commands,
        Script.CLAIM_ALL, ScriptOutputType.INTEGER, names, new String[] {Long.toString(millis)}));
    return claimed != null && claimed == 1;
  }

  /** One script: read, compare and add at once; the total expires on the server's clock. */
  @Override
  public boolean addWithin(String key, BigDecimal amount, BigDecimal limit, Instant now,
      Instant keepUntil) {
    long millis = Math.max(1, Duration.between(now, keepUntil).toMillis());
    Long added = run("add to a running total", commands -> evalsha(commands, Script.ADD_WITHIN,
        ScriptOutputType.INTEGER, new String[] {totalsKey + key}, new String[] {
            amount.toPlainString(), limit.toPlainString(), Long.toString(millis)}));
    return added != null && added == 1L;
  }

  @Override
  public void putAwaiting(String id, String grant, Instant now, Instant keepUntil) {
    putIndexed("keep a grant waiting for approval", approvalsKey, id, grant, now, keepUntil);
  }

  /** One script: the value kept under its id, and the id in the index, in the order first put. */
  private void putIndexed(String what, String index, String id, String value, Instant now,
      Instant keepUntil) {
    long millis = Math.max(1, Duration.between(now, keepUntil).toMillis());
    run(what, commands -> evalsha(commands, Script.PUT_AWAITING, ScriptOutputType.INTEGER,
        new String[] {index + ":" + id, index}, new String[] {value, Long.toString(millis), id}));
  }

  @Override
  public void release(List<String> keys) {
    String[] names = keys.stream().distinct().map(key -> deliveriesKey + key)
        .toArray(String[]::new);
    run("release webhook deliveries", commands -> commands.del(names));
  }

  @Override
  public void putPendingNote(String id, String note, Instant now, Instant keepUntil) {
    putIndexed("keep a pending goodwill note", notesKey, id, note, now, keepUntil);
  }

  /** One script: deleted only while it holds that very note. */
  @Override
  public boolean removePendingNote(String id, String note) {
    Long removed = run("remove a pending goodwill note", commands -> evalsha(commands,
        Script.REMOVE_INDEXED, ScriptOutputType.INTEGER, new String[] {notesKey + ":" + id,
            notesKey}, new String[] {note, id}));
    return removed != null && removed == 1L;
  }

  @Override
  public List<String> pendingNotes(Instant now) {
    return indexed("the pending goodwill notes", notesKey);
  }

  /** One script: of two instances taking one grant, one gets it. */
  @Override
  public Optional<String> takeAwaiting(String id, Instant now) {
    String grant = run("take a grant waiting for approval", commands -> evalsha(commands,
        Script.TAKE_AWAITING, ScriptOutputType.VALUE, new String[] {approvalsKey + ":" + id,
            approvalsKey}, new String[] {id}));
    return Optional.ofNullable(grant);
  }

  @Override
  public List<String> awaiting(Instant now) {
    return indexed("the grants waiting for approval", approvalsKey);
  }

  /** The index's first 1,000 ids, their values read at once; an expired one leaves the index. */
  private List<String> indexed(String what, String index) {
    List<String> ids = run("list " + what, commands -> commands.zrange(index, 0, 999));
    if (ids.isEmpty()) {
      return List.of();
    }
    List<KeyValue<String, String>> grants = run("read " + what,
        commands -> commands.mget(ids.stream().map(id -> index + ":" + id)
            .toArray(String[]::new)));
    List<String> waiting = new ArrayList<>();
    List<String> expired = new ArrayList<>();
    for (int i = 0; i < grants.size(); i++) {
      if (grants.get(i).hasValue()) {
        waiting.add(grants.get(i).getValue());
      } else {
        expired.add(ids.get(i));
      }
    }
    if (!expired.isEmpty()) {
      run("drop expired entries from the index of " + what,
          commands -> commands.zrem(index, expired.toArray(String[]::new)));
    }
    return waiting;
  }

  /** The pair's hash: version and value, read at once. */
  @Override
  public Optional<Stored> read(String key) {
    Map<String, String> stored = run("read an OAuth token pair",
        commands -> commands.hgetall(TOKENS_KEY_PREFIX + key));
    if (stored == null || stored.isEmpty()) {
      return Optional.empty();
    }
    String version = stored.get("version");
    String value = stored.get("value");
    if (version == null || value == null || !version.matches("\\d{1,18}")) {
      throw new IllegalStateException("Redis holds no readable token pair under "
          + TOKENS_KEY_PREFIX + key);
    }
    return Optional.of(new Stored(Long.parseLong(version), value));
  }

  /** One script: compare the version and write at once. */
  @Override
  public Optional<Long> write(String key, long expectedVersion, String value) {
    Long written = run("write an OAuth token pair", commands -> evalsha(commands,
        Script.WRITE_TOKENS, ScriptOutputType.INTEGER, new String[] {TOKENS_KEY_PREFIX + key},
        new String[] {Long.toString(expectedVersion), value}));
    if (written == null) {
      throw new IllegalStateException("Redis answered nothing to a token pair's write");
    }
    return written < 0 ? Optional.empty() : Optional.of(written);
  }

  /** One script; the lease expires on the server's clock. */
  @Override
  public boolean tryLease(String key, String owner, Duration ttl) {
    Long held = run("take an OAuth refresh lease", commands -> evalsha(commands, Script.LEASE,
        ScriptOutputType.INTEGER, new String[] {LEASES_KEY_PREFIX + key},
        new String[] {owner, Long.toString(Math.max(1, ttl.toMillis()))}));
    return held != null && held == 1L;
  }

  @Override
  public void releaseLease(String key, String owner) {
    run("give up an OAuth refresh lease", commands -> evalsha(commands, Script.RELEASE,
        ScriptOutputType.INTEGER, new String[] {LEASES_KEY_PREFIX + key}, new String[] {owner}));
  }

  private String pageKey(Instant pass, int number) {
    return exportKey + micros(pass) + ":" + number;
  }

  private static <T> RedisFuture<T> evalsha(RedisAsyncCommands<String, String> commands,
      Script script, ScriptOutputType type, String[] keys, String[] args) {
    return commands.evalsha(script.sha(), type, keys, args);
  }

  /** Runs a command within the timeout; a script the server lost is sent again in full. */
  private <T> T run(String what, Function<RedisAsyncCommands<String, String>, RedisFuture<T>>
      command) {
    try {
      StatefulRedisConnection<String, String> connection = connection();
      try {
        return command.apply(connection.async()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException missing) {
        if (!String.valueOf(missing.getCause().getMessage()).startsWith("NOSCRIPT")) {
          throw missing;
        }
        for (Script script : Script.values()) {
          connection.async().scriptLoad(script.text())
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        return command.apply(connection.async()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException | TimeoutException | RedisException failed) {
      Throwable cause = failed instanceof ExecutionException ? failed.getCause() : failed;
      throw new IllegalStateException("Redis did not " + what + ": "
          + (failed instanceof TimeoutException ? "no answer within " + timeout
              : cause.getMessage()), cause);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Redis to " + what,
          interrupted);
    }
  }

  /** The connection; with a client, opened on first use, and again after opening failed. */
  private StatefulRedisConnection<String, String> connection()
      throws ExecutionException, TimeoutException, InterruptedException {
    StatefulRedisConnection<String, String> open = connection;
    if (open != null) {
      return open;
    }
    CompletableFuture<StatefulRedisConnection<String, String>> opening;
    synchronized (this) {
      if (connection != null) {
        return connection;
      }
      if (this.opening == null || this.opening.isCompletedExceptionally()) {
        // opened on a thread of its own, so a Redis that does not answer holds no write longer
        // than the timeout; a connection that opens later is kept for the next reservation
        this.opening = CompletableFuture.supplyAsync(connect, OPENER);
      }
      opening = this.opening;
    }
    StatefulRedisConnection<String, String> opened =
        opening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    synchronized (this) {
      connection = opened;
    }
    return opened;
  }

  @Override
  public String toString() {
    return "RedisWriteSlots[key=" + key + ", clock=" + (serverClock ? "server" : "caller") + "]";
  }

  private static long micros(Instant instant) {
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
        instant.getNano() / 1_000);
  }

  /** Configures {@link RedisWriteSlots}. */
  public static final class Builder {
    private StatefulRedisConnection<String, String> connection;
    private Supplier<StatefulRedisConnection<String, String>> connect;
    private String account;
    private Duration timeout = DEFAULT_TIMEOUT;
    private boolean serverClock = true;

    private Builder() {}

    /** A connection to Redis (thread-safe; share the application's). */
    public Builder connection(StatefulRedisConnection<String, String> connection) {
      this.connection = Objects.requireNonNull(connection, "connection");
      this.connect = null;
      return this;
    }

    /**
     * A client to open the connection with, on the first reservation (and again while opening
     * fails): Redis down when the application starts only makes the first writes pace
     * themselves.
     */
    public Builder client(RedisClient client) {
      Objects.requireNonNull(client, "client");
      this.connect = client::connect;
      this.connection = null;
      return this;
    }

    /** The Zendesk account the slots are for (its subdomain): one key per account. */
    public Builder account(String account) {
      if (Objects.requireNonNull(account, "account").isBlank()) {
        throw new IllegalArgumentException("account must not be blank");
      }
      this.account = account;
      return this;
    }

    /** The longest a reservation waits for Redis; default 2 s. */
    public Builder timeout(Duration timeout) {
      if (Objects.requireNonNull(timeout, "timeout").isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Whether slots are kept on the server's clock (the default: instances' clocks may differ)
     * or on the callers' (the SDK's {@code Clock}: for tests and simulations).
     */
    public Builder serverClock(boolean serverClock) {
      this.serverClock = serverClock;
      return this;
    }

    /**
     * The slots.
     *
     * @throws IllegalStateException naming what is missing
     */
    public RedisWriteSlots build() {
      if ((connection == null && connect == null) || account == null) {
        throw new IllegalStateException("RedisWriteSlots needs "
            + (account != null ? "connection(...) or client(...)" : "account(String)"));
      }
      return new RedisWriteSlots(this);
    }
  }
}
