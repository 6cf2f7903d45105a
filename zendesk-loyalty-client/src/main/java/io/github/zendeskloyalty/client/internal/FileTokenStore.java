package io.github.zendeskloyalty.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zendeskloyalty.client.OAuthTokenStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * {@link OAuthTokenStore#file(Path)}: one JSON file, readable by its owner only, that the
 * processes of one machine share. Each operation locks a sibling {@code .lock} file (and, within
 * this JVM, a lock per path, since the file lock is the whole process's), reads the file, and
 * replaces it atomically, so a process killed mid-write leaves the previous content. Leases are
 * held on the machine's wall clock. Not part of the API.
 */
public final class FileTokenStore implements OAuthTokenStore {

  private static final String FORMAT = "zendesk-loyalty-oauth-tokens/1";
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Map<Path, Object> IN_PROCESS = new ConcurrentHashMap<>();

  private final Path file;
  private final Path lockFile;

  /** A store in {@code file}, created on the first write. */
  public FileTokenStore(Path file) {
    this.file = file.toAbsolutePath().normalize();
    this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
  }

  @Override
  public Optional<Stored> read(String key) {
    return locked(content -> {
      JsonNode entry = content.path("tokens").path(key);
      if (entry.isMissingNode()) {
        return Optional.empty();
      }
      if (!entry.path("version").canConvertToLong() || !entry.path("value").isTextual()) {
        throw new IllegalStateException(file + ": the entry of " + key + " is not readable");
      }
      return Optional.of(new Stored(entry.path("version").asLong(),
          entry.path("value").asText()));
    });
  }

  @Override
  public Optional<Long> write(String key, long expectedVersion, String value) {
    return locked(content -> {
      long version = content.path("tokens").path(key).path("version").asLong(0);
      if (version != expectedVersion) {
        return Optional.empty();
      }
      tokens(content).putObject(key).put("version", version + 1).put("value", value);
      save(content);
      return Optional.of(version + 1);
    });
  }

  @Override
  public boolean tryLease(String key, String owner, Duration ttl) {
    return locked(content -> {
      JsonNode held = content.path("leases").path(key);
      long now = System.currentTimeMillis(); // the machine's processes share its wall clock
      if (held.isObject() && !owner.equals(held.path("owner").asText())
          && held.path("until").asLong(0) > now) {
        return false;
      }
      leases(content).putObject(key).put("owner", owner).put("until", now + ttl.toMillis());
      save(content);
      return true;
    });
  }

  @Override
  public void releaseLease(String key, String owner) {
    locked(content -> {
      if (owner.equals(content.path("leases").path(key).path("owner").asText(null))) {
        leases(content).remove(key);
        save(content);
      }
      return null;
    });
  }

  @Override
  public String toString() {
    return "OAuthTokenStore.file(" + file + ")";
  }

  private <T> T locked(Function<ObjectNode, T> operation) {
    synchronized (IN_PROCESS.computeIfAbsent(file, path -> new Object())) {
      try {
        createOwnerOnly(lockFile);
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
          FileLock lock = channel.lock(); // released when the channel closes
          try {
            return operation.apply(load());
          } finally {
            lock.release();
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("the token file " + file + ": " + e.getMessage(), e);
      }
    }
  }

  private ObjectNode load() throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException none) {
      return Json.MAPPER.createObjectNode().put("format", FORMAT);
    }
    JsonNode parsed = Json.parseStrict(text);
    if (!(parsed instanceof ObjectNode content) || !FORMAT.equals(content.path("format").asText())) {
      // never read as "nothing stored": a write would replace what a person may need
      throw new IllegalStateException(file + " is not a token file of this SDK (" + FORMAT + ")");
    }
    return content;
  }

  private void save(ObjectNode content) {
    try {
      Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(temporary);
      createOwnerOnly(temporary);
      Files.write(temporary, Json.write(content), StandardOpenOption.TRUNCATE_EXISTING);
      try {
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException notAtomic) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the token file " + file + ": "
          + e.getMessage(), e);
    }
  }

  private static void createOwnerOnly(Path path) throws IOException {
    if (Files.exists(path)) {
      return;
    }
    if (path.getParent() != null) {
      Files.createDirectories(path.getParent());
    }
    try {
      if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } else {
        Files.createFile(path);
      }
    } catch (FileAlreadyExistsException raced) {
      // another process created it first
    }
  }

  private ObjectNode tokens(ObjectNode content) {
    return section(content, "tokens");
  }

  private ObjectNode leases(ObjectNode content) {
    return section(content, "leases");
  }

  private ObjectNode section(ObjectNode content, String name) {
    JsonNode section = content.get(name);
    if (section == null) {
      return content.putObject(name);
    }
    if (section instanceof ObjectNode object) {
      return object;
    }
    throw new IllegalStateException(file + ": \"" + name + "\" is not an object");
  }
}
