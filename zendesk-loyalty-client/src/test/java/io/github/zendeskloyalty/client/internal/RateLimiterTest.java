package io.github.zendeskloyalty.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.FakeTime;
import io.github.zendeskloyalty.client.SingleUserWriteSlots;
import io.github.zendeskloyalty.client.SyncListener;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private static HttpHeaders headers(Map<String, List<String>> values) {
    return HttpHeaders.of(values, (name, value) -> true);
  }

  private static final String EXPORT_HEADER = "Zendesk-RateLimit-incremental-exports-cursor";

  private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");

  @Test
  void aFullBucketAllowsABurstThenPacesToTheRate() throws Exception {
    FakeTime time = new FakeTime();
    AccountRateLimiter limiter = new AccountRateLimiter(60, time, time);

    for (int i = 0; i < 60; i++) {
      limiter.acquire(FAR);
    }
    assertThat(time.sleeps()).isEmpty();
    limiter.acquire(FAR);
    limiter.acquire(FAR);

    assertThat(time.sleeps()).hasSize(2).allSatisfy(wait ->
        assertThat(wait).isBetween(Duration.ofMillis(999), Duration.ofMillis(1001)));
  }

  @Test
  void whenOthersUsedTheWindowTheBucketWaitsForItsEnd() throws Exception {
    FakeTime time = new FakeTime();
    AccountRateLimiter limiter = new AccountRateLimiter(700, time, time);

    limiter.observe(headers(Map.of("X-Rate-Limit", List.of("200"),
        "X-Rate-Limit-Remaining", List.of("1"), "ratelimit-reset", List.of("30"))));
    limiter.acquire(FAR);

    assertThat(limiter.limitPerMinute()).isEqualTo(200);
    assertThat(time.slept()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void fourInstancesSettleOnTheSharedLimitFromZendesksHeaders() throws Exception {
    FakeTime time = new FakeTime();
    int limit = 200;
    AccountRateLimiter[] instances = new AccountRateLimiter[4];
    for (int i = 0; i < 4; i++) {
      instances[i] = new AccountRateLimiter(limit, time, time);
    }
    long windowStart = 0;
    int usedInWindow = 0;
    int overLimit = 0;
    int[] calls = new int[4];
    for (int round = 0; round < 2_000; round++) {
      int i = round % 4;
      instances[i].acquire(FAR);
      long second = time.instant().getEpochSecond();
      if (second - windowStart >= 60) {
        windowStart = second - second % 60;
        usedInWindow = 0;
      }
      usedInWindow++;
      if (usedInWindow > limit) {
        overLimit++;
      }
      calls[i]++;
      long reset = windowStart + 60 - second;
      instances[i].observe(headers(Map.of("X-Rate-Limit", List.of(String.valueOf(limit)),
          "X-Rate-Limit-Remaining", List.of(String.valueOf(Math.max(0, limit - usedInWindow))),
          "ratelimit-reset", List.of(String.valueOf(Math.max(1, reset))))));
    }

    double minutes = time.slept().toMillis() / 60_000.0;
    assertThat(overLimit).as("calls beyond the account's limit").isLessThanOrEqualTo(20);
    assertThat(2_000 / minutes).as("calls per minute, all instances")
        .isBetween(0.8 * limit, 1.0 * limit);
  }

  /**
   * Four instances read the export at once; Zendesk allows 10 calls a minute, account-wide, in
   * fixed windows, and reports them in its endpoint header. Each instance goes as soon as its
   * limiter lets it (asked without waiting, so the test moves the clock to the next one).
   */
  @Test
  void fourInstancesShareTheExportsLimitFromItsHeaderWithout429s() throws Exception {
    FakeTime time = new FakeTime();
    Instant start = time.instant();
    int limit = 10;
    int pagesEach = 30;
    AccountRateLimiter[] instances = new AccountRateLimiter[4];
    for (int i = 0; i < 4; i++) {
      instances[i] = new AccountRateLimiter(limit, 1, time, time);
    }
    int[] left = {pagesEach, pagesEach, pagesEach, pagesEach};
    long windowStart = 0;
    int usedInWindow = 0;
    int refused = 0;
    while (Arrays.stream(left).sum() > 0) {
      Duration soonest = null;
      for (int i = 0; i < 4; i++) {
        if (left[i] == 0) {
          continue;
        }
        Duration wait = instances[i].acquire(time.instant());
        if (!wait.isZero()) {
          soonest = soonest == null || wait.compareTo(soonest) < 0 ? wait : soonest;
          continue;
        }
        long second = time.instant().getEpochSecond();
        if (second - windowStart >= 60) {
          windowStart = second - second % 60;
          usedInWindow = 0;
        }
        boolean allowed = usedInWindow < limit;
        if (allowed) {
          usedInWindow++;
          left[i]--;
        } else {
          refused++;
        }
        instances[i].observeEndpoint(headers(Map.of(EXPORT_HEADER, List.of("total=" + limit
            + "; remaining=" + (limit - usedInWindow) + "; resets="
            + Math.max(1, windowStart + 60 - second)))), ZendeskHttp.EXPORT_LIMIT_HEADERS);
        if (!allowed) {
          instances[i].throttled();
          instances[i].pause(Duration.ofSeconds(Math.max(1, windowStart + 60 - second)));
        }
      }
      if (soonest != null) {
        time.advance(soonest);
      }
    }

    double minutes = Duration.between(start, time.instant()).toMillis() / 60_000.0;
    assertThat(refused).as("export calls answered 429").isZero();
    assertThat(minutes).as("minutes for 120 pages at 10 a minute")
        .isLessThanOrEqualTo(1.2 * 4 * pagesEach / limit);
  }

  @Test
  void theExportsHeaderSetsItsLimitUpOrDown() {
    FakeTime time = new FakeTime();
    AccountRateLimiter limiter = new AccountRateLimiter(10, 1, time, time);

    limiter.observeEndpoint(headers(Map.of("zendesk-ratelimit-incremental-exports-cursor",
        List.of("total=20; remaining=19; resets=60"))), ZendeskHttp.EXPORT_LIMIT_HEADERS);
    assertThat(limiter.limitPerMinute()).isEqualTo(20);

    limiter.observeEndpoint(headers(Map.of("Zendesk-RateLimit-incremental-exports",
        List.of("total=5; remaining=4; resets=30"))), ZendeskHttp.EXPORT_LIMIT_HEADERS);
    assertThat(limiter.limitPerMinute()).isEqualTo(5);
  }

  @Test
  void anUnreadableExportHeaderChangesNothingAnd429sStillHalveThePace() {
    FakeTime time = new FakeTime();
    AccountRateLimiter limiter = new AccountRateLimiter(10, 1, time, time);

    limiter.observeEndpoint(headers(Map.of(EXPORT_HEADER, List.of("total=lots; remaining=-1"))),
        ZendeskHttp.EXPORT_LIMIT_HEADERS);
    limiter.throttled();

    assertThat(limiter.limitPerMinute()).isEqualTo(10);
    assertThat(limiter.pace()).isEqualTo(5.0);
    limiter.succeeded();
    assertThat(limiter.pace()).isEqualTo(5.25);
  }

  @Test
  void aHigherAccountLimitDoesNotRaiseTheConfiguredBudget() {
    FakeTime time = new FakeTime();
    AccountRateLimiter limiter = new AccountRateLimiter(100, time, time);

    limiter.observe(headers(Map.of("ratelimit-limit", List.of("2500"),
        "ratelimit-remaining", List.of("2400"))));

    assertThat(limiter.limitPerMinute()).isEqualTo(100);
  }

  @Test
  void aPauseHoldsEveryCall() throws Exception {
    FakeTime time = new FakeTime();
    AccountRateLimiter limiter = new AccountRateLimiter(100, time, time);

    limiter.pause(Duration.ofSeconds(30));
    limiter.pause(Duration.ofSeconds(5));
    limiter.acquire(FAR);

    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(30));
  }

  @Test
  void singleUserWritesAreHeldToOnePerSecondPerAccount() throws Exception {
    FakeTime time = new FakeTime();
    SingleUserLimiter limiter = ownSlots(time);

    limiter.acquire("a@example.com", FAR);
    assertThat(limiter.isFree("b@example.com")).isFalse();
    limiter.acquire("b@example.com", FAR);

    assertThat(time.sleeps()).containsExactly(SingleUserLimiter.ACCOUNT_INTERVAL);
    assertThat(SingleUserLimiter.ACCOUNT_INTERVAL).as("a margin over Zendesk's second")
        .isGreaterThan(Duration.ofSeconds(1));
  }

  @Test
  void a429WidensTheSingleUserIntervalAndSuccessesNarrowItBack() {
    FakeTime time = new FakeTime();
    SingleUserLimiter limiter = ownSlots(time);

    limiter.pause(Duration.ofSeconds(1));
    limiter.pause(Duration.ofSeconds(1));
    Duration widened = limiter.interval();
    for (int i = 0; i < 50; i++) {
      limiter.succeeded();
    }

    assertThat(widened).isEqualTo(SingleUserLimiter.ACCOUNT_INTERVAL.multipliedBy(4));
    assertThat(limiter.interval()).isEqualTo(SingleUserLimiter.ACCOUNT_INTERVAL);
  }

  @Test
  void singleUserWritesAreHeldToFivePerMinutePerUser() throws Exception {
    FakeTime time = new FakeTime();
    SingleUserLimiter limiter = ownSlots(time);

    for (int i = 0; i < 5; i++) {
      limiter.acquire("A@example.com", FAR);
      time.advance(Duration.ofSeconds(2));
    }
    time.sleeps().clear();
    assertThat(limiter.isFree("a@example.com")).isFalse();
    assertThat(limiter.isFree("other@example.com")).isTrue();
    limiter.acquire("a@example.com", FAR);

    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(50));
  }

  @Test
  void aWaitPastTheDeadlineIsNotStartedAndTakesNothing() throws Exception {
    FakeTime time = new FakeTime();
    AccountRateLimiter limiter = new AccountRateLimiter(100, time, time);
    limiter.pause(Duration.ofSeconds(600));

    Duration held = limiter.acquire(time.instant().plusSeconds(5));

    assertThat(held).isEqualTo(Duration.ofSeconds(600));
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void aSingleUserPauseHoldsOnlySingleUserWritesWithinTheDeadline() throws Exception {
    FakeTime time = new FakeTime();
    SingleUserLimiter limiter = ownSlots(time);
    limiter.pause(Duration.ofSeconds(30));

    assertThat(limiter.acquire("a@example.com", time.instant().plusSeconds(10)))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(limiter.acquire("a@example.com", FAR)).isZero();
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(30));
  }

  @Test
  void instancesSharingWriteSlotsKeepZendesksSecondBetweenTheirWrites() throws Exception {
    assertThat(shortestGapBetweenWrites(true)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(shortestGapBetweenWrites(false)).as("each with its own slots, they collide")
        .isLessThan(Duration.ofSeconds(1));
  }

  /** Four instances take turns writing; the shortest gap between two writes, as Zendesk sees. */
  private static Duration shortestGapBetweenWrites(boolean shareSlots) throws Exception {
    FakeTime time = new FakeTime();
    SingleUserWriteSlots shared = SingleUserWriteSlots.inMemory();
    SingleUserLimiter[] instances = new SingleUserLimiter[4];
    for (int i = 0; i < instances.length; i++) {
      instances[i] = new SingleUserLimiter(time, time, 100,
          shareSlots ? shared : SingleUserWriteSlots.inMemory(), shareSlots, SyncListener.none());
    }
    Duration shortest = Duration.ofDays(1);
    Instant previous = null;
    for (int write = 0; write < 40; write++) {
      assertThat(instances[write % 4].acquire("user" + write + "@example.com", FAR)).isZero();
      Instant sent = time.instant();
      if (previous != null && Duration.between(previous, sent).compareTo(shortest) < 0) {
        shortest = Duration.between(previous, sent);
      }
      previous = sent;
    }
    return shortest;
  }

  @Test
  void writeSlotsThatThrowOrAnswerNothingLeaveTheInstanceToItsOwnPace() throws Exception {
    for (SingleUserWriteSlots broken : List.<SingleUserWriteSlots>of(
        (earliest, latest, spacing) -> {
          throw new IllegalStateException("redis is down");
        },
        (earliest, latest, spacing) -> null)) {
      FakeTime time = new FakeTime();
      SingleUserLimiter limiter = new SingleUserLimiter(time, time, 100, broken, true,
          SyncListener.none());

      assertThat(limiter.acquire("a@example.com", FAR)).isZero();
      assertThat(limiter.acquire("b@example.com", FAR)).isZero();

      assertThat(time.sleeps()).containsExactly(SingleUserLimiter.ACCOUNT_INTERVAL);
    }
  }

  @Test
  void aStoreThatFailsIsToldToTheListenerEachTimeAndWarnedOfOncePerOutage() throws Exception {
    FakeTime time = new FakeTime();
    boolean[] down = {true};
    SingleUserWriteSlots store = SingleUserWriteSlots.inMemory();
    SingleUserWriteSlots flaky = (earliest, latest, spacing) -> {
      if (down[0]) {
        throw new IllegalStateException("PostgreSQL did not reserve a single-user write slot");
      }
      return store.reserve(earliest, latest, spacing);
    };
    List<Throwable> told = new ArrayList<>();
    SingleUserLimiter limiter = new SingleUserLimiter(time, time, 100, flaky, true,
        new SyncListener() {
          @Override
          public void onWriteSlotsUnavailable(Throwable failure) {
            told.add(failure);
          }
        });
    List<String> warnings = new ArrayList<>();
    java.util.logging.Handler capture = capture(warnings, "SingleUserWriteSlots");
    try {
      limiter.acquire("a@example.com", FAR);
      limiter.acquire("b@example.com", FAR); // the same outage: no second warning
      down[0] = false;
      limiter.acquire("c@example.com", FAR); // back: said once
      down[0] = true;
      limiter.acquire("d@example.com", FAR); // a new outage: warned again
    } finally {
      CLIENT_LOG.removeHandler(capture);
    }

    assertThat(told).hasSize(3).allSatisfy(failure -> assertThat(failure)
        .hasMessageContaining("PostgreSQL did not reserve"));
    assertThat(warnings).hasSize(3);
    assertThat(warnings.get(0)).startsWith("WARNING");
    assertThat(warnings.get(1)).startsWith("INFO").contains("answered again");
    assertThat(warnings.get(2)).startsWith("WARNING");
  }

  @Test
  void a429OnItsOwnTurnsWarnsOnceNamingTheSettingsThatShareThem() {
    FakeTime time = new FakeTime();
    SingleUserLimiter alone = new SingleUserLimiter(time, time, 100,
        SingleUserWriteSlots.inMemory(), false, SyncListener.none());
    List<String> warnings = new ArrayList<>();
    java.util.logging.Handler capture = capture(warnings, "Zendesk answered 429");
    try {
      alone.pause(Duration.ofSeconds(2));
      alone.pause(Duration.ofSeconds(2));
    } finally {
      CLIENT_LOG.removeHandler(capture);
    }
    assertThat(warnings).singleElement().asString().startsWith("WARNING")
        .contains("ZendeskLoyaltySync.Builder.singleUserWriteSlots")
        .contains("zendesk.loyalty.shared-limits=jdbc or redis");
  }

  /** Held, so the handler added to it is not lost with a collected logger. */
  private static final java.util.logging.Logger CLIENT_LOG =
      java.util.logging.Logger.getLogger("io.github.zendeskloyalty.client");

  /** Records the client's log lines at INFO or above that start with {@code prefix}. */
  private static java.util.logging.Handler capture(List<String> lines, String prefix) {
    java.util.logging.Handler handler = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord record) {
        if (record.getLevel().intValue() >= java.util.logging.Level.INFO.intValue()
            && record.getMessage().startsWith(prefix)) {
          lines.add(record.getLevel() + " " + record.getMessage());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    CLIENT_LOG.addHandler(handler);
    return handler;
  }

  @Test
  void aSharedStoreFailingAtRandomNeverStopsAWriteAndItsSlotsStayApart() throws Exception {
    FakeTime time = new FakeTime();
    Random faults = new Random(20261127);
    SingleUserWriteSlots store = SingleUserWriteSlots.inMemory();
    List<Instant> fromStore = new ArrayList<>();
    SingleUserWriteSlots flaky = (earliest, latest, spacing) -> {
      switch (faults.nextInt(5)) {
        case 0 -> throw new IllegalStateException("connection reset");
        case 1 -> {
          return null;
        }
        case 2 -> throw new OutOfMemoryError("the store's client ran out");
        default -> {
          Optional<Instant> slot = store.reserve(earliest, latest, spacing);
          slot.ifPresent(fromStore::add);
          return slot;
        }
      }
    };
    SingleUserLimiter[] instances = new SingleUserLimiter[4];
    for (int i = 0; i < instances.length; i++) {
      instances[i] = new SingleUserLimiter(time, time, 100, flaky, true,
          SyncListener.none());
    }

    for (int write = 0; write < 400; write++) {
      Instant deadline = time.instant().plus(Duration.ofMinutes(2));
      assertThat(instances[write % 4].acquire("user" + write + "@example.com", deadline))
          .as("write %d", write).isZero();
    }

    assertThat(fromStore).hasSizeGreaterThan(150);
    for (int i = 1; i < fromStore.size(); i++) {
      assertThat(Duration.between(fromStore.get(i - 1), fromStore.get(i)))
          .isGreaterThanOrEqualTo(SingleUserLimiter.ACCOUNT_INTERVAL);
    }
  }

  @Test
  void aQueueLongerThanTheDeadlineReservesNothingAndPushesNoSlotFurther() throws Exception {
    FakeTime time = new FakeTime();
    Instant start = time.instant();
    SingleUserWriteSlots shared = SingleUserWriteSlots.inMemory();
    for (int pod = 0; pod < 10; pod++) { // ten other pods' writes already queued: 11.5 s
      shared.reserve(start, FAR, SingleUserLimiter.ACCOUNT_INTERVAL);
    }
    SingleUserLimiter limiter = new SingleUserLimiter(time, time, 100, shared, true,
        SyncListener.none());

    Duration held = limiter.acquire("a@example.com", start.plusSeconds(5));

    assertThat(held).isGreaterThan(Duration.ofSeconds(5));
    assertThat(time.sleeps()).isEmpty();
    assertThat(shared.reserve(start, FAR, SingleUserLimiter.ACCOUNT_INTERVAL))
        .as("the next pod's slot, right after the ten")
        .contains(start.plus(SingleUserLimiter.ACCOUNT_INTERVAL.multipliedBy(10)));
  }

  @Test
  void aSlotInThePastIsNowAndOnePastTheDeadlineIsNotWaitedFor() throws Exception {
    FakeTime time = new FakeTime();
    Instant start = time.instant();
    SingleUserLimiter past = new SingleUserLimiter(time, time, 100,
        (earliest, latest, spacing) -> Optional.of(earliest.minusSeconds(3600)), true,
        SyncListener.none());
    SingleUserLimiter late = new SingleUserLimiter(time, time, 100,
        (earliest, latest, spacing) -> Optional.of(earliest.plusSeconds(300)), true,
        SyncListener.none());

    assertThat(past.acquire("a@example.com", FAR)).isZero();
    assertThat(late.acquire("b@example.com", start.plusSeconds(60)))
        .isEqualTo(Duration.ofSeconds(300));
    assertThat(time.sleeps()).isEmpty();
    assertThat(time.instant()).isEqualTo(start);
  }

  private static SingleUserLimiter ownSlots(FakeTime time) {
    return new SingleUserLimiter(time, time, 100, SingleUserWriteSlots.inMemory(), false,
        SyncListener.none());
  }
}
