package io.github.zendeskloyalty.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zendeskloyalty.client.MemberSource;
import io.github.zendeskloyalty.client.ReconcileOptions;
import io.github.zendeskloyalty.client.ReconcileReport;
import io.github.zendeskloyalty.client.ReconcileReport.DriftKind;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconcile on the fake with drift put in behind the SDK's back: each kind found and counted
 * exactly, only the drifted members written, a dry run writes nothing, a resumed run reads no
 * page twice.
 */
class ReconcileTest {

  private static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");
  private static final String POINTS = "zrl_member_available_points";
  private static final String TIER = "zrl_member_loyalty_tier_name";
  private static final String MEMBER_ID = "zrl_member_member_id";

  private static LoyaltyMember member(int n, Instant modified) {
    return LoyaltyMember.builder().memberId("M-" + n).email("member" + n + "@example.com")
        .availablePoints(new BigDecimal(n + ".50")).loyaltyTierName("Gold")
        .lastModifiedDate(modified).build();
  }

  /**
   * 50 members synced; then an agent sets member 1's points, clears member 2's tier, gives a
   * user the member id of a member the source no longer has and another member 3's id; member
   * 4's source row is a day older than what Zendesk holds; member 6's points are written as
   * 6.5 (the source's 6.50: equal by value); members 50 to 52 have no user.
   */
  private static List<LoyaltyMember> drifted(FakeZendesk fake, ZendeskLoyaltySync sync)
      throws Exception {
    List<LoyaltyMember> source = new ArrayList<>();
    for (int n = 0; n < 50; n++) {
      source.add(member(n, T0));
    }
    assertThat(sync.syncAll(source).get(60, TimeUnit.SECONDS).isSuccess()).isTrue();
    fake.editUserFields("member1@example.com", Map.of(POINTS, 5));
    Map<String, Object> cleared = new HashMap<>();
    cleared.put(TIER, null);
    fake.editUserFields("member2@example.com", cleared);
    fake.addUser("Gone", "gone@example.com", null, Map.of(MEMBER_ID, "M-999"));
    fake.addUser("Twin", "twin@example.com", null, Map.of(MEMBER_ID, "M-3"));
    fake.editUserFields("member4@example.com", Map.of(POINTS, 444,
        "zrl_member_last_modified_date", "2026-11-02"));
    fake.editUserFields("member6@example.com", Map.of(POINTS, new BigDecimal("6.5")));
    for (int n = 50; n < 53; n++) {
      source.add(member(n, T0));
    }
    return source;
  }

  @Test
  void eachKindOfDriftIsFoundAndCountedAndOnlyTheDriftedMembersAreWritten() throws Exception {
    ManualClock time = new ManualClock(T0);
    try (FakeZendesk fake = FakeZendesk.builder().clock(time).provisioned(FieldSchema.standard())
        .start(); ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
      List<LoyaltyMember> source = drifted(fake, sync);
      int writesBefore = fake.userWrites().size();

      ReconcileReport report = sync.reconcile(MemberSource.of(source),
          ReconcileOptions.defaults());

      assertThat(report.pagesRead()).isEqualTo(1);
      assertThat(report.usersRead()).isEqualTo(52);
      assertThat(report.loyaltyUsers()).isEqualTo(52);
      assertThat(report.fieldsDiffering()).isEqualTo(Map.of(POINTS, 1L, TIER, 1L));
      assertThat(report.membersDiffering()).isEqualTo(2);
      assertThat(report.noZendeskUser()).isEqualTo(3);
      assertThat(report.orphans()).isEqualTo(1);
      assertThat(report.duplicateMemberIds()).isEqualTo(1);
      assertThat(report.sourceOlder()).isEqualTo(1);
      assertThat(report.written()).isEqualTo(5);
      assertThat(report.writeFailed()).isZero();
      assertThat(report.samples()).anySatisfy(drift -> {
        assertThat(drift.kind()).isEqualTo(DriftKind.FIELD_DIFFERS);
        assertThat(drift.memberId()).isEqualTo("M-1");
        assertThat(drift.field()).isEqualTo(POINTS);
        assertThat(drift.zendeskValue()).isEqualTo("5");
        assertThat(drift.sourceValue()).isEqualTo("1.50");
      });
      assertThat(report.samples()).filteredOn(drift -> drift.kind() == DriftKind.ORPHAN)
          .singleElement().satisfies(drift -> assertThat(drift.memberId()).isEqualTo("M-999"));

      Set<String> written = fake.userWrites().subList(writesBefore, fake.userWrites().size())
          .stream().map(write -> fake.users().stream().filter(user -> user.id() == write.userId())
              .findFirst().orElseThrow().email()).collect(Collectors.toSet());
      assertThat(written).containsExactlyInAnyOrder("member1@example.com",
          "member2@example.com", "member50@example.com", "member51@example.com",
          "member52@example.com");
      assertThat(fake.user("member1@example.com").orElseThrow().userFields().get(POINTS))
          .hasToString("1.50");
      assertThat(fake.user("member4@example.com").orElseThrow().userFields().get(POINTS))
          .as("the source is behind Zendesk: not written").hasToString("444");
      assertThat(fake.user("gone@example.com").orElseThrow().userFields().get(MEMBER_ID))
          .as("an orphan is reported, never cleared").isEqualTo("M-999");

      ReconcileReport again = sync.reconcile(MemberSource.of(source),
          ReconcileOptions.defaults());
      assertThat(again.drifted()).as("repaired: only the source-older member still differs")
          .isZero();
      assertThat(again.sourceOlder()).isEqualTo(1);
    }
  }

