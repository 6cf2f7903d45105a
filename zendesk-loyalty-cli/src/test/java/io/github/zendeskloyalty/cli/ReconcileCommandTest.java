package io.github.zendeskloyalty.cli;

import static io.github.zendeskloyalty.testkit.ZendeskAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.testkit.FakeEndpoint;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import io.github.zendeskloyalty.testkit.FakeZendeskExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ReconcileCommandTest {

  @RegisterExtension
  static FakeZendeskExtension zendesk = new FakeZendeskExtension();

  @TempDir
  Path dir;

  @BeforeEach
  void fields(FakeZendesk fake) {
    fake.provision(FieldSchema.standard());
  }

  /** 30 members backfilled; then an agent edits member 3's points and member 31 joins. */
  private Path drifted(FakeZendesk fake) throws Exception {
    List<LoyaltyMember> members = MemberRows.members(31);
    Path file = MemberRows.csvOf(dir.resolve("members.csv"), members.subList(0, 30));
    assertThat(Cli.admin(fake).run("backfill", file.toString()).exit()).isZero();
    fake.editUserFields(members.get(2).email(), Map.of("zrl_member_available_points", 7));
    return MemberRows.csvOf(dir.resolve("members.csv"), members);
  }

  @Test
  void aDryRunReportsTheDriftWritesNothingAndExitsOne(FakeZendesk fake) throws Exception {
    Path file = drifted(fake);
    int writes = fake.userWrites().size();

    Cli.Result result = Cli.admin(fake).run("reconcile", file.toString(), "--dry-run",
        "--report", dir.resolve("drift.csv").toString());

    assertThat(result.exit()).as(result.all()).isEqualTo(1);
    assertThat(result.out()).contains("Read 30 users in 1 pages; 30 carry a member id.",
        "1 members differ (zrl_member_available_points 1), 1 have no user.",
        "2 would be written (dry run: nothing was).");
    assertThat(fake.userWrites()).hasSize(writes);
    assertThat(Files.readAllLines(dir.resolve("drift.csv"))).contains(
        "FIELD_DIFFERS,,,zrl_member_available_points,,,1", "NO_ZENDESK_USER,,,,,,1");
    assertThat(dir.resolve("members.csv.reconcile")).as("the run ended: no checkpoint left")
        .doesNotExist();
  }

  @Test
  void aRunWritesTheDriftedMembersAndASecondFindsNone(FakeZendesk fake) throws Exception {
    Path file = drifted(fake);

    Cli.Result first = Cli.admin(fake).run("reconcile", file.toString(), "--json");
    Cli.Result second = Cli.admin(fake).run("reconcile", file.toString());

    assertThat(first.exit()).as(first.all()).isZero();
    assertThat(first.out()).contains("\"written\" : 2");
    assertThat(fake).user(MemberRows.member(3).email()).hasFieldsOf(MemberRows.member(3));
    assertThat(fake.user(MemberRows.member(31).email())).isPresent();
    assertThat(second.exit()).as(second.all()).isZero();
    assertThat(second.out()).contains("0 members differ, 0 have no user.", "0 written.");
    assertThat(fake.requests(FakeEndpoint.EXPORT_USERS)).hasSize(2);
  }

  @Test
  void anUnreadableFileIsAUsageError(FakeZendesk fake) {
    Cli.Result result = Cli.admin(fake).run("reconcile", dir.resolve("absent.csv").toString());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("cannot read");
  }

  @Test
  void aReportOrCheckpointThatCannotBeWrittenIsRefusedBeforeAnythingIsRead(FakeZendesk fake)
      throws Exception {
    Path file = drifted(fake);
    int exports = fake.requests(FakeEndpoint.EXPORT_USERS).size();
    int writes = fake.userWrites().size();

    Cli.Result noDirectory = Cli.admin(fake).run("reconcile", file.toString(), "--report",
        dir.resolve("missing/drift.csv").toString());
    Cli.Result aDirectory = Cli.admin(fake).run("reconcile", file.toString(), "--checkpoint",
        dir.toString());

    assertThat(noDirectory.exit()).as(noDirectory.all()).isEqualTo(2);
    assertThat(noDirectory.err()).contains("--report", "there is no directory");
    assertThat(aDirectory.exit()).as(aDirectory.all()).isEqualTo(2);
    assertThat(aDirectory.err()).contains("--checkpoint", "is a directory");
    assertThat(fake.requests(FakeEndpoint.EXPORT_USERS)).hasSize(exports);
    assertThat(fake.userWrites()).hasSize(writes);
  }

  @Test
  void aCheckpointThisToolDidNotWriteExitsTwoAndIsKept(FakeZendesk fake) throws Exception {
    Path file = drifted(fake);
    Path checkpoint = dir.resolve("members.csv.reconcile");
    Files.writeString(checkpoint, "{\"not\": \"a checkpoint\"}");

    Cli.Result result = Cli.admin(fake).run("reconcile", file.toString(), "--checkpoint",
        checkpoint.toString());

    assertThat(result.exit()).as(result.all()).isEqualTo(2);
    assertThat(result.err()).contains("is not one this SDK wrote");
    assertThat(checkpoint).hasContent("{\"not\": \"a checkpoint\"}");
  }

  @Test
  void refusedCredentialsExitThreeBeforeTheExportIsRead(FakeZendesk fake) throws Exception {
    Path file = drifted(fake);
    int exports = fake.requests(FakeEndpoint.EXPORT_USERS).size();

    Cli.Result result = Cli.bare().env("ZENDESK_CLIENT_ID", FakeZendesk.OAUTH_CLIENT_ID)
        .env("ZENDESK_CLIENT_SECRET", "not-the-secret").account(fake)
        .run("reconcile", file.toString());

    assertThat(result.exit()).as(result.all()).isEqualTo(3);
    assertThat(fake.requests(FakeEndpoint.EXPORT_USERS)).hasSize(exports);
  }

  @Test
  void samplesListAsManyMembersOfEachKindAsAsked(FakeZendesk fake) throws Exception {
    List<LoyaltyMember> members = MemberRows.members(40);
    Path file = MemberRows.csvOf(dir.resolve("members.csv"), members);

    Cli.Result result = Cli.admin(fake).run("reconcile", file.toString(), "--dry-run",
        "--samples", "40", "--report", dir.resolve("drift.csv").toString());

    assertThat(result.exit()).as(result.all()).isEqualTo(1);
    assertThat(Files.readAllLines(dir.resolve("drift.csv")))
        .filteredOn(line -> line.startsWith("NO_ZENDESK_USER,M")).hasSize(40);
  }
}
