package io.github.zendeskloyalty.benchmarks.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.zendeskloyalty.cli.ZendeskLoyaltyCli;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.testkit.FakeEndpoint;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code backfill} command's throughput, in real time, on the embedded fake Zendesk with its
 * rate limit lifted (so the number is the command's own speed, not a plan's limit): members per
 * second, and the API calls it made against the lower bound {@code ceil(members / 100)}. Bulk
 * import is on: with it off, how members are resolved depends on the plan's rate limit, which
 * {@link PerformanceHarness} measures in simulated time.
 *
 * <pre>
 * mvn -B -ntp -q -Pcli-backfill package -DskipTests
 * mvn -B -ntp -q -Pcli-backfill package -DskipTests -Dharness.args=quick
 * </pre>
 */
public final class CliBackfillHarness {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private CliBackfillHarness() {}

  /** Runs each size once, after a warm-up. */
  public static void main(String[] args) throws Exception {
    boolean quick = args.length > 0 && args[0].equals("quick");
    List<Integer> sizes = quick ? List.of(10_000) : List.of(10_000, 100_000);
    System.out.println("| members | exit | seconds | members/s | calls | writes |"
        + " lower bound ceil(M/100) | calls / bound | job polls |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    run(2_000, false); // warm-up: the JIT, the fake's first requests
    for (int members : sizes) {
      System.out.println(run(members, true));
    }
  }

  private static String run(int members, boolean report) throws IOException {
    Path dir = Files.createTempDirectory("zendesk-loyalty-backfill");
    Path file = dir.resolve("members.csv");
    try (FakeZendesk fake = FakeZendesk.builder().requestsPerMinute(10_000_000)
        .writeLogSize(1).journalSize(100_000).start()) {
      fake.provision(FieldSchema.standard());
      write(file, members);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exit = ZendeskLoyaltyCli.run(new String[] {"backfill", file.toString(), "--base-uri",
              fake.baseUri().toString(), "--requests-per-minute", "1000000", "--json"},
          Map.of("ZENDESK_EMAIL", FakeZendesk.ADMIN_EMAIL,
              "ZENDESK_API_TOKEN", FakeZendesk.ADMIN_API_TOKEN),
          new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err), false);
      if (!report) {
        return "";
      }
      JsonNode summary = JSON.readTree(out.toString());
      double seconds = summary.path("seconds").asDouble();
      long calls = summary.path("calls").asLong();
      long writes = fake.requests(FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS).size();
      long polls = fake.requests(FakeEndpoint.SHOW_JOB_STATUS).size()
          + fake.requests(FakeEndpoint.SHOW_MANY_JOB_STATUSES).size();
      long bound = (members + 99) / 100;
      return String.format(Locale.ROOT, "| %,d | %d | %.1f | %,.0f | %,d | %,d | %,d | %.2f | %,d |",
          members, exit, seconds, members / seconds, calls, writes, bound, (double) calls / bound,
          polls);
    } finally {
      for (String name : List.of("members.csv", "members.csv.checkpoint", "members.csv.rejects")) {
        Files.deleteIfExists(dir.resolve(name));
      }
      Files.deleteIfExists(dir);
    }
  }

  private static String email(int i) {
    return "member-" + i + "@example.com";
  }

  private static void write(Path file, int members) throws IOException {
    try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      writer.write("zrl_member_member_id,email,first_name,zrl_member_available_points,"
          + "zrl_member_loyalty_tier_name,zrl_member_last_modified_date\n");
      for (int i = 1; i <= members; i++) {
        writer.write("M-" + i + "," + email(i) + ",Member " + i + "," + (i * 7) + ".5,"
            + (i % 3 == 0 ? "Gold" : "Silver") + ",2026-11-0" + (1 + i % 9) + "T10:00:00Z\n");
      }
    }
  }
}