  @Test
  void aDryRunWritesNothingAndSaysWhatItWouldWrite(@TempDir Path dir) throws Exception {
    ManualClock time = new ManualClock(T0);
    try (FakeZendesk fake = FakeZendesk.builder().clock(time).provisioned(FieldSchema.standard())
        .start(); ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
      List<LoyaltyMember> source = drifted(fake, sync);
      int writesBefore = fake.userWrites().size();
      int usersBefore = fake.users().size();

      ReconcileReport report = sync.reconcile(MemberSource.of(source),
          ReconcileOptions.builder().dryRun(true).build());

      assertThat(report.dryRun()).isTrue();
      assertThat(report.written()).as("would write").isEqualTo(5);
      assertThat(fake.userWrites()).hasSize(writesBefore);
      assertThat(fake.users()).hasSize(usersBefore);

      Path csv = dir.resolve("drift.csv");
      report.writeTo(csv);
      assertThat(Files.readAllLines(csv)).contains(
          "kind,member_id,user_id,field,zendesk_value,source_value,count",
          "FIELD_DIFFERS,,," + POINTS + ",,,1", "NO_ZENDESK_USER,,,,,,3", "ORPHAN,,,,,,1");
      Path json = dir.resolve("drift.json");
      report.writeTo(json);
      assertThat(Files.readString(json)).contains("\"noZendeskUser\" : 3");
    }
  }

