package io.github.zendeskloyalty.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.MemberStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** Members for backfill tests, and the export files a loyalty backend would write of them. */
final class MemberRows {

  static final String CSV_HEADER = "zrl_member_member_id,email,first_name,last_name,"
      + "zrl_member_available_points,zrl_member_loyalty_tier_name,zrl_member_member_status,"
      + "zrl_member_last_modified_date,zrl_member_enrollment_date";

  private MemberRows() {}

  /** Member {@code i}: M-i, member-i@example.com, a name with a comma and a quote. */
  static LoyaltyMember member(int i) {
    return LoyaltyMember.builder().memberId("M-" + i).email("member-" + i + "@example.com")
        .firstName("Ada " + i).lastName("O'Hara, \"Jr\"")
        .availablePoints(new BigDecimal(i * 10 + ".5")).loyaltyTierName(i % 2 == 0 ? "Gold" : "Silver")
        .status(MemberStatus.ACTIVE)
        .lastModifiedDate(Instant.parse("2026-11-01T00:00:00Z").plusSeconds(i))
        .enrollmentDate(Instant.parse("2024-01-15T00:00:00Z"))
        .build();
  }

  static List<LoyaltyMember> members(int count) {
    return IntStream.rangeClosed(1, count).mapToObj(MemberRows::member).toList();
  }

  /** One CSV line of a member, quoted as RFC 4180 says. */
  static String csvLine(LoyaltyMember member) {
    return String.join(",", List.of(member.memberId(), member.email(), quote(member.firstName()),
        quote(member.lastName()), member.availablePoints().toPlainString(),
        member.loyaltyTierName(), member.status().wireText(),
        member.lastModifiedDate().toString(), "2024-01-15"));
  }

  static Path csv(Path file, List<String> lines) {
    List<String> all = new ArrayList<>();
    all.add(CSV_HEADER);
    all.addAll(lines);
    try {
      return Files.write(file, all);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path csvOf(Path file, List<LoyaltyMember> members) {
    return csv(file, members.stream().map(MemberRows::csvLine).toList());
  }

  static String jsonLine(LoyaltyMember member) {
    ObjectNode node = JsonMapper.builder().build().createObjectNode()
        .put("zrl_member_member_id", member.memberId()).put("email", member.email())
        .put("first_name", member.firstName()).put("last_name", member.lastName())
        .put("zrl_member_available_points", member.availablePoints())
        .put("zrl_member_loyalty_tier_name", member.loyaltyTierName())
        .put("zrl_member_member_status", member.status().wireText())
        .put("zrl_member_last_modified_date", member.lastModifiedDate().toString())
        .put("zrl_member_enrollment_date", "2024-01-15T00:00:00Z");
    return node.toString();
  }

  static Path jsonLinesOf(Path file, List<LoyaltyMember> members) {
    try {
      return Files.write(file, members.stream().map(MemberRows::jsonLine).toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String quote(String text) {
    return "\"" + text.replace("\"", "\"\"") + "\"";
  }
}
