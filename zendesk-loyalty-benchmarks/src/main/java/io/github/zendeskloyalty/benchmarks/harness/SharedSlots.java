package io.github.zendeskloyalty.benchmarks.harness;

import io.github.zendeskloyalty.client.SingleUserWriteSlots;
import io.github.zendeskloyalty.postgresql.PostgresWriteSlots;
import io.github.zendeskloyalty.redis.RedisWriteSlots;
import io.lettuce.core.RedisClient;
import java.util.Optional;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Where the harness's instances share their single-user write slots: nowhere, one object in
 * this JVM, or a real PostgreSQL or Redis server whose address the environment gives
 * ({@code HARNESS_POSTGRESQL_URL}, a JDBC URL; {@code HARNESS_REDIS_URI}). On the stores the
 * slots are kept on the callers' clock, the harness's simulated one, and the clock is held while
 * a reservation is with the store, as while a request is with the fake.
 */
enum SharedSlots {
  NONE("its own"),
  IN_MEMORY("one in-memory `SingleUserWriteSlots`"),
  POSTGRESQL("`PostgresWriteSlots` (a PostgreSQL server)"),
  REDIS("`RedisWriteSlots` (a Redis server)");

  private final String label;

  SharedSlots(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  boolean available() {
    return this == NONE || this == IN_MEMORY || address().isPresent();
  }

  String howToRun() {
    return "set " + (this == POSTGRESQL ? "HARNESS_POSTGRESQL_URL to a JDBC URL"
        : "HARNESS_REDIS_URI to a redis:// URI");
  }

  private Optional<String> address() {
    String variable = this == POSTGRESQL ? "HARNESS_POSTGRESQL_URL"
        : this == REDIS ? "HARNESS_REDIS_URI" : null;
    return variable == null ? Optional.empty()
        : Optional.ofNullable(System.getenv(variable)).filter(value -> !value.isBlank());
  }

  /** The store for one run, or null for {@link #NONE}. */
  Store open(SimulatedTime time) {
    String account = "harness-" + System.nanoTime(); // each run its own row or key
    return switch (this) {
      case NONE -> null;
      case IN_MEMORY -> {
        SingleUserWriteSlots shared = SingleUserWriteSlots.inMemory();
        yield new Store(() -> shared, () -> { });
      }
      case POSTGRESQL -> {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(address().orElseThrow());
        yield new Store(() -> held(time, PostgresWriteSlots.builder().dataSource(dataSource)
            .account(account).databaseClock(false).build()), () -> { });
      }
      case REDIS -> {
        RedisClient client = RedisClient.create(address().orElseThrow());
        yield new Store(() -> held(time, RedisWriteSlots.builder().client(client)
            .account(account).serverClock(false).build()), client::shutdown);
      }
    };
  }

  /** The slots, with the simulated clock held while the store answers. */
  private static SingleUserWriteSlots held(SimulatedTime time, SingleUserWriteSlots slots) {
    if (slots instanceof PostgresWriteSlots postgres) {
      postgres.createTableIfMissing();
    }
    return (earliest, latest, spacing) -> {
      time.hold();
      try {
        return slots.reserve(earliest, latest, spacing);
      } finally {
        time.release();
      }
    };
  }

  /** A run's store: slots for each instance, and what closes it. */
  record Store(java.util.function.Supplier<SingleUserWriteSlots> instances, Runnable closer) {
    SingleUserWriteSlots forInstance() {
      return instances.get();
    }
  }
}