  @Test
  void anInterruptedRunGoesOnFromItsCheckpointAndReadsNoPageTwice(@TempDir Path dir)
      throws Exception {
    ManualClock time = new ManualClock(T0);
    try (FakeZendesk fake = FakeZendesk.builder().clock(time).provisioned(FieldSchema.standard())
        .start(); ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
      List<LoyaltyMember> source = new ArrayList<>();
      for (int n = 0; n < 3_500; n++) {
        source.add(member(n, T0));
      }
      assertThat(sync.syncAll(source).get(120, TimeUnit.SECONDS).isSuccess()).isTrue();
      fake.editUserFields("member10@example.com", Map.of(POINTS, 1));
      fake.editUserFields("member3400@example.com", Map.of(POINTS, 1));
      int exportsBefore = fake.requests(FakeEndpoint.EXPORT_USERS).size();
      Path checkpoint = dir.resolve("reconcile.checkpoint");

      assertThatThrownBy(() -> sync.reconcile(MemberSource.of(source), ReconcileOptions.builder()
          .checkpoint(checkpoint).progress(report -> {
            if (report.pagesRead() == 2) {
              throw new IllegalStateException("the process was stopped");
            }
          }).build())).hasMessage("the process was stopped");
      assertThat(checkpoint).exists();
      int bulkCallsBefore = fake.requests(FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS).size();

      ReconcileReport resumed = sync.reconcile(MemberSource.of(source),
          ReconcileOptions.builder().checkpoint(checkpoint).build());

      assertThat(resumed.resumed()).isTrue();
      assertThat(resumed.pagesRead()).isEqualTo(4);
      assertThat(resumed.usersRead()).isEqualTo(3_500);
      assertThat(resumed.membersDiffering()).as("one before the stop, one after").isEqualTo(2);
      assertThat(resumed.noZendeskUser()).as("the ids seen before the stop were kept").isZero();
      List<RecordedRequest> exports = fake.requests(FakeEndpoint.EXPORT_USERS);
      List<String> pagesAsked = exports.subList(exportsBefore, exports.size()).stream()
          .map(request -> request.query().toString()).toList();
      assertThat(pagesAsked).hasSize(4).doesNotHaveDuplicates();
      assertThat(checkpoint).doesNotExist();
      assertThat(fake.user("member3400@example.com").orElseThrow().userFields().get(POINTS))
          .hasToString("3400.50");
      assertThat(fake.user("member10@example.com").orElseThrow().userFields().get(POINTS))
          .as("found before the stop, written after it: its id was in the checkpoint")
          .hasToString("10.50");
      assertThat(fake.requests(FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS))
          .as("the two drifted members in one bulk call").hasSize(bulkCallsBefore + 1);
    }
  }

  @Test
  void aSourceThatThrowsStopsTheRunAndNeverReadsAsGone() throws Exception {
    ManualClock time = new ManualClock(T0);
    try (FakeZendesk fake = FakeZendesk.builder().clock(time).provisioned(FieldSchema.standard())
        .start(); ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
      List<LoyaltyMember> source = drifted(fake, sync);
      MemberSource down = new MemberSource() {
        @Override
        public Map<String, LoyaltyMember> lookup(Set<String> memberIds) {
          throw new IllegalStateException("the loyalty database is down");
        }

        @Override
        public void forEach(java.util.function.Consumer<LoyaltyMember> action) {
          source.forEach(action);
        }
      };
      int writesBefore = fake.userWrites().size();

      assertThatThrownBy(() -> sync.reconcile(down, ReconcileOptions.defaults()))
          .hasMessage("the loyalty database is down");
      assertThat(fake.userWrites()).hasSize(writesBefore);
    }
  }

  /**
   * 1,500 users on two export pages; the source moved on for the first 300 (all on page one), so
   * the repair writes them before the last page and the export hands them back at its end: each
   * user still counts once, and the repair reports what the dry run reports.
   */
  @Test
  void aRepairWritingBeforeTheLastPageCountsEachUserOnceAsTheDryRunDoes() throws Exception {
    ManualClock time = new ManualClock(T0);
    try (FakeZendesk fake = FakeZendesk.builder().clock(time).provisioned(FieldSchema.standard())
        .start(); ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
      List<LoyaltyMember> synced = new ArrayList<>();
      List<LoyaltyMember> source = new ArrayList<>();
      for (int n = 0; n < 1_500; n++) {
        synced.add(member(n, T0));
        source.add(n < 300 ? member(n, T0.plusSeconds(60)).toBuilder()
            .availablePoints(new BigDecimal(n + 7)).build() : member(n, T0));
      }
      assertThat(sync.syncAll(synced).get(120, TimeUnit.SECONDS).isSuccess()).isTrue();
      time.advance(java.time.Duration.ofHours(1));

      ReconcileReport dryRun = sync.reconcile(MemberSource.of(source),
          ReconcileOptions.builder().dryRun(true).build());
      ReconcileReport repair = sync.reconcile(MemberSource.of(source),
          ReconcileOptions.defaults());

      for (ReconcileReport report : List.of(dryRun, repair)) {
        assertThat(report.usersRead()).as("users read").isEqualTo(1_500);
        assertThat(report.loyaltyUsers()).isEqualTo(1_500);
        assertThat(report.membersDiffering()).isEqualTo(300);
        assertThat(report.duplicateMemberIds()).isZero();
        assertThat(report.written()).isEqualTo(300);
      }
      assertThat(sync.reconcile(MemberSource.of(source), ReconcileOptions.defaults()).drifted())
          .isZero();
    }
  }

