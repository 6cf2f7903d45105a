package io.github.zendeskloyalty.benchmarks.harness;

import io.github.zendeskloyalty.client.SingleUserWriteSlots;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.SyncSummary;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.client.ZendeskOperation;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.MemberStatus;
import io.github.zendeskloyalty.core.SyncTrigger;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What users care about, measured on {@link FakeZendesk} in simulated time: calls and writes
 * against the lower bound, drain time against the bound of the account's limits, the share of
 * 429s, bulk import on and off, one and four instances, and a backfill through the incremental
 * export. Prints a markdown table per scenario group.
 *
 * <pre>
 * mvn -B -ntp -q -Pharness package -DskipTests             # every scenario
 * mvn -B -ntp -q -Pharness package -DskipTests -Dharness.args=quick
 * mvn -B -ntp -q -Pharness package -DskipTests -Dharness.args=kafka   # the Kafka intake
 * </pre>
 *
 * <p>The account is Zendesk's smallest plan (200 requests a minute); a bulk job of up to 100
 * users takes 2 s. Members already have Zendesk users (their profiles exist), so bulk import on
 * and off do the same work; events arrive in one burst, each instance holding the members whose
 * id falls to it (a queue partitioned by member id).
 */
public final class PerformanceHarness {

  private static final int PLAN_LIMIT = 200;
  private static final Duration JOB_DURATION = Duration.ofSeconds(2);
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** Held, so the level set on it is not lost when the logger is collected. */
  private static final Logger SDK_LOG = Logger.getLogger("io.github.zendeskloyalty.client");

  private PerformanceHarness() {}

  /**
   * One run: events over members, on some instances, with bulk import on or off; the members
   * have Zendesk users already, or none yet; the instances share their single-user write slots
   * through a store (as pods would), or each keeps its own.
   */
  record Scenario(int events, int members, int instances, boolean bulkImport,
      boolean usersExist, SharedSlots sharedSlots) {

    Scenario(int events, int members, int instances, boolean bulkImport) {
      this(events, members, instances, bulkImport, true, SharedSlots.NONE);
    }
  }

  /** What a run measured. */
  record Result(Scenario scenario, long calls, long writes, long polls, long exports,
      long searches, long singleUserWrites, long throttled, Duration drain, int lost, long stale,
      long failed) {

    long lowerBound() {
      return (scenario.members() + 99) / 100;
    }

    /**
     * The drain time of the calls made, spending the plan's limit exactly, the export's (10 a
     * minute, account-wide) for its pages, and single-user writes' (1 a second, account-wide).
     */
    Duration bound() {
      return Duration.ofMillis(Math.max(Math.max(calls * 60_000 / PLAN_LIMIT, exports * 6_000),
          singleUserWrites * 1_000));
    }
  }

  /**
   * Runs the scenarios; {@code quick} runs the small ones only, {@code new-members} the table of
   * new members only, {@code kafka} the Kafka intake's throughput only.
   */
  public static void main(String[] args) throws Exception {
    SDK_LOG.setLevel(Level.SEVERE);
    if (args.length > 0 && args[0].equals("new-members")) {
      newMembers(500);
      return;
    }
    if (args.length > 0 && args[0].equals("reconcile")) {
      ReconcileHarness.run(200_000, 20_000, 0.02);
      return;
    }
    if (args.length > 0 && args[0].equals("shared-export")) {
      sharedExport(100_000, 20_000);
      return;
    }
    if (args.length > 0 && args[0].equals("kafka")) {
      KafkaThroughputHarness.run(500_000, 50_000);
      return;
    }
    boolean quick = args.length > 0 && args[0].equals("quick");
    List<int[]> sizes = quick ? List.of(new int[] {1_000, 100}, new int[] {10_000, 2_000})
        : List.of(new int[] {1_000, 100}, new int[] {10_000, 2_000},
            new int[] {100_000, 20_000});
    System.out.println("## Streams of events (plan limit " + PLAN_LIMIT + " requests/min, jobs "
        + JOB_DURATION.toSeconds() + " s)");
    System.out.println();
    System.out.println("| events / members | bulk import | instances | calls | writes | lower"
        + " bound ceil(M/100) | polls | export pages | searches | 429s | drain | bound | one call"
        + " per event |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (int[] size : sizes) {
      for (boolean bulk : new boolean[] {true, false}) {
        for (int instances : new int[] {1, 4}) {
          Result result = run(new Scenario(size[0], size[1], instances, bulk));
          printRow(result);
        }
      }
    }
    System.out.println();
    newMembers(quick ? 100 : 500);
    System.out.println();
    sharedExport(quick ? 10_000 : 100_000, quick ? 2_000 : 20_000);
    System.out.println();
    ReconcileHarness.run(quick ? 20_000 : 200_000, quick ? 2_000 : 20_000, 0.02);
    System.out.println();
    backfill(quick ? 5_000 : 20_000, quick ? 12_000 : 50_000);
    System.out.println();
    System.out.println("## The fake at scale");
    System.out.println();
    for (boolean bulk : new boolean[] {true, false}) {
      fakeScale(quick ? 20_000 : 200_000, quick ? 10_000 : 100_000, quick ? 2_000 : 20_000, bulk);
    }
  }

