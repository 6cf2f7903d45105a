package io.github.zendeskloyalty.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zendeskloyalty.client.OAuthTokenStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file token store: the contract with two instances of one file, and two processes of one
 * machine racing on it.
 */
class FileTokenStoreTest extends OAuthTokenStoreContract {

  @TempDir
  static Path dir;

  @Override
  protected OAuthTokenStore instance() {
    return OAuthTokenStore.file(dir.resolve("tokens.json"));
  }

  @Test
  void theFileIsItsOwnersOnlyAndAFileNotOfTheSdkIsAFailureNotAbsence() throws Exception {
    Path file = dir.resolve("owned.json");
    OAuthTokenStore store = OAuthTokenStore.file(file);
    assertThat(store.write("k", 0, "v")).contains(1L);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");

    Path other = dir.resolve("other.json");
    Files.writeString(other, "{\"not\": \"ours\"}");
    OAuthTokenStore wrong = OAuthTokenStore.file(other);
    assertThatThrownBy(() -> wrong.read("k")).hasMessageContaining("not a token file");
    assertThatThrownBy(() -> wrong.write("k", 0, "v")).hasMessageContaining("not a token file");
    assertThat(Files.readString(other)).as("left as it was").isEqualTo("{\"not\": \"ours\"}");
  }

  /** Two JVMs incrementing one version by compare-and-set: no increment lost or doubled. */
  @Test
  void twoProcessesOfOneMachineShareOneFile() throws Exception {
    Path file = dir.resolve("shared.json");
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
          .toString(), "-cp", System.getProperty("java.class.path"),
          Incrementer.class.getName(), file.toString(), "150", "p" + i)
          .redirectErrorStream(true).start());
    }
    int total = 0;
    for (Process process : processes) {
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
      String out = new String(process.getInputStream().readAllBytes()).strip();
      assertThat(process.exitValue()).as(out).isZero();
      total += Integer.parseInt(out.lines().reduce((a, b) -> b).orElseThrow());
    }
    assertThat(total).isEqualTo(300);
    assertThat(OAuthTokenStore.file(file).read("counter").orElseThrow().version()).isEqualTo(300);
  }

  /** A child process: increments the counter N times, printing how many of its writes won. */
  public static final class Incrementer {
    public static void main(String[] args) {
      OAuthTokenStore store = OAuthTokenStore.file(Path.of(args[0]));
      int wins = 0;
      while (wins < Integer.parseInt(args[1])) {
        Optional<OAuthTokenStore.Stored> current = store.read("counter");
        long version = current.map(OAuthTokenStore.Stored::version).orElse(0L);
        if (store.write("counter", version, args[2] + ":" + version).isPresent()) {
          wins++;
        }
      }
      System.out.println(wins);
    }
  }
}