  /**
   * The Zendesk snapshot's full timestamp decides "source older" (an hour later on the same day
   * is newer); a source answering members it was not asked for, or another member under an
   * asked id, has those left out, never written.
   */
  @Test
  void sourceOlderComparesFullTimestampsAndOnlyAskedMembersAreUsed() throws Exception {
    ManualClock time = new ManualClock(T0);
    try (FakeZendesk fake = FakeZendesk.builder().clock(time).provisioned(FieldSchema.standard())
        .start(); ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
      List<LoyaltyMember> source = new ArrayList<>();
      for (int n = 0; n < 6; n++) {
        source.add(member(n, T0));
      }
      assertThat(sync.syncAll(source).get(60, TimeUnit.SECONDS).isSuccess()).isTrue();
      fake.editUserFields("member1@example.com", Map.of(POINTS, 111,
          "zrl_member_last_modified_date", T0.plusSeconds(3_600).toString()));
      fake.editUserFields("member2@example.com", Map.of(POINTS, 222,
          "zrl_member_last_modified_date", T0.minusSeconds(3_600).toString()));
      fake.editUserFields("member3@example.com", Map.of(POINTS, 333));
      fake.editUserFields("member4@example.com", Map.of(POINTS, 444));
      Map<String, LoyaltyMember> byId = new HashMap<>();
      source.forEach(member -> byId.put(member.memberId(), member));
      MemberSource liar = new MemberSource() {
        @Override
        public Map<String, LoyaltyMember> lookup(Set<String> ids) {
          Map<String, LoyaltyMember> answer = new HashMap<>();
          ids.forEach(id -> answer.put(id, byId.get(id)));
          if (ids.contains("M-4")) {
            answer.put("M-4", byId.get("M-5")); // another member under the asked id
          }
          answer.put("M-77", member(77, T0)); // never asked for
          return answer;
        }

        @Override
        public void forEach(java.util.function.Consumer<LoyaltyMember> each) {
          source.forEach(each);
        }
      };

      ReconcileReport report = sync.reconcile(liar, ReconcileOptions.defaults());

      assertThat(report.sourceOlder()).as("member 1: Zendesk an hour newer").isEqualTo(1);
      assertThat(report.membersDiffering()).as("members 2 and 3").isEqualTo(2);
      assertThat(report.sourceMismatches()).isEqualTo(1);
      assertThat(report.samples()).filteredOn(drift -> drift.kind() == DriftKind.SOURCE_MISMATCH)
          .singleElement().satisfies(drift -> {
            assertThat(drift.memberId()).isEqualTo("M-4");
            assertThat(drift.sourceValue()).isEqualTo("M-5");
          });
      assertThat(fake.user("member2@example.com").orElseThrow().userFields().get(POINTS))
          .hasToString("2.50");
      assertThat(fake.user("member1@example.com").orElseThrow().userFields().get(POINTS))
          .hasToString("111");
      assertThat(fake.user("member4@example.com").orElseThrow().userFields().get(POINTS))
          .as("never compared with member 5").hasToString("444");
      assertThat(fake.user("member77@example.com")).as("never asked for: not written").isEmpty();
    }
  }

