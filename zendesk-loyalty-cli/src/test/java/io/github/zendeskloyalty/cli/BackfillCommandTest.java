package io.github.zendeskloyalty.cli;

import static io.github.zendeskloyalty.testkit.ZendeskAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.testkit.FakeEndpoint;
import io.github.zendeskloyalty.testkit.FakeFault;
import io.github.zendeskloyalty.testkit.FakeUser;
import io.github.zendeskloyalty.testkit.FakeUserWrite;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import io.github.zendeskloyalty.testkit.FakeZendeskExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class BackfillCommandTest {

  @RegisterExtension
  static FakeZendeskExtension zendesk = new FakeZendeskExtension();

  @TempDir
  Path dir;

  @BeforeEach
  void fields(FakeZendesk fake) {
    fake.provision(FieldSchema.standard());
  }

  @Test
  void aCsvExportLandsOnZendeskInBulkCallsAndExitsZero(FakeZendesk fake) throws Exception {
    List<LoyaltyMember> members = MemberRows.members(250);
    Path file = MemberRows.csvOf(dir.resolve("members.csv"), members);

    Cli.Result result = Cli.admin(fake).run("backfill", file.toString());

    assertThat(result.exit()).as(result.all()).isZero();
    assertThat(result.out()).contains("250 rows read", "250 created", "0 failed, 0 rejected",
        "Every member is on Zendesk.");
    for (LoyaltyMember member : members) {
      assertThat(fake).user(member.email()).hasFieldsOf(member);
    }
    assertThat(fake.requests(FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS)).hasSize(3);
    assertThat(Files.readAllLines(dir.resolve("members.csv.checkpoint"))).hasSize(250);
    assertThat(dir.resolve("members.csv.rejects")).doesNotExist();
  }

  @Test
  void aFileThatIsNotUtf8IsUnreadableAndNothingIsSent(FakeZendesk fake) throws Exception {
    Path latin1 = dir.resolve("latin1.csv");
    Files.write(latin1, ("zrl_member_member_id,email,zrl_member_first_name\n"
        + "M-1,one@example.com,Ann\n"
        + "M-2,two@example.com,Ren\u00e9e\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    Path header = dir.resolve("header.jsonl");
    Files.write(header, "{\"zrl_member_member_id\":\"M-3\",\"zrl_member_first_name\":\"Andr\u00e9\"}\n"
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

    Cli.Result csv = Cli.admin(fake).run("backfill", latin1.toString());
    Cli.Result jsonLines = Cli.admin(fake).run("backfill", header.toString());

    assertThat(csv.exit()).as(csv.all()).isEqualTo(2);
    assertThat(csv.err()).contains("latin1.csv is not UTF-8 text (line 3)", "save it as UTF-8");
    assertThat(jsonLines.exit()).as(jsonLines.all()).isEqualTo(2);
    assertThat(jsonLines.err()).contains("header.jsonl is not UTF-8 text (line 1)");
    assertThat(fake.userWrites()).as("nothing sent").isEmpty();
    assertThat(fake.users()).isEmpty();
  }

  @Test
  void aJsonLinesExportWithAByteOrderMarkReadsTheSame(FakeZendesk fake) throws Exception {
    List<LoyaltyMember> members = MemberRows.members(20);
    Path file = MemberRows.jsonLinesOf(dir.resolve("members.jsonl"), members);
    Files.writeString(file, "\uFEFF" + Files.readString(file));

    Cli.Result result = Cli.admin(fake).run("backfill", file.toString(), "--json");

    assertThat(result.exit()).as(result.all()).isZero();
    JsonNode summary = JsonMapper.builder().build().readTree(result.out());
    assertThat(summary.path("created").asInt()).isEqualTo(20);
    assertThat(summary.path("failed").asInt()).isZero();
    assertThat(summary.path("calls").asInt()).isPositive();
    for (LoyaltyMember member : members) {
      assertThat(fake).user(member.email()).hasFieldsOf(member);
    }
  }

  @Test
  void badRowsGoToTheRejectsFileWithLineAndAttributeAndTheRestIsSynced(FakeZendesk fake)
      throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add(MemberRows.csvLine(MemberRows.member(1)));                       // line 2
    lines.add("M-2,member-2@example.com,A,B,lots,Gold,active,2026-11-01T00:00:00Z,2024-01-15");
    lines.add("M-3,member-3@example.com,A,B,5,Gold,active,last tuesday,2024-01-15");
    lines.add(",member-4@example.com,A,B,5,Gold,active,2026-11-01T00:00:00Z,2024-01-15");
    lines.add("M-5,member-5@example.com,A,B,5,Gold");                         // line 6
    lines.add("M-6,member-6@example.com,A,B,5,Gold,retired,2026-11-01T00:00:00Z,2024-01-15");
    lines.add(MemberRows.csvLine(MemberRows.member(7)));                       // line 8
    Path file = MemberRows.csv(dir.resolve("members.csv"), lines);

    Cli.Result result = Cli.admin(fake).run("backfill", file.toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out()).contains("2 created", "0 failed, 5 rejected");
    assertThat(Files.readAllLines(dir.resolve("members.csv.rejects"))).containsExactly(
        "line 3, zrl_member_available_points: 'lots' is not a number",
        "line 4, zrl_member_last_modified_date: 'last tuesday' is not a date (2026-11-24 or"
            + " 2026-11-24T10:15:30Z)",
        "line 5, zrl_member_member_id: is required",
        "line 6: 6 values for 9 columns",
        "line 7, zrl_member_member_status: 'retired' is not a member status (active, blocked,"
            + " deleted, opted_out)");
    assertThat(fake).user("member-1@example.com").hasFieldsOf(MemberRows.member(1));
    assertThat(fake).user("member-7@example.com").hasFieldsOf(MemberRows.member(7));
    assertThat(fake).hasNoUser("member-2@example.com");
  }

  @Test
  void aRestartAfterAFailureSendsOnlyWhatIsLeftAndLosesNothing(FakeZendesk fake)
      throws Exception {
    List<LoyaltyMember> members = MemberRows.members(250);
    Path file = MemberRows.csvOf(dir.resolve("members.csv"), members);
    // one batch refused mid-run, as when an API token is deactivated under a running backfill
    fake.failNext(1, FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS, FakeFault.status(401));

    Cli.Result first = Cli.apiTokenAdmin(fake).run("backfill", file.toString());

    assertThat(first.exit()).isEqualTo(1);
    assertThat(first.out()).contains("150 created", "100 failed",
        "Run the same command again to retry the failed members");
    Set<String> confirmedFirst = checkpointed(dir.resolve("members.csv.checkpoint"));
    assertThat(confirmedFirst).hasSize(150);
    int writesBefore = fake.userWrites().size();

    Cli.Result second = Cli.admin(fake).run("backfill", file.toString());

    assertThat(second.exit()).as(second.all()).isZero();
    assertThat(second.out()).contains("250 rows read, 150 already confirmed", "100 created");
    Map<Long, String> memberOfUser = fake.users().stream()
        .collect(Collectors.toMap(FakeUser::id, user -> user.userFields()
            .get("zrl_member_member_id").toString()));
    List<String> sentAgain = fake.userWrites().subList(writesBefore, fake.userWrites().size())
        .stream().map(FakeUserWrite::userId).map(memberOfUser::get).toList();
    assertThat(sentAgain).hasSize(100).doesNotContainAnyElementsOf(confirmedFirst);
    for (LoyaltyMember member : members) {
      assertThat(fake).user(member.email()).hasFieldsOf(member);
    }
    assertThat(checkpointed(dir.resolve("members.csv.checkpoint"))).hasSize(250);
  }

  @Test
  void aNewerRowOfAMemberIsSentEvenWhenAnOlderOneWasConfirmed(FakeZendesk fake) {
    LoyaltyMember older = MemberRows.member(1);
    LoyaltyMember newer = older.toBuilder().availablePoints(new java.math.BigDecimal("999"))
        .lastModifiedDate(older.lastModifiedDate().plusSeconds(60)).build();
    Path file = MemberRows.csvOf(dir.resolve("members.csv"), List.of(older));
    assertThat(Cli.admin(fake).run("backfill", file.toString()).exit()).isZero();

    MemberRows.csvOf(file, List.of(older, newer));
    Cli.Result again = Cli.admin(fake).run("backfill", file.toString());

    assertThat(again.exit()).isZero();
    assertThat(again.out()).contains("2 rows read, 1 already confirmed", "1 updated");
    assertThat(fake).user(older.email()).hasFieldsOf(newer);
  }

  @Test
  void anAccessTokenRefusedMidRunIsRenewedAndLosesNothing(FakeZendesk fake) {
    Path file = MemberRows.csvOf(dir.resolve("members.csv"), MemberRows.members(250));
    fake.failNext(1, FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS, FakeFault.status(401));

    Cli.Result result = Cli.admin(fake).run("backfill", file.toString());

    assertThat(result.exit()).as(result.all()).isZero();
    assertThat(result.out()).contains("250 created");
    assertThat(fake).hasUserCount(250);
    assertThat(fake.oauthTokensIssued("CLIENT_CREDENTIALS")).as("one renewal after the 401")
        .isEqualTo(2);
  }

  @Test
  void refusedCredentialsExitThreeAndSendNothing(FakeZendesk fake) {
    Path file = MemberRows.csvOf(dir.resolve("members.csv"), MemberRows.members(5));

    Cli.Result result = Cli.admin(fake).env("ZENDESK_CLIENT_SECRET", "reset-in-admin-center")
        .run("backfill", file.toString());

    assertThat(result.exit()).isEqualTo(3);
    assertThat(fake.users()).isEmpty();
    assertThat(fake.requests(FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS)).isEmpty();
  }

  @Test
  void anAgentsTokenIsEnoughForABackfill(FakeZendesk fake) {
    Path file = MemberRows.csvOf(dir.resolve("members.csv"), MemberRows.members(5));

    Cli.Result result = Cli.agent(fake).run("backfill", file.toString());

    assertThat(result.exit()).as(result.all()).isZero();
    assertThat(fake).hasUserCount(5);
  }

  @Test
  void missingFieldsStopTheBackfillBeforeAnythingIsSent(FakeZendesk fake) {
    fake.reset();
    Path file = MemberRows.csvOf(dir.resolve("members.csv"), MemberRows.members(5));

    Cli.Result result = Cli.admin(fake).run("backfill", file.toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("21 user fields are missing", "fields ensure");
    assertThat(fake.users()).isEmpty();
  }

  @Test
  void withBulkImportOffEveryMemberStillLands(FakeZendesk fake) {
    fake.bulkImport(false);
    List<LoyaltyMember> members = MemberRows.members(3);
    Path file = MemberRows.csvOf(dir.resolve("members.csv"), members);

    Cli.Result result = Cli.admin(fake).run("backfill", file.toString());

    assertThat(result.exit()).as(result.all()).isZero();
    assertThat(result.out()).contains("3 created");
    for (LoyaltyMember member : members) {
      assertThat(fake).user(member.email()).hasFieldsOf(member);
    }
  }

  @Test
  void aMissingFileOrUnknownColumnIsAUsageError(FakeZendesk fake) throws Exception {
    Path unknownColumn = dir.resolve("odd.csv");
    Files.writeString(unknownColumn, "zrl_member_member_id,points\nM-1,5\n");

    Cli.Result missing = Cli.admin(fake).run("backfill", dir.resolve("nope.csv").toString());
    Cli.Result odd = Cli.admin(fake).run("backfill", unknownColumn.toString());

    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.csv");
    assertThat(odd.exit()).isEqualTo(2);
    assertThat(odd.err()).contains("column 'points' is not an attribute");
  }

  @Test
  void withFakeEveryRunStartsFromAnEmptyZendeskAndLeavesNoCheckpoint() {
    Path file = MemberRows.csvOf(dir.resolve("members.csv"), MemberRows.members(3));

    Cli.Result first = Cli.bare().run("backfill", file.toString(), "--fake");
    Cli.Result second = Cli.bare().run("backfill", file.toString(), "--fake");

    assertThat(first.exit()).as(first.all()).isZero();
    assertThat(second.out()).contains("3 rows read, 0 already confirmed", "3 created");
    assertThat(dir.resolve("members.csv.checkpoint")).doesNotExist();
  }

  @Test
  void standardInputIsReadOnceAndEveryMemberIsSent(FakeZendesk fake) throws Exception {
    List<LoyaltyMember> members = MemberRows.members(5);
    String jsonLines = String.join("\n", members.stream().map(MemberRows::jsonLine).toList());

    Cli.Result result = Cli.admin(fake).stdin(jsonLines).run("backfill", "-", "--rejects",
        dir.resolve("stdin.rejects").toString());

    assertThat(result.exit()).as(result.all()).isZero();
    assertThat(result.out()).contains("5 rows read", "5 created", "Every member is on Zendesk.");
    for (LoyaltyMember member : members) {
      assertThat(fake).user(member.email()).hasFieldsOf(member);
    }
  }

  @Test
  void aPipeGivenAsAPathIsReadOnce(FakeZendesk fake) throws Exception {
    Path pipe = dir.resolve("members.csv");
    assertThat(new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor()).isZero();
    List<LoyaltyMember> members = MemberRows.members(5);
    Path source = MemberRows.csvOf(dir.resolve("source.csv"), members);
    Thread writer = new Thread(() -> {
      try {
        Files.write(pipe, Files.readAllBytes(source)); // blocks until the command opens it
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    writer.start();

    Cli.Result result = Cli.admin(fake).run("backfill", pipe.toString(), "--rejects",
        dir.resolve("r").toString());
    writer.join(10_000);

    assertThat(result.exit()).as(result.all()).isZero();
    assertThat(result.out()).contains("5 rows read", "5 created");
    for (LoyaltyMember member : members) {
      assertThat(fake).user(member.email()).hasFieldsOf(member);
    }
  }

  @Test
  void aNumberNoFieldHoldsIsRejectedWithItsLineAndTheRestGoes(FakeZendesk fake)
      throws Exception {
    Path file = dir.resolve("members.jsonl");
    Files.writeString(file, MemberRows.jsonLine(MemberRows.member(1)) + "\n"
        + "{\"zrl_member_member_id\": \"M-2\", \"email\": \"m2@example.com\","
        + " \"zrl_member_available_points\": 1e999999999}\n"
        + MemberRows.jsonLine(MemberRows.member(3)) + "\n");

    Cli.Result result = Cli.admin(fake).run("backfill", file.toString());

    assertThat(result.exit()).as(result.all()).isEqualTo(1);
    assertThat(result.out()).contains("2 created", "1 rejected");
    assertThat(Files.readAllLines(dir.resolve("members.jsonl.rejects"))).singleElement()
        .asString().startsWith("line 2: availablePoints must have at most 30 digits");
    assertThat(fake).user("member-3@example.com").hasFieldsOf(MemberRows.member(3));
    assertThat(fake).hasNoUser("m2@example.com");
  }

  @Test
  void aQuoteLeftOpenPutsNoOtherCustomersDataIntoAProfileAndSaysSo(FakeZendesk fake)
      throws Exception {
    Path file = dir.resolve("members.csv");
    Files.writeString(file, "zrl_member_member_id,email,zrl_member_loyalty_tier_name\n"
        + "M-1,ada@example.com,Gold\n"
        + "M-2,grace@example.com,\"Silver\n"
        + "M-4,alan@example.com,Bronze\n"
        + "M-5,joan@example.com,Gold\n"
        + "M-6,kay@example.com,Gold\n");

    Cli.Result result = Cli.admin(fake).run("backfill", file.toString());

    assertThat(result.exit()).as(result.all()).isEqualTo(1);
    assertThat(result.out()).doesNotContain("Every member is on Zendesk").contains("1 rejected");
    assertThat(Files.readString(dir.resolve("members.csv.rejects")))
        .startsWith("line 3: a quote opened on this line is never closed");
    assertThat(fake).hasNoUser("grace@example.com");
    assertThat(fake.users()).singleElement().satisfies(user -> assertThat(user.email())
        .isEqualTo("ada@example.com"));
  }

  @Test
  void aReExportAtTheSamePathWithNewBalancesIsSentAgain(FakeZendesk fake) throws Exception {
    Path file = dir.resolve("members.csv");
    Files.writeString(file, "zrl_member_member_id,email,zrl_member_available_points\n"
        + "M-1,ada@example.com,100\nM-2,grace@example.com,200\n");
    assertThat(Cli.admin(fake).run("backfill", file.toString()).exit()).isZero();

    Files.writeString(file, "zrl_member_member_id,email,zrl_member_available_points\n"
        + "M-1,ada@example.com,150\nM-2,grace@example.com,200\n");
    Cli.Result nextDay = Cli.admin(fake).run("backfill", file.toString());

    assertThat(nextDay.exit()).as(nextDay.all()).isZero();
    assertThat(nextDay.out()).contains("2 rows read, 1 already confirmed", "1 updated");
    assertThat(fake).user("ada@example.com").hasField("zrl_member_available_points", 150);
  }

  @Test
  void aCheckpointThatIsNotARegularFileIsRefusedBeforeAnythingIsSent(FakeZendesk fake)
      throws Exception {
    Path file = MemberRows.csvOf(dir.resolve("members.csv"), MemberRows.members(3));

    Cli.Result result = Cli.admin(fake).run("backfill", file.toString(), "--checkpoint",
        "/dev/full");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("checkpoint /dev/full is not a regular file");
    assertThat(fake.users()).isEmpty();
  }

  private static Set<String> checkpointed(Path checkpoint) throws Exception {
    return Files.readAllLines(checkpoint).stream().map(line -> line.split("\t")[0])
        .collect(Collectors.toSet());
  }
}
