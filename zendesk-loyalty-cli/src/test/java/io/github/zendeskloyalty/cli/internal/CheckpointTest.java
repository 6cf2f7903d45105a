package io.github.zendeskloyalty.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zendeskloyalty.core.LoyaltyMember;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

  private static final String FILE = "export-1";
  private static final String ROW = Checkpoint.digest(Map.of("zrl_member_available_points", "10"));
  private static final String OTHER_ROW =
      Checkpoint.digest(Map.of("zrl_member_available_points", "11"));

  @TempDir
  Path dir;

  private static LoyaltyMember member(String id, String modified) {
    return LoyaltyMember.builder().memberId(id)
        .lastModifiedDate(modified == null ? null : Instant.parse(modified)).build();
  }

  @Test
  void aConfirmationSurvivesARestartAndOnlyNewerSnapshotsAreSentAgain() throws Exception {
    Path file = dir.resolve("run.checkpoint");
    try (Checkpoint checkpoint = Checkpoint.open(file, FILE)) {
      checkpoint.confirm(member("M\t1 é", "2026-11-01T00:00:00Z"), 2, ROW);
    }

    try (Checkpoint reopened = Checkpoint.open(file, FILE)) {
      assertThat(reopened.loaded()).isEqualTo(1);
      assertThat(reopened.isConfirmed(member("M\t1 é", "2026-11-01T00:00:00Z"), 2, ROW)).isTrue();
      assertThat(reopened.isConfirmed(member("M\t1 é", "2026-10-01T00:00:00Z"), 9, OTHER_ROW))
          .as("an older row").isTrue();
      assertThat(reopened.isConfirmed(member("M\t1 é", "2026-11-02T00:00:00Z"), 9, OTHER_ROW))
          .as("a newer row").isFalse();
      assertThat(reopened.isConfirmed(member("M\t1 é", "2026-11-01T00:00:00Z"), 2, OTHER_ROW))
          .as("the same date with other values").isFalse();
      assertThat(reopened.isConfirmed(member("M-2", "2026-11-01T00:00:00Z"), 2, ROW)).isFalse();
    }
  }

  @Test
  void withoutADateTheValuesDecideAndTheLineOnlyInTheSameFile() throws Exception {
    try (Checkpoint checkpoint = Checkpoint.open(dir.resolve("c"), FILE)) {
      checkpoint.confirm(member("M-1", null), 5, ROW);

      assertThat(checkpoint.isConfirmed(member("M-1", null), 5, ROW)).isTrue();
      assertThat(checkpoint.isConfirmed(member("M-1", null), 3, OTHER_ROW))
          .as("an earlier line of the same file").isTrue();
      assertThat(checkpoint.isConfirmed(member("M-1", null), 6, OTHER_ROW)).isFalse();
    }
    try (Checkpoint nextDay = Checkpoint.open(dir.resolve("c"), "export-2")) {
      assertThat(nextDay.isConfirmed(member("M-1", null), 3, OTHER_ROW))
          .as("a re-export at the same path with new values").isFalse();
      assertThat(nextDay.isConfirmed(member("M-1", null), 3, ROW))
          .as("a re-export with the same values").isTrue();
    }
  }

  @Test
  void aLineCutShortByAKillIsDroppedAndAppendingStartsOnANewLine() throws Exception {
    Path file = dir.resolve("c");
    Files.writeString(file, "M-1\t2026-11-01T00:00:00Z\t2\t" + ROW + "\t" + FILE
        + "\nM-2\t2026-11-0");

    try (Checkpoint checkpoint = Checkpoint.open(file, FILE)) {
      assertThat(checkpoint.loaded()).isEqualTo(1);
      assertThat(checkpoint.isConfirmed(member("M-2", "2026-11-01T00:00:00Z"), 3, ROW)).isFalse();
      checkpoint.confirm(member("M-2", "2026-11-01T00:00:00Z"), 3, ROW);
    }

    try (Checkpoint reopened = Checkpoint.open(file, FILE)) {
      assertThat(reopened.loaded()).isEqualTo(2);
    }
  }

  @Test
  void aLineOfAnEarlierVersionSkipsByDateOnly() throws Exception {
    Path file = dir.resolve("c");
    Files.writeString(file, "M-1\t2026-11-01T00:00:00Z\t2\nM-2\t-\t3\n");

    try (Checkpoint checkpoint = Checkpoint.open(file, FILE)) {
      assertThat(checkpoint.loaded()).isEqualTo(2);
      assertThat(checkpoint.isConfirmed(member("M-1", "2026-10-01T00:00:00Z"), 2, ROW)).isTrue();
      assertThat(checkpoint.isConfirmed(member("M-2", null), 2, ROW)).isFalse();
    }
  }

  @Test
  void aFileThatIsNotACheckpointIsRefusedAndLeftAlone() throws Exception {
    Path file = dir.resolve("members.csv");
    String text = "zrl_member_member_id,email\nM-1,a@example.com\n";
    Files.writeString(file, text);

    assertThatThrownBy(() -> Checkpoint.open(file, FILE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("members.csv line 1 is not a checkpoint line");
    assertThat(Files.readString(file)).isEqualTo(text);
  }

  @Test
  void aPathThatIsNotARegularFileIsRefusedBeforeAnythingIsRead() {
    assertThatThrownBy(() -> Checkpoint.open(Path.of("/dev/full"), FILE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("checkpoint /dev/full is not a regular file; give --checkpoint a file's"
            + " path");
    assertThatThrownBy(() -> Checkpoint.open(dir, FILE))
        .hasMessageContaining("is not a regular file");
  }

  @Test
  void aFailureToAppendIsKeptForTheReport() throws Exception {
    Path file = dir.resolve("c");
    Checkpoint checkpoint = Checkpoint.open(file, FILE);
    checkpoint.confirm(member("M-1", null), 1, ROW);
    checkpoint.close(); // as a full disk or a removed mount would: the writer fails

    checkpoint.confirm(member("M-2", null), 2, ROW);

    assertThat(checkpoint.writeFailure()).isNotNull();
    assertThat(Files.readAllLines(file)).hasSize(1);
  }
}
