package io.github.zendeskloyalty.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zendeskloyalty.core.LoyaltyMember;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

  @TempDir
  Path dir;

  private static LoyaltyMember member(String id, String modified) {
    return LoyaltyMember.builder().memberId(id)
        .lastModifiedDate(modified == null ? null : Instant.parse(modified)).build();
  }

  @Test
  void aConfirmationSurvivesARestartAndOnlyNewerSnapshotsAreSentAgain() throws Exception {
    Path file = dir.resolve("run.checkpoint");
    try (Checkpoint checkpoint = Checkpoint.open(file)) {
      checkpoint.confirm(member("M\t1 é", "2026-11-01T00:00:00Z"), 2);
    }

    try (Checkpoint reopened = Checkpoint.open(file)) {
      assertThat(reopened.loaded()).isEqualTo(1);
      assertThat(reopened.isConfirmed(member("M\t1 é", "2026-11-01T00:00:00Z"), 2)).isTrue();
      assertThat(reopened.isConfirmed(member("M\t1 é", "2026-10-01T00:00:00Z"), 9)).isTrue();
      assertThat(reopened.isConfirmed(member("M\t1 é", "2026-11-02T00:00:00Z"), 9)).isFalse();
      assertThat(reopened.isConfirmed(member("M-2", "2026-11-01T00:00:00Z"), 2)).isFalse();
    }
  }

  @Test
  void withoutALastModifiedDateTheLineDecides() throws Exception {
    try (Checkpoint checkpoint = Checkpoint.open(dir.resolve("c"))) {
      checkpoint.confirm(member("M-1", null), 5);

      assertThat(checkpoint.isConfirmed(member("M-1", null), 5)).isTrue();
      assertThat(checkpoint.isConfirmed(member("M-1", null), 6)).isFalse();
    }
  }

  @Test
  void aLineCutShortByAKillIsDroppedAndAppendingStartsOnANewLine() throws Exception {
    Path file = dir.resolve("c");
    Files.writeString(file, "M-1\t2026-11-01T00:00:00Z\t2\nM-2\t2026-11-0");

    try (Checkpoint checkpoint = Checkpoint.open(file)) {
      assertThat(checkpoint.loaded()).isEqualTo(1);
      assertThat(checkpoint.isConfirmed(member("M-2", "2026-11-01T00:00:00Z"), 3)).isFalse();
      checkpoint.confirm(member("M-2", "2026-11-01T00:00:00Z"), 3);
    }

    try (Checkpoint reopened = Checkpoint.open(file)) {
      assertThat(reopened.loaded()).isEqualTo(2);
    }
  }

  @Test
  void aFileThatIsNotACheckpointIsRefusedAndLeftAlone() throws Exception {
    Path file = dir.resolve("members.csv");
    String text = "zrl_member_member_id,email\nM-1,a@example.com\n";
    Files.writeString(file, text);

    assertThatThrownBy(() -> Checkpoint.open(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("members.csv line 1 is not a checkpoint line");
    assertThat(Files.readString(file)).isEqualTo(text);
  }
}
