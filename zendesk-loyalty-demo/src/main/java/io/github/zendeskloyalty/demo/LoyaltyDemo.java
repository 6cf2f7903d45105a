package io.github.zendeskloyalty.demo;

import io.github.zendeskloyalty.client.FieldReport;
import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.client.ZendeskOperation;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.MemberStatus;
import io.github.zendeskloyalty.core.SyncTrigger;
import io.github.zendeskloyalty.testkit.FakeEndpoint;
import io.github.zendeskloyalty.testkit.FakeFault;
import io.github.zendeskloyalty.testkit.FakeUser;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import io.github.zendeskloyalty.testkit.ManualClock;
import io.github.zendeskloyalty.testkit.RecordedRequest;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The project's main job: a realistic burst of loyalty events for many members, synced by
 * {@link ZendeskLoyaltySync} into the embedded fake Zendesk, with a report of what happened.
 *
 * <pre>{@code
 * mvn -B -ntp -q -Pdemo package -DskipTests
 * }</pre>
 *
 * <p>The fake runs on a {@link ManualClock} shared with the SDK, so rate-limit waits and
 * {@code Retry-After} take no real time; the account is on Zendesk's smallest plan (200
 * requests per minute) and one bulk call and one poll are made to fail, to show the retries.
 */
public final class LoyaltyDemo {

  /** Members in the program. */
  public static final int MEMBERS = 300;
  /** Points and tier events streamed. */
  public static final int EVENTS = 3_000;
  /** Late duplicates of old events, as at-least-once queues deliver them. */
  public static final int LATE_DELIVERIES = 25;

  private static final Instant START = Instant.parse("2026-11-24T09:00:00Z");
  private static final String[] TIERS = {"Bronze", "Silver", "Gold", "Platinum"};
  private static final long[] TIER_THRESHOLDS = {0, 1_000, 5_000, 20_000};

