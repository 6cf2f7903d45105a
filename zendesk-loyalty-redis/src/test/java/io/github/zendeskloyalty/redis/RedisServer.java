package io.github.zendeskloyalty.redis;

import static org.junit.jupiter.api.Assertions.fail;

import io.lettuce.core.RedisClient;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Redis server for the tests: Debian's {@code redis-server}, on a free loopback port,
 * nothing saved. Killed with SIGKILL and started again for the fault tests. A missing binary
 * fails the tests under {@code CI=true} ({@code .ci/run} installs it) and skips them, saying
 * why, elsewhere.
 */
final class RedisServer implements AutoCloseable {

  private final Path binary;
  private final Path dir;
  private final int port;
  private Process process;

  private RedisServer(Path binary, Path dir, int port) {
    this.binary = binary;
    this.dir = dir;
    this.port = port;
  }

  static RedisServer start() throws Exception {
    Optional<Path> binary = binary();
    if (binary.isEmpty()) {
      String missing = "redis-server not found on the PATH: apt-get install redis-server";
      if ("true".equals(System.getenv("CI"))) {
        fail(missing);
      }
      Assumptions.abort(missing + " (under CI=true this fails)");
    }
    RedisServer server = new RedisServer(binary.get(),
        Files.createTempDirectory("zendesk-loyalty-redis"), freePort());
    server.startProcess();
    return server;
  }

  /**
   * A client of this server that has opened a connection once: a JVM's first connection loads
   * Netty, seconds on a busy machine, which a test's one-second store timeout must not count.
   */
  RedisClient client() {
    RedisClient client = RedisClient.create(uri());
    client.connect().close();
    return client;
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** SIGKILL: what was in memory is gone, as after an OOM kill. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  void restart() throws Exception {
    startProcess();
  }

  private void startProcess() throws Exception {
    process = new ProcessBuilder(List.of(binary.toString(), "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()))
        .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        if (socket.isConnected()) {
          return;
        }
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > until) {
          throw new IllegalStateException("redis-server did not start: "
              + Files.readString(dir.resolve("server.log")), notYet);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
    }
  }

  private static Optional<Path> binary() {
    for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin")
        .split(File.pathSeparator)) {
      Path candidate = Path.of(directory, "redis-server");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