  /**
   * A deleted user (inactive, still in the export) is its own kind: neither written nor created
   * again; a suspended user is still a user, and repaired like any.
   */
  @Test
  void aDeletedUserIsReportedAndNeverWrittenAndASuspendedOneIsRepaired() throws Exception {
    ManualClock time = new ManualClock(T0);
    try (FakeZendesk fake = FakeZendesk.builder().clock(time).provisioned(FieldSchema.standard())
        .start(); ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
      List<LoyaltyMember> source = new ArrayList<>();
      for (int n = 0; n < 4; n++) {
        source.add(member(n, T0));
      }
      assertThat(sync.syncAll(source).get(60, TimeUnit.SECONDS).isSuccess()).isTrue();
      fake.deleteUser("member1@example.com");
      fake.suspendUser("member2@example.com");
      fake.editUserFields("member1@example.com", Map.of(POINTS, 111));
      fake.editUserFields("member2@example.com", Map.of(POINTS, 222));
      int usersBefore = fake.users().size();

      ReconcileReport report = sync.reconcile(MemberSource.of(source),
          ReconcileOptions.defaults());

      assertThat(report.inactiveUsers()).isEqualTo(1);
      assertThat(report.samples()).filteredOn(drift -> drift.kind() == DriftKind.INACTIVE_USER)
          .singleElement().satisfies(drift -> assertThat(drift.memberId()).isEqualTo("M-1"));
      assertThat(report.membersDiffering()).as("the suspended member 2").isEqualTo(1);
      assertThat(report.noZendeskUser()).as("member 1 not created again").isZero();
      assertThat(report.written()).isEqualTo(1);
      assertThat(fake.users()).hasSize(usersBefore);
      assertThat(fake.user("member1@example.com").orElseThrow().userFields().get(POINTS))
          .hasToString("111");
      assertThat(fake.user("member2@example.com").orElseThrow().userFields().get(POINTS))
          .hasToString("2.50");
      assertThat(sync.reconcile(MemberSource.of(source), ReconcileOptions.defaults()).drifted())
          .isZero();
    }
  }

  /**
   * Under e-mail identity a member the source moved to another e-mail is its own kind: not
   * written (Zendesk would make a second profile of the new e-mail), and a second reconcile
   * finds no drift.
   */
  @Test
  void aMemberWhoseEmailChangedIsReportedNotWrittenAsASecondProfile() throws Exception {
    ManualClock time = new ManualClock(T0);
    try (FakeZendesk fake = FakeZendesk.builder().clock(time).provisioned(FieldSchema.standard())
        .start(); ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
      List<LoyaltyMember> synced = List.of(member(1, T0), member(2, T0));
      assertThat(sync.syncAll(synced).get(60, TimeUnit.SECONDS).isSuccess()).isTrue();
      List<LoyaltyMember> source = List.of(member(1, T0.plusSeconds(60)).toBuilder()
          .email("new-address@example.com").availablePoints(new BigDecimal("99")).build(),
          member(2, T0));

      ReconcileReport report = sync.reconcile(MemberSource.of(source),
          ReconcileOptions.defaults());
      ReconcileReport again = sync.reconcile(MemberSource.of(source),
          ReconcileOptions.defaults());

      assertThat(report.emailsChanged()).isEqualTo(1);
      assertThat(report.samples()).filteredOn(drift -> drift.kind() == DriftKind.EMAIL_CHANGED)
          .singleElement().satisfies(drift -> {
            assertThat(drift.zendeskValue()).isEqualTo("member1@example.com");
            assertThat(drift.sourceValue()).isEqualTo("new-address@example.com");
          });
      assertThat(report.written()).isZero();
      assertThat(fake.users()).as("no second profile").hasSize(2);
      assertThat(fake.user("new-address@example.com")).isEmpty();
      assertThat(again.drifted()).isZero();
      assertThat(again.duplicateMemberIds()).isZero();
    }
  }

