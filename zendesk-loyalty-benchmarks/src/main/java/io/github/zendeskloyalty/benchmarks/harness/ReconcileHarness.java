package io.github.zendeskloyalty.benchmarks.harness;

import io.github.zendeskloyalty.client.MemberSource;
import io.github.zendeskloyalty.client.ReconcileOptions;
import io.github.zendeskloyalty.client.ReconcileReport;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.client.ZendeskOperation;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A reconcile of an account of {@code users} users, {@code members} of them loyalty members of
 * which a share drifted (their points changed behind the SDK's back), on the harness's simulated
 * clock at the smallest plan's limit: calls, time against the export's bound, and the live heap
 * (after a full collection, every 40 pages) above the start's (the account and the source).
 *
 * <pre>
 * mvn -B -ntp -q -Pharness package -DskipTests -Dharness.args=reconcile
 * </pre>
 */
final class ReconcileHarness {

  private static final int PLAN_LIMIT = 200;
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String POINTS = "zrl_member_available_points";

  private ReconcileHarness() {}

  static void run(int users, int members, double driftShare) throws Exception {
    System.out.printf(Locale.ROOT, "## Reconcile: %,d users, %,d members, %.0f%% drifted%n%n",
        users, members, driftShare * 100);
    int step = users / members;
    int driftEvery = (int) Math.round(1 / driftShare);
    List<LoyaltyMember> source = new ArrayList<>(members);
    try (SimulatedTime time = new SimulatedTime(T0);
         FakeZendesk fake = FakeZendesk.builder().clock(time).requestsPerMinute(PLAN_LIMIT)
             .jobDuration(Duration.ofSeconds(2)).journalSize(0).writeLogSize(0).start()) {
      FieldSchema schema = FieldSchema.standard();
      fake.provision(schema);
      int drifted = 0;
      for (int user = 0; user < users; user++) {
        if (user % step != 0 || user / step >= members) {
          fake.addUser("User " + user, "user" + user + "@example.com", null);
          continue;
        }
        LoyaltyMember member = PerformanceHarness.snapshot(user / step, 3);
        source.add(member);
        Map<String, Object> held = new HashMap<>();
        schema.userFields(member).forEach((key, value) -> {
          if (value != null) {
            held.put(key, value);
          }
        });
        if ((user / step) % driftEvery == 0) {
          held.put(POINTS, 1); // an agent's edit
          drifted++;
        }
        fake.addUser("Member " + user, member.email(), null, held);
      }
      CallCounter counter = new CallCounter();
      long baseline = liveHeap();
      long[] held = {0};
      ReconcileReport report;
      try (ZendeskLoyaltySync sync = fake.syncBuilder().clock(time).sleeper(time)
          .httpClient(new TimedHttpClient(time)).listener(counter)
          .requestTimeout(Duration.ofMinutes(1)).build()) {
        report = sync.reconcile(MemberSource.of(source), ReconcileOptions.builder()
            .progress(sofar -> {
              if (sofar.pagesRead() % 40 == 0) { // live heap after a full GC, every 40 pages
                held[0] = Math.max(held[0], liveHeap() - baseline);
              }
            }).build());
      }
      Duration took = Duration.between(T0, time.instant());
      long pages = counter.calls(ZendeskOperation.EXPORT_USERS);
      long writes = counter.calls(ZendeskOperation.CREATE_OR_UPDATE_MANY_USERS,
          ZendeskOperation.CREATE_OR_UPDATE_USER, ZendeskOperation.UPDATE_MANY_USERS,
          ZendeskOperation.UPDATE_USER);
      long polls = counter.calls(ZendeskOperation.SHOW_MANY_JOB_STATUSES);
      long calls = counter.calls(ZendeskOperation.values());
      long target = (users + 999) / 1000 + (drifted + 99) / 100 + polls;
      Duration bound = Duration.ofMillis(((users + 999) / 1000 - 1) * 6_000L);
      long repaired = source.stream().filter(member -> {
        Object points = fake.user(member.email()).orElseThrow().userFields().get(POINTS);
        return new BigDecimal(points.toString()).compareTo(member.availablePoints()) == 0;
      }).count();
      System.out.println("| drifted | found | written | calls | export pages | writes | polls"
          + " | 429s | time | export's bound | live heap above the start |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
      System.out.printf(Locale.ROOT, "| %,d | %,d | %,d | %,d | %,d | %,d | %,d | %,d | %s | %s"
              + " | %.1f MB |%n", drifted, report.drifted(), report.written(), calls, pages,
          writes, polls, counter.throttled.get(), minutes(took), minutes(bound),
          held[0] / (1024.0 * 1024));
      System.out.printf(Locale.ROOT, "%nTarget: calls at most ceil(U/1000) + ceil(D/100) + polls"
          + " = %,d (+1 users/count); time within 1.2 x %s. Members holding the source's points"
          + " afterwards: %,d of %,d.%n", target, minutes(bound), repaired, members);
    }
  }

  /** The heap in use after a full collection: what is live. */
  private static long liveHeap() {
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static String minutes(Duration duration) {
    long seconds = duration.toSeconds();
    return seconds < 120 ? seconds + " s" : String.format(Locale.ROOT, "%.1f min",
        seconds / 60.0);
  }
}
