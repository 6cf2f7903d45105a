package io.github.zendeskloyalty.benchmarks.harness;

import io.github.zendeskloyalty.client.SharedExportPages;
import io.github.zendeskloyalty.client.SingleUserWriteSlots;
import io.github.zendeskloyalty.postgresql.PostgresWriteSlots;
import io.github.zendeskloyalty.redis.RedisWriteSlots;
import io.lettuce.core.RedisClient;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Where the harness's instances share their single-user write slots and export pages: nowhere, one object in
 * this JVM, or a real PostgreSQL or Redis server whose address the environment gives
 * ({@code HARNESS_POSTGRESQL_URL}, a JDBC URL; {@code HARNESS_REDIS_URI}). On the stores the
 * slots are kept on the callers' clock, the harness's simulated one, and the clock is held while
 * a reservation is with the store, as while a request is with the fake.
 */
enum SharedSlots {
  NONE("its own"),
  IN_MEMORY("one in-memory `SingleUserWriteSlots` and `SharedExportPages`"),
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
        SharedExportPages pages = SharedExportPages.inMemory();
        yield new Store(() -> shared, () -> pages, () -> { });
      }
      case POSTGRESQL -> {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(address().orElseThrow());
        Supplier<PostgresWriteSlots> instance = () -> {
          PostgresWriteSlots slots = PostgresWriteSlots.builder().dataSource(dataSource)
              .account(account).databaseClock(false).build();
          slots.createTableIfMissing();
          return slots;
        };
        yield new Store(() -> heldSlots(time, instance.get()), () -> heldPages(time, instance.get()),
            () -> { });
      }
      case REDIS -> {
        RedisClient client = RedisClient.create(address().orElseThrow());
        Supplier<RedisWriteSlots> instance = () -> RedisWriteSlots.builder().client(client)
            .account(account).serverClock(false).build();
        yield new Store(() -> heldSlots(time, instance.get()), () -> heldPages(time, instance.get()),
            client::shutdown);
      }
    };
  }

  /** The slots, with the simulated clock held while the store answers. */
  private static SingleUserWriteSlots heldSlots(SimulatedTime time, SingleUserWriteSlots slots) {
    return (earliest, latest, spacing) -> {
      time.hold();
      try {
        return slots.reserve(earliest, latest, spacing);
      } finally {
        time.release();
      }
    };
  }

  /** The export pages, with the simulated clock held while the store answers. */
  private static SharedExportPages heldPages(SimulatedTime time, SharedExportPages pages) {
    return new SharedExportPages() {
      @Override
      public Instant joinPass(Instant now, Instant startedAfter) {
        return whileHeld(time, () -> pages.joinPass(now, startedAfter));
      }

      @Override
      public Optional<String> page(Instant pass, int number) {
        return whileHeld(time, () -> pages.page(pass, number));
      }

      @Override
      public boolean claim(Instant pass, int number, Instant now, Instant until) {
        return whileHeld(time, () -> pages.claim(pass, number, now, until));
      }

      @Override
      public void put(Instant pass, int number, String page, boolean last) {
        whileHeld(time, () -> {
          pages.put(pass, number, page, last);
          return null;
        });
      }
    };
  }

  private static <T> T whileHeld(SimulatedTime time, Supplier<T> call) {
    time.hold();
    try {
      return call.get();
    } finally {
      time.release();
    }
  }

  /** A run's store: slots and export pages for each instance, and what closes it. */
  record Store(Supplier<SingleUserWriteSlots> slots, Supplier<SharedExportPages> pages,
      Runnable closer) {
    SingleUserWriteSlots forInstance() {
      return slots.get();
    }

    SharedExportPages pagesForInstance() {
      return pages.get();
    }
  }
}