  /** What the demo measured. */
  public record Report(int events, int created, int updated, int ignoredStale, int failed,
      int retries, Duration rateLimitWaits, Map<String, Integer> callsByEndpoint, int users,
      Map<String, Integer> fallbackCallsByEndpoint) {

    /** All calls of the main burst. */
    public int totalCalls() {
      return callsByEndpoint.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  private LoyaltyDemo() {}

  /** Runs the demo and prints its report. */
  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /** Runs the demo, printing to {@code out}. */
  public static Report run(PrintStream out) throws Exception {
    ManualClock time = new ManualClock(START);
    try (FakeZendesk fake = FakeZendesk.builder().clock(time).requestsPerMinute(200).start()) {
      out.println("Fake Zendesk listening on " + fake.baseUri() + " (Team plan: 200 requests/min)");
      Counters counters = new Counters();
      Report burst;
      try (ZendeskLoyaltySync sync = ZendeskLoyaltySync.builder()
          .baseUri(fake.baseUri())
          .credentials(fake.credentials())
          .clock(time)
          .sleeper(time)
          .random(new Random(42))
          .jobPollInterval(Duration.ofMillis(50))
          .listener(counters)
          .build()) {

        FieldReport fields = sync.fields().ensure();
        out.printf("Provisioned user fields: %d created, %d already there%n",
            fields.created().size(), fields.present().size() - fields.created().size());

        fake.failNext(1, FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS, FakeFault.status(503));
        fake.failNext(1, FakeEndpoint.SHOW_MANY_JOB_STATUSES,
            FakeFault.tooManyRequests(Duration.ofSeconds(20)));

        List<CompletableFuture<SyncResult>> futures = streamEvents(sync);
        sync.flush().get(2, TimeUnit.MINUTES);
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
            .handle((ok, failure) -> null).get(2, TimeUnit.MINUTES);

        burst = new Report(futures.size(), counters.count(SyncResult.Outcome.CREATED),
            counters.count(SyncResult.Outcome.UPDATED),
            counters.count(SyncResult.Outcome.IGNORED_STALE), counters.failed.get(),
            counters.retries.get(), Duration.ofNanos(counters.rateLimitNanos.get()),
            callsByEndpoint(fake.requests()), fake.users().size(), Map.of());
      }
      printBurst(out, burst, time, fake);
      Map<String, Integer> fallback = bulkImportOff(fake, time);
      out.println();
      out.println("Same SDK on an account without bulk import (Zendesk's default): 40 known"
          + " members and 5 new ones");
      out.println("  API calls: " + fallback);
      return new Report(burst.events(), burst.created(), burst.updated(), burst.ignoredStale(),
          burst.failed(), burst.retries(), burst.rateLimitWaits(), burst.callsByEndpoint(),
          burst.users(), fallback);
    }
  }

  private static List<CompletableFuture<SyncResult>> streamEvents(ZendeskLoyaltySync sync) {
    Random random = new Random(2026);
    List<LoyaltyMember> members = new ArrayList<>();
    for (int n = 1; n <= MEMBERS; n++) {
      members.add(LoyaltyMember.builder()
          .memberId(String.format("ZRL-%05d", n))
          .email(String.format("customer%05d@example.com", n))
          .firstName(n % 2 == 0 ? "Alex" : "Sam")
          .lastName("Customer " + n)
          .status(MemberStatus.ACTIVE)
          .availablePoints(BigDecimal.ZERO)
          .lifetimePointsEarned(BigDecimal.ZERO)
          .lifetimePointsRedeemed(BigDecimal.ZERO)
          .lifetimePointsExpired(BigDecimal.ZERO)
          .lifetimePointsDeducted(BigDecimal.ZERO)
          .qualifiedPoints(BigDecimal.ZERO)
          .loyaltyTierName(TIERS[0])
          .loyaltyTierId("tier_" + TIERS[0].toLowerCase(Locale.ROOT))
          .enrollmentDate(START.minus(Duration.ofDays(30L + n)))
          .referralUrl(URI.create("https://loyalty.example.com/r/ZRL" + n))
          .lastModifiedDate(START)
          .build());
    }
    List<CompletableFuture<SyncResult>> futures = new ArrayList<>();
    List<LoyaltyMember> history = new ArrayList<>();
    for (int event = 1; event <= EVENTS; event++) {
      int index = random.nextInt(MEMBERS);
      LoyaltyMember before = members.get(index);
      Instant at = START.plusSeconds(event);
      int kind = random.nextInt(10);
      LoyaltyMember.Builder after = before.toBuilder().lastModifiedDate(at);
      BigDecimal points = before.availablePoints();
      SyncTrigger trigger;
      if (kind < 6) {
        BigDecimal award = BigDecimal.valueOf(50 + random.nextInt(950));
        after.availablePoints(points.add(award))
            .lifetimePointsEarned(before.lifetimePointsEarned().add(award))
            .qualifiedPoints(before.qualifiedPoints().add(award))
            .numberOfPurchases(before.numberOfPurchases() + 1)
            .lastPurchaseDate(at);
        if (before.firstPurchaseDate() == null) {
          after.firstPurchaseDate(at);
        }
        trigger = SyncTrigger.POINTS_AWARDED;
      } else if (kind < 8 && points.compareTo(BigDecimal.valueOf(500)) >= 0) {
        BigDecimal redeemed = BigDecimal.valueOf(500);
        after.availablePoints(points.subtract(redeemed))
            .lifetimePointsRedeemed(before.lifetimePointsRedeemed().add(redeemed))
            .numberOfRedemptions(before.numberOfRedemptions() + 1);
        trigger = SyncTrigger.POINTS_REDEEMED;
      } else if (kind == 8 && points.signum() > 0) {
        BigDecimal expired = points.min(BigDecimal.valueOf(100));
        after.availablePoints(points.subtract(expired))
            .lifetimePointsExpired(before.lifetimePointsExpired().add(expired));
        trigger = SyncTrigger.POINTS_EXPIRED;
      } else {
        BigDecimal deducted = points.min(BigDecimal.valueOf(25));
        after.availablePoints(points.subtract(deducted))
            .lifetimePointsDeducted(before.lifetimePointsDeducted().add(deducted));
        trigger = SyncTrigger.POINTS_DEDUCTED;
      }
      LoyaltyMember changed = after.build();
      futures.add(sync.onPointsChanged(changed, trigger));
      String tier = tierFor(changed.qualifiedPoints());
      if (!tier.equals(changed.loyaltyTierName())) {
        changed = changed.toBuilder().loyaltyTierName(tier)
            .loyaltyTierId("tier_" + tier.toLowerCase(Locale.ROOT)).build();
        futures.add(sync.onTierChanged(changed, SyncTrigger.TIER_UPGRADED));
      }
      members.set(index, changed);
      history.add(changed);
    }
    for (int late = 0; late < LATE_DELIVERIES; late++) {
      LoyaltyMember old = history.get(random.nextInt(history.size() / 2));
      futures.add(sync.onPointsChanged(old, SyncTrigger.POINTS_AWARDED));
    }
    return futures;
  }

  private static String tierFor(BigDecimal qualified) {
    String tier = TIERS[0];
    for (int i = 0; i < TIERS.length; i++) {
      if (qualified.compareTo(BigDecimal.valueOf(TIER_THRESHOLDS[i])) >= 0) {
        tier = TIERS[i];
      }
    }
    return tier;
  }

  private static Map<String, Integer> bulkImportOff(FakeZendesk fake, ManualClock time)
      throws Exception {
    fake.bulkImport(false);
    int before = fake.requests().size();
    try (ZendeskLoyaltySync sync = ZendeskLoyaltySync.builder()
        .baseUri(fake.baseUri()).credentials(fake.credentials())
        .clock(time).sleeper(time).random(new Random(7))
        .jobPollInterval(Duration.ofMillis(50)).build()) {
      List<CompletableFuture<SyncResult>> futures = new ArrayList<>();
      for (int n = 1; n <= 45; n++) {
        int id = n <= 40 ? n : MEMBERS + n;
        futures.add(sync.onTierChanged(LoyaltyMember.builder()
            .memberId(String.format("ZRL-%05d", id))
            .email(String.format("customer%05d@example.com", id))
            .firstName("Pat").lastName("Customer " + id)
            .loyaltyTierName("Gold").availablePoints(BigDecimal.valueOf(6_000))
            .lastModifiedDate(START.plus(Duration.ofDays(1)))
            .build(), SyncTrigger.TIER_UPGRADED));
      }
      sync.flush().get(2, TimeUnit.MINUTES);
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    }
    return callsByEndpoint(fake.requests().subList(before, fake.requests().size()));
  }

  private static Map<String, Integer> callsByEndpoint(List<RecordedRequest> requests) {
    Map<String, Integer> calls = new TreeMap<>();
    for (RecordedRequest request : requests) {
      calls.merge(request.method() + " " + request.path().replaceAll("/\\d+", "/{id}")
          + (request.status() == 200 || request.status() == 201 ? "" : " -> " + request.status()),
          1, Integer::sum);
    }
    return calls;
  }

  private static void printBurst(PrintStream out, Report report, ManualClock time,
      FakeZendesk fake) {
    out.println();
    out.printf("Events in:          %,d points and tier events for %d members (%d of them late"
        + " re-deliveries)%n", report.events(), MEMBERS, LATE_DELIVERIES);
    out.printf("Members synced:     %d created, %d updated; %d stale snapshots ignored; %d"
        + " failed%n", report.created(), report.updated(), report.ignoredStale(),
        report.failed());
    out.printf("API calls:          %d (%.1f events per call)%n", report.totalCalls(),
        (double) report.events() / report.totalCalls());
    report.callsByEndpoint().forEach((endpoint, count) ->
        out.printf("  %-46s %d%n", endpoint, count));
    out.printf("Retries:            %d; waited %ss for Zendesk's rate limits (simulated clock,"
        + " %ss in all)%n", report.retries(), report.rateLimitWaits().toSeconds(),
        time.slept().toSeconds());
    out.printf("Zendesk users:      %d%n", report.users());
    out.println();
    out.println("Final Zendesk fields of three members:");
    for (String email : List.of("customer00001@example.com", "customer00150@example.com",
        "customer00300@example.com")) {
      FakeUser user = fake.user(email).orElseThrow();
      Map<String, Object> f = user.userFields();
      out.printf("  %-26s points=%s tier=%s purchases=%s redemptions=%s lifetime earned=%s"
          + " last modified=%s%n", email, f.get("zrl_member_available_points"),
          f.get("zrl_member_loyalty_tier_name"), f.get("zrl_member_number_of_purchases"),
          f.get("zrl_member_number_of_redemptions"), f.get("zrl_member_lifetime_points_earned"),
          f.get("zrl_member_last_modified_date"));
    }
  }

  /** Counts what the SDK reports. */
  private static final class Counters implements SyncListener {
    private final Map<SyncResult.Outcome, AtomicInteger> outcomes =
        new EnumMap<>(SyncResult.Outcome.class);
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();
    private final AtomicLong rateLimitNanos = new AtomicLong();

    Counters() {
      for (SyncResult.Outcome outcome : SyncResult.Outcome.values()) {
        outcomes.put(outcome, new AtomicInteger());
      }
    }

    int count(SyncResult.Outcome outcome) {
      return outcomes.get(outcome).get();
    }

    @Override
    public void onSynced(SyncResult result) {
      outcomes.get(result.outcome()).incrementAndGet();
    }

    @Override
    public void onFailed(String memberId, ZendeskException failure) {
      failed.incrementAndGet();
    }

    @Override
    public void onRetry(ZendeskOperation operation, int attempt, Duration delay,
        ZendeskException failure) {
      retries.incrementAndGet();
    }

    @Override
    public void onRateLimited(ZendeskOperation operation, Duration wait) {
      rateLimitNanos.addAndGet(wait.toNanos());
    }
  }
}
