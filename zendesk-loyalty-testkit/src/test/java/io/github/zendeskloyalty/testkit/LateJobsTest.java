package io.github.zendeskloyalty.testkit;

import static io.github.zendeskloyalty.testkit.ZendeskAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.Sleeper;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bulk jobs the SDK gave up on at {@code jobTimeout}: one that runs late never leaves an older
 * snapshot over a newer one, and a poll Zendesk answers with garbage never holds other writes.
 */
class LateJobsTest {

  private static final ManualClock TIME = new ManualClock();
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @RegisterExtension
  static FakeZendeskExtension zendesk = new FakeZendeskExtension(
      FakeZendesk.builder().clock(TIME).provisioned(FieldSchema.standard()));

  private ZendeskLoyaltySync sync;

  @AfterEach
  void closeSync() {
    if (sync != null) {
      sync.close();
    }
  }

  private static LoyaltyMember member(int n, long points, Instant modified) {
    return LoyaltyMember.builder().memberId("M-" + n).email("member" + n + "@example.com")
        .availablePoints(BigDecimal.valueOf(points)).lastModifiedDate(modified).build();
  }

  /** Waits, in bounded real time, for the dispatcher to reach a state it moves to by itself. */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("still waiting for: " + what).isLessThan(until);
      Thread.onSpinWait();
    }
  }

  @ParameterizedTest(name = "bulk import {0}")
  @ValueSource(booleans = {true, false})
  void aJobThatRunsAfterTheSdkGaveUpIsFollowedByTheNewestSnapshot(boolean bulkImport,
      FakeZendesk fake) throws Exception {
    fake.bulkImport(bulkImport);
    if (!bulkImport) { // update_many (a job) needs users that exist
      fake.addUser("One", "member1@example.com", null);
      fake.addUser("Two", "member2@example.com", null);
    }
    fake.failNextJobs(1, FakeJobFault.LATE);
    sync = fake.syncBuilder().maxDelay(Duration.ofHours(1)).jobTimeout(Duration.ofMinutes(2))
        .build();
    CompletableFuture<SyncResult> first = sync.onPointsChanged(member(1, 100, T0),
        SyncTrigger.POINTS_AWARDED);
    sync.onPointsChanged(member(2, 100, T0), SyncTrigger.POINTS_AWARDED);
    sync.flush().get(20, TimeUnit.SECONDS);
    assertThat(first).as("given up on at the job timeout").isCompletedExceptionally();

    CompletableFuture<SyncResult> newer = sync.onPointsChanged(
        member(1, 200, T0.plusSeconds(1)), SyncTrigger.POINTS_AWARDED);
    sync.flush().get(20, TimeUnit.SECONDS);
    assertThat(newer.get().outcome()).isIn(SyncResult.Outcome.CREATED, SyncResult.Outcome.UPDATED);
    assertThat(fake).user("member1@example.com").hasField("zrl_member_available_points", 200);

    // the late job runs 15 minutes after it was submitted, over the newer write; the SDK polls
    // it (moving the manual clock while it waits), sees it ran, and writes the newest again
    await("the late job to run and M-1's newest snapshot to be written again", () ->
        fake.runningJobs() == 0 && fake.userWrites().stream().filter(write ->
            write.userFields().get("zrl_member_available_points") != null).count() >= 4
            && pointsOf(fake, "member1@example.com") == 200);
    sync.flush().get(20, TimeUnit.SECONDS);

    assertThat(fake).user("member1@example.com").hasField("zrl_member_available_points", 200);
    assertThat(fake).user("member2@example.com").hasField("zrl_member_available_points", 100);
  }

  private static long pointsOf(FakeZendesk fake, String email) {
    return fake.users().stream().filter(user -> email.equals(user.email()))
        .map(user -> user.userFields().get("zrl_member_available_points"))
        .filter(points -> points instanceof Number).mapToLong(points -> ((Number) points)
            .longValue()).findFirst().orElse(-1);
  }

  @Test
  void aPollAnsweredWithGarbageNeverHoldsOtherWritesAndJobsTimeOutOnTime(FakeZendesk fake)
      throws Exception {
    fake.jobDuration(Duration.ofHours(1));
    fake.failNext(1_000, FakeEndpoint.SHOW_MANY_JOB_STATUSES,
        FakeFault.garbledAnswer(FakeFault.Garbling.HTML));
    sync = fake.syncBuilder().maxDelay(Duration.ofHours(1)).jobTimeout(Duration.ofMillis(500))
        .build();
    Instant start = TIME.instant();
    CompletableFuture<SyncResult> inJob = sync.onPointsChanged(member(1, 1, T0),
        SyncTrigger.POINTS_AWARDED);
    AtomicReference<Instant> failedAt = new AtomicReference<>();
    inJob.whenComplete((result, failure) -> failedAt.set(TIME.instant()));
    sync.onPointsChanged(member(2, 2, T0), SyncTrigger.POINTS_AWARDED);
    sync.flush();
    await("the bulk job", () -> !fake.requests(FakeEndpoint.CREATE_OR_UPDATE_MANY_USERS)
        .isEmpty());

    CompletableFuture<SyncResult> other = sync.onPointsChanged(member(3, 3, T0),
        SyncTrigger.POINTS_AWARDED);
    sync.flush().get(20, TimeUnit.SECONDS);

    assertThat(other.get().outcome()).isEqualTo(SyncResult.Outcome.CREATED);
    assertThat(fake.userWrites()).filteredOn(write -> write.userFields()
        .get("zrl_member_member_id").equals("M-3")).singleElement()
        .satisfies(write -> assertThat(write.at()).as("written while the job's polls failed")
            .isBefore(start.plus(Duration.ofMillis(500))));
    assertThat(inJob).isCompletedExceptionally();
    ExecutionException failure = org.assertj.core.api.Assertions.catchThrowableOfType(
        ExecutionException.class, inJob::get);
    assertThat(failure.getCause()).hasMessageContaining("did not finish within PT0.5S");
    assertThat(Duration.between(start, failedAt.get()))
        .as("failed at the job timeout: no poll waited out its retries")
        .isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void newWorkWakesTheDispatcherWithoutInterruptingIt() throws Exception {
    List<Duration> interrupted = new CopyOnWriteArrayList<>();
    AtomicInteger sleeps = new AtomicInteger();
    Sleeper recording = duration -> {
      sleeps.incrementAndGet();
      try {
        Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
      } catch (InterruptedException woken) {
        interrupted.add(duration);
        throw woken;
      }
    };
    try (FakeZendesk fake = FakeZendesk.builder().provisioned(FieldSchema.standard())
        .jobDuration(Duration.ofHours(1)).start()) {
      sync = fake.syncBuilder().sleeper(recording).maxDelay(Duration.ofHours(1))
          .jobPollInterval(Duration.ofSeconds(30)).closeTimeout(Duration.ofMillis(100)).build();
      sync.onPointsChanged(member(1, 1, T0), SyncTrigger.POINTS_AWARDED);
      sync.onPointsChanged(member(2, 2, T0), SyncTrigger.POINTS_AWARDED);
      sync.flush(); // a job that runs an hour: the dispatcher waits for its polls
      // a few polls in, the job is old enough that the dispatcher idles between polls: wait
      // until it is in such a wait (it sleeps after each poll)
      await("the job polled a few times", () ->
          fake.requests(FakeEndpoint.SHOW_MANY_JOB_STATUSES).size() >= 3);
      int sleptBefore = sleeps.get();
      await("the dispatcher waiting for the next poll", () -> sleeps.get() > sleptBefore);

      CompletableFuture<SyncResult> other = sync.onPointsChanged(member(3, 3, T0),
          SyncTrigger.POINTS_AWARDED);
      sync.flush();

      assertThat(other.get(20, TimeUnit.SECONDS).outcome()).isEqualTo(SyncResult.Outcome.CREATED);
      assertThat(interrupted).as("new work is a signal; an interrupt means only stop").isEmpty();
    }
  }
}