  /**
   * 2,500 users on three pages, 600 of them drifted and spread over all pages: written in six
   * full bulk calls, and the repair's report equals the dry run's.
   */
  @Test
  void sixHundredDriftedMembersOverEveryPageAreWrittenInSixFullBulkCalls() throws Exception {
    ManualClock time = new ManualClock(T0);
    try (FakeZendesk fake = FakeZendesk.builder().clock(time).provisioned(FieldSchema.standard())
        .start(); ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
      List<LoyaltyMember> synced = new ArrayList<>();
      List<LoyaltyMember> source = new ArrayList<>();
      for (int n = 0; n < 2_500; n++) {
        synced.add(member(n, T0));
        source.add(n % 25 < 6 ? member(n, T0.plusSeconds(60)).toBuilder()
            .availablePoints(new BigDecimal(n + 9)).build() : member(n, T0));
      }
      assertThat(sync.syncAll(synced).get(120, TimeUnit.SECONDS).isSuccess()).isTrue();
      time.advance(java.time.Duration.ofHours(1));

      ReconcileReport dryRun = sync.reconcile(MemberSource.of(source),
          ReconcileOptions.builder().dryRun(true).build());
      int bulkCalls = fake.requests(FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS).size();
      ReconcileReport repair = sync.reconcile(MemberSource.of(source),
          ReconcileOptions.defaults());

      assertThat(fake.requests(FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS).size() - bulkCalls)
          .as("full bulk calls of 100").isEqualTo(6);
      assertThat(repair.membersDiffering()).isEqualTo(600).isEqualTo(dryRun.membersDiffering());
      assertThat(repair.usersRead()).isEqualTo(2_500).isEqualTo(dryRun.usersRead());
      assertThat(repair.loyaltyUsers()).isEqualTo(dryRun.loyaltyUsers());
      assertThat(repair.duplicateMemberIds()).isZero();
      assertThat(repair.fieldsDiffering()).isEqualTo(dryRun.fieldsDiffering());
      assertThat(repair.written()).isEqualTo(600).isEqualTo(dryRun.written());
      assertThat(sync.reconcile(MemberSource.of(source), ReconcileOptions.defaults()).drifted())
          .isZero();
    }
  }

  /**
   * With bulk import off each member is written alone; the repair takes each drifted member's
   * user id from the export it just read, and searches for none.
   */
  @Test
  void withBulkImportOffTheRepairUsesTheExportsUserIdsAndSearchesNone() throws Exception {
    ManualClock time = new ManualClock(T0);
    try (FakeZendesk fake = FakeZendesk.builder().clock(time).provisioned(FieldSchema.standard())
        .bulkImport(false).start()) {
      List<LoyaltyMember> synced = new ArrayList<>();
      List<LoyaltyMember> source = new ArrayList<>();
      for (int n = 0; n < 12; n++) {
        synced.add(member(n, T0));
        source.add(n < 5 ? member(n, T0.plusSeconds(60)).toBuilder()
            .availablePoints(new BigDecimal(n + 3)).build() : member(n, T0));
      }
      try (ZendeskLoyaltySync first = fake.syncBuilder().build()) {
        assertThat(first.syncAll(synced).get(120, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
      int searches = fake.requests(FakeEndpoint.SEARCH_USERS).size();

      try (ZendeskLoyaltySync fresh = fake.syncBuilder().build()) { // a nightly job: no cache
        ReconcileReport report = fresh.reconcile(MemberSource.of(source),
            ReconcileOptions.defaults());

        assertThat(report.written()).isEqualTo(5);
      }
      assertThat(fake.requests(FakeEndpoint.SEARCH_USERS)).as("no member searched")
          .hasSize(searches);
      assertThat(fake.user("member3@example.com").orElseThrow().userFields().get(POINTS))
          .hasToString("6");
    }
  }

  /** A checkpoint this SDK did not write is refused, by a type of its own, and kept. */
  @Test
  void aCheckpointNotOursIsRefusedAsSuchAndKept(@TempDir Path dir) throws Exception {
    try (FakeZendesk fake = FakeZendesk.builder().provisioned(FieldSchema.standard()).start();
         ZendeskLoyaltySync sync = fake.syncBuilder().build()) {
      Path checkpoint = dir.resolve("reconcile.checkpoint");
      Files.writeString(checkpoint, "{\"version\": 7}");

      assertThatThrownBy(() -> sync.reconcile(MemberSource.of(List.of(member(1, T0))),
          ReconcileOptions.builder().checkpoint(checkpoint).build()))
          .isInstanceOf(io.github.zendeskloyalty.client.ReconcileCheckpointException.class)
          .hasMessageContaining("is not one this SDK wrote")
          .satisfies(refused -> assertThat(((io.github.zendeskloyalty.client
              .ReconcileCheckpointException) refused).checkpoint()).isEqualTo(checkpoint));
      assertThat(checkpoint).hasContent("{\"version\": 7}");
      assertThat(fake.requests(FakeEndpoint.EXPORT_USERS)).as("nothing read").isEmpty();
    }
  }
}