  private static void printRow(Result r) {
    Scenario s = r.scenario();
    System.out.printf(Locale.ROOT, "| %,d / %,d | %s | %d | %,d | %,d | %,d | %,d | %,d | %,d |"
            + " %,d (%.1f%%) | %s | %s | %,d calls, %s |%n",
        s.events(), s.members(), s.bulkImport() ? "on" : "off", s.instances(), r.calls(),
        r.writes(), r.lowerBound(), r.polls(), r.exports(), r.searches(), r.throttled(),
        100.0 * r.throttled() / Math.max(1, r.calls()), minutes(r.drain()), minutes(r.bound()),
        s.events(), minutes(Duration.ofSeconds(s.events())))
        ;
    if (r.lost() > 0) {
      System.out.printf("|   | **%d members lost** | | | | | | | | | | | |%n", r.lost());
    }
  }

  /**
   * Members without a Zendesk user yet, bulk import off, on one and four instances: each is
   * created alone, and Zendesk takes one such write a second for the whole account.
   */
  static void newMembers(int members) throws Exception {
    System.out.printf(Locale.ROOT, "## %,d new members, bulk import off (each created alone, 1 a"
        + " second account-wide)%n%n", members);
    System.out.println("| instances | calls | creates and single updates | 429s | failed |"
        + " lost | drain | bound |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    List<Scenario> rows = new ArrayList<>(List.of(
        new Scenario(members, members, 1, false, false, SharedSlots.NONE),
        new Scenario(members, members, 4, false, false, SharedSlots.NONE)));
    for (SharedSlots shared : List.of(SharedSlots.IN_MEMORY, SharedSlots.POSTGRESQL,
        SharedSlots.REDIS)) {
      rows.add(new Scenario(members, members, 4, false, false, shared));
    }
    for (Scenario s : rows) {
      SharedSlots shared = s.sharedSlots();
      if (!shared.available()) {
        System.out.printf("| 4, sharing %s | not run: %s |%n", shared.label(),
            shared.howToRun());
        continue;
      }
      Result r = run(s);
      System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %,d (%.1f%%) | %,d | %,d | %s | %s |%n",
          s.instances() + (shared == SharedSlots.NONE ? "" : ", sharing " + shared.label()),
          r.calls(), r.singleUserWrites(), r.throttled(),
          100.0 * r.throttled() / Math.max(1, r.calls()), r.failed(), r.lost(),
          minutes(r.drain()), minutes(r.bound()));
    }
  }

  /**
   * Existing members, bulk import off, on four instances: each resolves its members' user ids
   * through the export, alone or sharing its pages (and the single-user write slots).
   */
  static void sharedExport(int events, int members) throws Exception {
    System.out.printf(Locale.ROOT, "## %,d events over %,d existing members, bulk import off,"
        + " 4 instances: the export's passes%n%n", events, members);
    System.out.println("| instances | calls | export pages | 429s | failed | lost | drain |"
        + " bound |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (SharedSlots shared : SharedSlots.values()) {
      if (!shared.available()) {
        System.out.printf("| 4, sharing %s | not run: %s |%n", shared.label(),
            shared.howToRun());
        continue;
      }
      Result r = run(new Scenario(events, members, 4, false, true, shared));
      System.out.printf(Locale.ROOT, "| 4, %s | %,d | %,d | %,d (%.1f%%) | %,d | %,d | %s | %s"
          + " |%n", shared == SharedSlots.NONE ? "each its own" : "sharing " + shared.label(),
          r.calls(), r.exports(), r.throttled(), 100.0 * r.throttled() / Math.max(1, r.calls()),
          r.failed(), r.lost(), minutes(r.drain()), minutes(r.bound()));
    }
  }

  private static String minutes(Duration duration) {
    long seconds = duration.toSeconds();
    return seconds < 120 ? seconds + " s" : String.format(Locale.ROOT, "%.1f min",
        seconds / 60.0);
  }

  static LoyaltyMember snapshot(int member, int version) {
    return LoyaltyMember.builder().memberId("M-" + member)
        .email("member" + member + "@example.com").firstName("Member")
        .lastName(String.valueOf(member)).status(MemberStatus.ACTIVE)
        .availablePoints(BigDecimal.valueOf(version * 10L)).loyaltyTierName("Silver")
        .lastModifiedDate(T0.plusSeconds(version)).build();
  }

  static Result run(Scenario scenario) throws Exception {
    try (SimulatedTime time = new SimulatedTime(T0);
         FakeZendesk fake = FakeZendesk.builder().clock(time).bulkImport(scenario.bulkImport())
             .requestsPerMinute(PLAN_LIMIT).jobDuration(JOB_DURATION).journalSize(0)
             .writeLogSize(0).start()) {
      fake.provision(FieldSchema.standard());
      for (int member = 0; scenario.usersExist() && member < scenario.members(); member++) {
        fake.addUser("Member " + member, "member" + member + "@example.com", null);
      }
      Random random = new Random(42);
      int[] versions = new int[scenario.members()];
      List<List<LoyaltyMember>> streams = new ArrayList<>();
      for (int i = 0; i < scenario.instances(); i++) {
        streams.add(new ArrayList<>());
      }
      for (int event = 0; event < scenario.events(); event++) {
        int member = random.nextInt(scenario.members());
        streams.get(member % scenario.instances()).add(snapshot(member, ++versions[member]));
      }
      SharedSlots.Store store = scenario.sharedSlots().open(time);
      List<CallCounter> counters = new ArrayList<>();
      List<Thread> producers = new ArrayList<>();
      List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (List<LoyaltyMember> stream : streams) {
        CallCounter counter = new CallCounter();
        counters.add(counter);
        producers.add(new Thread(() -> {
          ZendeskLoyaltySync.Builder builder = fake.syncBuilder().clock(time).sleeper(time)
              .httpClient(new TimedHttpClient(time))
              .listener(counter).requestTimeout(Duration.ofMinutes(1));
          if (store != null) {
            builder.singleUserWriteSlots(store.forInstance())
                .sharedExportPages(store.pagesForInstance());
          }
          try (ZendeskLoyaltySync sync = builder.build()) {
            List<CompletableFuture<SyncResult>> futures = new ArrayList<>(stream.size());
            time.hold();
            try {
              for (LoyaltyMember member : stream) {
                futures.add(sync.onPointsChanged(member, SyncTrigger.POINTS_AWARDED));
              }
            } finally {
              time.release();
            }
            sync.flush().get(1, TimeUnit.HOURS);
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .handle((ok, failure) -> null).get(1, TimeUnit.HOURS);
          } catch (Exception | Error e) {
            failures.add(e);
          }
        }, "producer"));
      }
      producers.forEach(Thread::start);
      for (Thread producer : producers) {
        producer.join();
      }
      if (store != null) {
        store.closer().run();
      }
      Duration drain = Duration.between(T0, time.instant());
      int lost = 0;
      for (int member = 0; member < scenario.members(); member++) {
        if (versions[member] == 0) {
          continue;
        }
        Object written = fake.user("member" + member + "@example.com")
            .map(user -> user.userFields().get("zrl_member_last_modified_date")).orElse(null);
        if (!T0.plusSeconds(versions[member]).toString().equals(written)) {
          lost++;
        }
      }
      long calls = 0;
      long writes = 0;
      long polls = 0;
      long exports = 0;
      long searches = 0;
      long throttled = 0;
      long stale = 0;
      long singleUserWrites = 0;
      long failed = 0;
      for (CallCounter counter : counters) {
        singleUserWrites += counter.calls(ZendeskOperation.CREATE_OR_UPDATE_USER,
            ZendeskOperation.UPDATE_USER);
        failed += counter.failed.get();
        calls += counter.calls(ZendeskOperation.values());
        writes += counter.calls(ZendeskOperation.CREATE_OR_UPDATE_MANY_USERS,
            ZendeskOperation.UPDATE_MANY_USERS, ZendeskOperation.CREATE_OR_UPDATE_USER,
            ZendeskOperation.UPDATE_USER);
        polls += counter.calls(ZendeskOperation.SHOW_MANY_JOB_STATUSES);
        exports += counter.calls(ZendeskOperation.EXPORT_USERS);
        searches += counter.calls(ZendeskOperation.SEARCH_USERS);
        throttled += counter.throttled.get();
        stale += counter.stale.get();
      }
      if (!failures.isEmpty()) {
        throw new IllegalStateException("a producer failed", failures.get(0));
      }
      return new Result(scenario, calls, writes, polls, exports, searches, singleUserWrites,
          throttled, drain, lost, stale, failed);
    }
  }

  /**
   * The members, releasing the simulated clock once the backfill has read them all: real time
   * does not leap while a backfill feeds the SDK.
   */
  private static Collection<LoyaltyMember> releasingOnceRead(List<LoyaltyMember> members,
      SimulatedTime time) {
    return new AbstractCollection<>() {
      @Override
      public Iterator<LoyaltyMember> iterator() {
        Iterator<LoyaltyMember> all = members.iterator();
        return new Iterator<>() {
          private boolean released;

          @Override
          public boolean hasNext() {
            boolean more = all.hasNext();
            if (!more && !released) {
              released = true;
              time.release();
            }
            return more;
          }

          @Override
          public LoyaltyMember next() {
            return all.next();
          }
        };
      }

      @Override
      public int size() {
        return members.size();
      }
    };
  }

  /** A backfill of existing members, bulk import off, through the incremental export. */
  static void backfill(int members, int accountUsers) throws Exception {
    System.out.printf(Locale.ROOT, "## Backfill of %,d existing members in an account of %,d"
        + " users, bulk import off%n%n", members, accountUsers);
    try (SimulatedTime time = new SimulatedTime(T0);
         FakeZendesk fake = FakeZendesk.builder().clock(time).bulkImport(false)
             .requestsPerMinute(PLAN_LIMIT).jobDuration(JOB_DURATION).journalSize(0)
             .writeLogSize(0).start()) {
      fake.provision(FieldSchema.standard());
      for (int user = 0; user < accountUsers; user++) {
        fake.addUser("User " + user, "member" + user + "@example.com", null);
      }
      List<LoyaltyMember> backfill = new ArrayList<>();
      int step = accountUsers / members;
      for (int i = 0; i < members; i++) {
        backfill.add(snapshot(i * step, 1));
      }
      CallCounter counter = new CallCounter();
      SyncSummary summary;
      try (ZendeskLoyaltySync sync = fake.syncBuilder().clock(time).sleeper(time)
              .httpClient(new TimedHttpClient(time))
          .listener(counter).requestTimeout(Duration.ofMinutes(1)).build()) {
        time.hold();
        summary = sync.syncAll(releasingOnceRead(backfill, time)).get(1, TimeUnit.HOURS);
      }
      Duration drain = Duration.between(T0, time.instant());
      long pages = counter.calls(ZendeskOperation.EXPORT_USERS);
      long writes = counter.calls(ZendeskOperation.UPDATE_MANY_USERS, ZendeskOperation.UPDATE_USER);
      long polls = counter.calls(ZendeskOperation.SHOW_MANY_JOB_STATUSES);
      long searches = counter.calls(ZendeskOperation.SEARCH_USERS);
      long calls = counter.calls(ZendeskOperation.values());
      long exportPages = (accountUsers + 999) / 1000;
      long target = exportPages + (members + 99) / 100 + polls;
      Duration bound = Duration.ofMillis(Math.max((exportPages - 1) * 6_000,
          calls * 60_000 / PLAN_LIMIT));
      long before = members + (members + 99) / 100 + polls;
      System.out.println("| | calls | export pages | searches | writes | polls | 429s | time |"
          + " bound | updated | failed |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
      System.out.printf(Locale.ROOT, "| export (now) | %,d | %,d | %,d | %,d | %,d | %,d | %s |"
              + " %s | %,d | %,d |%n", calls, pages, searches, writes, polls,
          counter.throttled.get(), minutes(drain), minutes(bound), summary.updated(),
          summary.failures().size());
      System.out.printf(Locale.ROOT, "| a search per member (before) | %,d | 0 | %,d | %,d |"
              + " | | %s | | | |%n", before, members, (members + 99) / 100,
          minutes(Duration.ofMillis(before * 60_000 / PLAN_LIMIT)));
      System.out.printf(Locale.ROOT, "%nTarget: at most ceil(U/1000) + ceil(M/100) + polls = %,d"
          + " calls (+1 users/count); time within 1.2 x %s.%n", target, minutes(bound));
    }
  }

  /**
   * The fake under load: 200,000 users and 100,000 events, bulk import off (the export, then
   * update_many), and its share of the CPU.
   */
  static void fakeScale(int users, int events, int members, boolean bulkImport)
      throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long processStart = processCpuNanos();
    long wallStart = System.nanoTime();
    Map<Long, Long> before = jettyCpu(threads);
    Result result;
    long fakeCpu = 0;
    try (SimulatedTime time = new SimulatedTime(T0);
         FakeZendesk fake = FakeZendesk.builder().clock(time).requestsPerMinute(1_000_000)
             .bulkImport(bulkImport).journalSize(0).writeLogSize(0).start()) {
      fake.provision(FieldSchema.standard());
      for (int user = 0; user < users; user++) {
        fake.addUser("User " + user, "member" + user + "@example.com", null);
      }
      CallCounter counter = new CallCounter();
      try (ZendeskLoyaltySync sync = fake.syncBuilder().clock(time).sleeper(time)
              .httpClient(new TimedHttpClient(time))
          .listener(counter).build()) {
        Random random = new Random(7);
        int[] versions = new int[members];
        int step = users / members;
        List<CompletableFuture<SyncResult>> futures = new ArrayList<>(events);
        for (int event = 0; event < events; event++) {
          int member = random.nextInt(members);
          futures.add(sync.onPointsChanged(snapshot(member * step, ++versions[member]),
              SyncTrigger.POINTS_AWARDED));
        }
        sync.flush().get(1, TimeUnit.HOURS);
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(1, TimeUnit.HOURS);
      }
      result = new Result(new Scenario(events, members, 1, bulkImport),
          counter.calls(ZendeskOperation.values()), 0, 0, 0, 0, 0, 0, Duration.ZERO, 0, 0, 0);
      for (Map.Entry<Long, Long> entry : jettyCpu(threads).entrySet()) {
        fakeCpu += entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
      }
    }
    long processCpu = processCpuNanos() - processStart;
    System.out.printf(Locale.ROOT, "- %,d users, %,d events over %,d members, bulk import %s,"
            + " %,d calls: %.1f s wall, process CPU %.1f s, the fake's request threads"
            + " %.1f s (%.1f%% of the CPU)%n", users, events, members, bulkImport ? "on" : "off",
        result.calls(),
        (System.nanoTime() - wallStart) / 1e9, processCpu / 1e9, fakeCpu / 1e9,
        100.0 * fakeCpu / Math.max(1, processCpu));
  }

  private static Map<Long, Long> jettyCpu(ThreadMXBean threads) {
    Map<Long, Long> cpu = new java.util.HashMap<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("qtp")) {
        cpu.put(thread.getId(), threads.getThreadCpuTime(thread.getId()));
      }
    }
    return cpu;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
