package io.github.zendeskloyalty.postgresql;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server for the tests: Debian's {@code postgresql} binaries, a new cluster in
 * a temporary directory, on a free loopback port, as the {@code postgres} user when the tests
 * run as root (PostgreSQL refuses root). Killed with SIGKILL and started again on the same data
 * for the fault tests. Missing binaries fail the tests under {@code CI=true} ({@code .ci/run}
 * installs them) and skip them, saying why, elsewhere. Shared with other modules' tests through
 * this module's test jar.
 *
 * <pre>{@code
 * try (PostgresServer server = PostgresServer.start()) {
 *   DataSource dataSource = server.dataSource();
 * }
 * }</pre>
 */
public final class PostgresServer implements AutoCloseable {

  private final Path bin;
  private final Path data;
  private final int port;
  private final boolean root;
  private Process process;

  private PostgresServer(Path bin, Path data, int port, boolean root) {
    this.bin = bin;
    this.data = data;
    this.port = port;
    this.root = root;
  }

  /** Starts a new cluster on a free loopback port. */
  public static PostgresServer start() throws Exception {
    Optional<Path> bin = binaries();
    if (bin.isEmpty()) {
      String missing = "PostgreSQL server binaries (initdb, postgres) not found under"
          + " /usr/lib/postgresql/*/bin: apt-get install postgresql";
      if ("true".equals(System.getenv("CI"))) {
        fail(missing);
      }
      Assumptions.abort(missing + " (under CI=true this fails)");
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    Path data = Files.createTempDirectory("zendesk-loyalty-pg");
    if (root) {
      run(List.of("chown", "postgres:postgres", data.toString()));
    }
    PostgresServer server = new PostgresServer(bin.get(), data, freePort(), root);
    run(server.asOwner(List.of(bin.get().resolve("initdb").toString(), "-D",
        data.resolve("cluster").toString(), "-A", "trust", "-U", "postgres", "--no-sync")));
    server.startProcess();
    return server;
  }

  /** The cluster's JDBC data source, as user postgres, with short timeouts. */
  public PGSimpleDataSource dataSource() {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setServerNames(new String[] {"127.0.0.1"});
    source.setPortNumbers(new int[] {port});
    source.setDatabaseName("postgres");
    source.setUser("postgres");
    source.setConnectTimeout(2);
    source.setSocketTimeout(5);
    return source;
  }

  /** SIGKILL: no shutdown, as an OOM kill or a lost host. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Starts the server again on the same data (after crash recovery). */
  void restart() throws Exception {
    startProcess();
  }

  private void startProcess() throws Exception {
    List<String> command = asOwner(List.of(bin.resolve("postgres").toString(), "-D",
        data.resolve("cluster").toString(), "-p", Integer.toString(port), "-c",
        "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + data, "-c",
        "fsync=off"));
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(data.resolve("server.log").toFile()).start();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (Connection connection = dataSource().getConnection()) {
        if (connection.isValid(2)) {
          return;
        }
      } catch (SQLException notYet) {
        if (!process.isAlive() || System.nanoTime() > until) {
          throw new IllegalStateException("PostgreSQL did not start: "
              + Files.readString(data.resolve("server.log")), notYet);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      }
    }
  }

  private List<String> asOwner(List<String> command) {
    if (!root) {
      return command;
    }
    List<String> owned = new ArrayList<>(List.of("setpriv", "--reuid=postgres",
        "--regid=postgres", "--init-groups", "--"));
    owned.addAll(command);
    return owned;
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process done = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(done.getInputStream().readAllBytes());
    if (done.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
  }

  private static Optional<Path> binaries() {
    File[] versions = new File("/usr/lib/postgresql").listFiles();
    if (versions == null) {
      return Optional.empty();
    }
    return Arrays.stream(versions).map(version -> version.toPath().resolve("bin"))
        .filter(bin -> Files.isExecutable(bin.resolve("initdb"))
            && Files.isExecutable(bin.resolve("postgres")))
        .max(Comparator.comparing(Path::toString));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroy();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
      process.destroyForcibly();
    }
  }
}
