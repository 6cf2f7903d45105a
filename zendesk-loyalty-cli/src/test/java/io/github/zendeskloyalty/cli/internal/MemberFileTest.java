package io.github.zendeskloyalty.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemberFileTest {

  @TempDir
  Path dir;

  private List<MemberFile.Row> rows(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    List<MemberFile.Row> rows = new ArrayList<>();
    try (MemberFile members = MemberFile.open(file)) {
      members.forEach(rows::add);
    }
    assertThat(MemberFile.countRows(file, MemberFile.isCsv(file))).isEqualTo(rows.size());
    return rows;
  }

  @Test
  void csvQuotedFieldsKeepCommasQuotesAndLineBreaksAndLinesStayTrue() throws Exception {
    List<MemberFile.Row> rows = rows("m.csv", "zrl_member_member_id,first_name,last_name\r\n"
        + "M-1,\"Ada, Countess\",\"O\"\"Hara\"\r\n"
        + "M-2,\"two\nlines\",X\r\n"
        + "\r\n"
        + "M-3,,Y");

    assertThat(rows).extracting(MemberFile.Row::line).containsExactly(2, 3, 6);
    assertThat(rows.get(0).values()).isEqualTo(Map.of("zrl_member_member_id", "M-1",
        "first_name", "Ada, Countess", "last_name", "O\"Hara"));
    assertThat(rows.get(1).values()).containsEntry("first_name", "two\nlines");
    assertThat(rows.get(2).values()).doesNotContainKey("first_name");
  }

  @Test
  void headersMayUseAttributeNamesAndAByteOrderMark() throws Exception {
    List<MemberFile.Row> rows = rows("m.csv", "\uFEFFMEMBER_ID,available_points\nM-1,5\n");

    assertThat(rows.get(0).values()).isEqualTo(Map.of("zrl_member_member_id", "M-1",
        "zrl_member_available_points", "5"));
  }

  @Test
  void aHeaderNamingAColumnTwiceIsRefused() throws Exception {
    Path file = dir.resolve("m.csv");
    Files.writeString(file, "zrl_member_member_id,MEMBER_ID\n");

    assertThatThrownBy(() -> MemberFile.open(file)).hasMessageContaining("twice");
  }

  @Test
  void jsonLinesKeepNumbersExactAndRejectARowAloneWithItsLine() throws Exception {
    List<MemberFile.Row> rows = rows("m.jsonl", """
        {"zrl_member_member_id": "M-1", "zrl_member_available_points": 0.10000000000000001}

        not json
        {"zrl_member_member_id": "M-3", "points": 5}
        {"zrl_member_member_id": "M-4", "first_name": ["a"]}
        {"zrl_member_member_id": "M-5", "first_name": null}
        """);

    assertThat(rows).extracting(MemberFile.Row::line).containsExactly(1, 3, 4, 5, 6);
    assertThat(rows.get(0).values()).containsEntry("zrl_member_available_points",
        "0.10000000000000001");
    assertThat(rows.get(1).problem()).isEqualTo("not a JSON object");
    assertThat(rows.get(2).attribute()).isEqualTo("points");
    assertThat(rows.get(3).problem()).isEqualTo("must be a single value");
    assertThat(rows.get(4).values()).isEqualTo(Map.of("zrl_member_member_id", "M-5"));
  }

  @Test
  void aQuoteLeftOpenToTheEndFailsTheRowThatOpenedItAndNothingAfterItBecomesAValue()
      throws Exception {
    List<MemberFile.Row> rows = rows("m.csv", "zrl_member_member_id,email,"
        + "zrl_member_loyalty_tier_name\n"
        + "M-1,a@example.com,Gold\n"
        + "M-2,b@example.com,\"Silver\n"
        + "M-3,c@example.com,Bronze\n"
        + "M-4,d@example.com,Gold\n");

    assertThat(rows).extracting(MemberFile.Row::line).containsExactly(2, 3);
    assertThat(rows.get(1).problem()).startsWith("a quote opened on this line is never closed");
    assertThat(rows.get(1).values()).isEmpty();
  }

  @Test
  void aClosedQuoteThatSwallowedWholeRowsFailsItsRowAndTheRestIsRead() throws Exception {
    List<MemberFile.Row> rows = rows("m.csv", "zrl_member_member_id,email,"
        + "zrl_member_loyalty_tier_name\n"
        + "M-2,b@example.com,\"Silver\n"
        + "M-3,c@example.com,Bronze\"\n"
        + "M-4,d@example.com,Gold\n");

    assertThat(rows).extracting(MemberFile.Row::line).containsExactly(2, 4);
    assertThat(rows.get(0).attribute()).isEqualTo("zrl_member_loyalty_tier_name");
    assertThat(rows.get(0).problem()).contains("what reads as another row");
    assertThat(rows.get(1).values()).containsEntry("zrl_member_member_id", "M-4");
  }

  @Test
  void aHugeJsonNumberIsNeverWrittenOutDigitByDigit() throws Exception {
    List<MemberFile.Row> rows = rows("m.jsonl",
        "{\"zrl_member_member_id\": \"M-1\", \"zrl_member_available_points\": 1e999999999}\n");

    assertThat(rows.get(0).values()).containsEntry("zrl_member_available_points",
        "1E+999999999");
  }

  @Test
  void aStreamIsReadOnceWhateverItsFormat() throws Exception {
    String csv = "zrl_member_member_id,email\nM-1,a@example.com\nM-2,b@example.com\n";
    List<MemberFile.Row> rows = new ArrayList<>();
    try (MemberFile members = MemberFile.open(
        new java.io.ByteArrayInputStream(csv.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        true, "standard input")) {
      members.forEach(rows::add);
    }

    assertThat(rows).extracting(row -> row.values().get("zrl_member_member_id"))
        .containsExactly("M-1", "M-2");
  }
}
