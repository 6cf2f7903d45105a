package io.github.zendeskloyalty.redis;

import io.github.zendeskloyalty.client.SingleUserWriteSlots;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Single-user write slots kept in Redis, shared by every instance of the SDK that writes to one
 * Zendesk account: one key per account, reserved by one Lua script on the server's clock
 * ({@code TIME}), so instances whose clocks differ by seconds still keep Zendesk's second apart.
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
 *     .build();
 * }</pre>
 *
 * <p>Each reservation is one {@code EVALSHA} (the script is loaded again when the server lost
 * it), bounded by the timeout (2 s by default): a server that is down, slow or answers nonsense
 * makes {@code reserve} throw, and the SDK then paces that write by itself, with a warning, and
 * asks Redis again for the next one. The key expires ten minutes after its last slot.
 */
public final class RedisWriteSlots implements SingleUserWriteSlots {

  /** The prefix of the keys. */
  public static final String KEY_PREFIX = "zendesk-loyalty:single-user-writes:";
  /** The default longest wait for Redis. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  /**
   * KEYS[1] the slot key; ARGV: now (µs since the epoch, or empty for the server's clock),
   * spacing (µs), the longest wait (µs). Returns the wait before the slot in µs, or -1 when the
   * slot would come after the longest wait (nothing is reserved then). A last slot more than an
   * hour ahead is no reservation of the SDK's (they end at a retry deadline): it is read as now.
   */
  static final String SCRIPT = """
      local now = tonumber(ARGV[1])
      if now == nil then
        local time = redis.call('TIME')
        now = tonumber(time[1]) * 1000000 + tonumber(time[2])
      end
      local last = tonumber(redis.call('GET', KEYS[1]) or '')
      if last == nil or last > now + 3600000000 then last = now - tonumber(ARGV[2]) end
      local slot = math.max(now, last + tonumber(ARGV[2]))
      if slot - now > tonumber(ARGV[3]) then return -1 end
      redis.call('SET', KEYS[1], string.format('%d', slot), 'PX',
          math.floor((slot - now) / 1000) + 600000)
      return slot - now
      """;

  private final Supplier<StatefulRedisConnection<String, String>> connect;
  private volatile StatefulRedisConnection<String, String> connection;
  private CompletableFuture<StatefulRedisConnection<String, String>> opening;
  private final String key;
  private final Duration timeout;
  private final boolean serverClock;
  private final String sha;

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
    this.timeout = builder.timeout;
    this.serverClock = builder.serverClock;
    this.sha = sha1(SCRIPT);
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
    try {
      StatefulRedisConnection<String, String> connection = connection();
      try {
        return connection.async().<Long>evalsha(sha, ScriptOutputType.INTEGER,
            new String[] {key}, args).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException missing) {
        if (!String.valueOf(missing.getCause().getMessage()).startsWith("NOSCRIPT")) {
          throw missing;
        }
        return connection.async().<Long>eval(SCRIPT, ScriptOutputType.INTEGER,
            new String[] {key}, args).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException | TimeoutException | RedisException failed) {
      Throwable cause = failed instanceof ExecutionException ? failed.getCause() : failed;
      throw new IllegalStateException("Redis did not reserve a single-user write slot: "
          + (failed instanceof TimeoutException ? "no answer within " + timeout
              : cause.getMessage()), cause);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reserving a single-user write slot",
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

  private static String sha1(String script) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
          .digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException absent) {
      throw new IllegalStateException("every Java platform has SHA-1", absent);
    }
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
