package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.client.BackpressurePolicy;
import io.github.zendeskloyalty.client.ShutdownReport;
import io.github.zendeskloyalty.client.Sleeper;
import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.SyncResult.Outcome;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The dispatcher thread over the {@link PendingBuffer}, its lock and its back-pressure, and the
 * one place where futures complete.
 *
 * <p>Events coalesce into one pending update per member (newest snapshot wins). The dispatcher
 * sends a batch when it is full, when its oldest update waited the max delay, or on flush and
 * close; a member is never in two writes at once, so writes of one member reach Zendesk in
 * order. Each member has a watermark: the newest snapshot Zendesk confirmed or may have applied
 * (sent, whatever came of it). A snapshot older than the watermark is never written, and a
 * failure never lowers it.
 *
 * <p>All time is the injected clock's: the max delay, the poll interval and the close deadline
 * are measured on it, and the dispatcher waits through the injected sleeper, woken early by new
 * work. The dispatcher survives anything a write, a poll or a listener throws; if it ever stops
 * anyway, every open future fails and new events are refused. Not part of the API.
 */
final class SyncEngine implements PendingMembers {

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.client");

  /**
   * How often the dispatcher looks again while it waits: in real time while a batch waits for
   * its max delay (the delay itself is measured on the clock; this bounds how late it notices a
   * clock that moved without it, a test's manual clock), and in slices of the sleeper's time
   * while it waits for Zendesk (how late it notices new work then).
   */
  private static final Duration MAX_CLOCK_CHECK = Duration.ofMillis(50);

  /** The engine's configuration. */
  public record Settings(int maxBatchSize, Duration maxDelay, int maxPendingMembers,
      BackpressurePolicy backpressure, Duration jobPollInterval, JobSlots jobSlots,
      int trackedMembers, SyncListener listener, Clock clock, Sleeper sleeper) {}

  private final Settings settings;
  private final UserWriter writer;
  private final SyncListener listener;
  private final Completion completion;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wakeUp = lock.newCondition();
  private final Condition spaceFreed = lock.newCondition();
  private final PendingBuffer buffer;
  private final RunningJobs jobs;
  private final LateJobs lateJobs = new LateJobs();
  private final List<String> abandonedMembers = new ArrayList<>();
  private final Thread dispatcher;
  private final CountDownLatch dispatcherDone = new CountDownLatch(1);
  /** Says once when members wait on a clock that stands still (a test's manual clock). */
  private final StalledClock stalledClock = new StalledClock(System::nanoTime);
  private long urgentThrough;
  private boolean closing;
  private Instant closeDeadline;
  private boolean abandoned;
  /** New work since the dispatcher last looked: ends an idle wait at its next slice. */
  private volatile boolean newWork;
  private Throwable broken;
  private int waitingSubmitters;
  private CompletableFuture<ShutdownReport> shutdown;

  /** Starts the dispatcher thread. */
  public SyncEngine(Settings settings, UserWriter writer) {
    this.settings = settings;
    this.writer = writer;
    this.listener = new SafeListener(settings.listener());
    this.buffer = new PendingBuffer(settings.maxPendingMembers(), settings.trackedMembers(),
        settings.clock(), 2 * settings.maxBatchSize());
    this.jobs = new RunningJobs(settings.jobPollInterval());
    this.completion = new Completion(listener, this::release, this::requeue);
    this.dispatcher = new Thread(this::run, "zendesk-loyalty-dispatcher");
    this.dispatcher.setDaemon(true);
    this.dispatcher.start();
  }

  /**
   * Queues a member snapshot. Completes at once with {@link Outcome#IGNORED_STALE} when a newer
   * snapshot of the member is pending, or was sent (whether or not Zendesk confirmed it).
   *
   * @param trigger the event's trigger, or null for a backfill
   * @param profileKey the member's Zendesk identity, lower case (see
   *     {@link PendingUpdate#profileKey()})
   * @param backpressure overrides the configured policy when not null
   * @throws IllegalStateException when the engine is closed or stopped
   * @throws IllegalArgumentException when another member id already writes to this profile
   */
  public CompletableFuture<SyncResult> submit(LoyaltyMember member, Instant version,
      SyncTrigger trigger, String profileKey, BackpressurePolicy backpressure) {
    Queued queued = queue(member, version, trigger, profileKey, backpressure);
    if (queued.accepted()) {
      listener.onAccepted(trigger);
    }
    return queued.future();
  }

  /** A submitted event's future, and whether the event was taken (not refused for room). */
  private record Queued(CompletableFuture<SyncResult> future, boolean accepted) {}

  private Queued queue(LoyaltyMember member, Instant version, SyncTrigger trigger,
      String profileKey, BackpressurePolicy backpressure) {
    BackpressurePolicy policy = backpressure != null ? backpressure : settings.backpressure();
    CompletableFuture<SyncResult> future = new CompletableFuture<>();
    String memberId = member.memberId();
    lock.lock();
    try {
      while (true) {
        refuseWhenStopped();
        PendingBuffer.Offer offer = buffer.offer(member, version, trigger, profileKey, future,
            Thread.currentThread() == dispatcher);
        if (offer == PendingBuffer.Offer.STALE) {
          break;
        }
        if (offer == PendingBuffer.Offer.PENDING && (buffer.pendingCount() == 1
            || buffer.pendingCount() % settings.maxBatchSize() == 0)) {
          wakeDispatcher();
        }
        if (offer != PendingBuffer.Offer.NO_ROOM_FOR_MEMBERS
            && offer != PendingBuffer.Offer.NO_ROOM_FOR_EVENTS) {
          return new Queued(future, true);
        }
        if (policy == BackpressurePolicy.FAIL) {
          String full = offer == PendingBuffer.Offer.NO_ROOM_FOR_MEMBERS
              ? settings.maxPendingMembers() + " members waiting for Zendesk"
              : buffer.waitingEvents() + " events waiting for Zendesk, "
                  + PendingBuffer.EVENTS_PER_MEMBER + " per member of maxPendingMembers";
          return new Queued(CompletableFuture.failedFuture(new RejectedExecutionException(
              "pending buffer is full (" + full + "); member " + memberId + " was not queued."
                  + " Retry later, or raise maxPendingMembers.")), false);
        }
        waitingSubmitters++;
        wakeDispatcher();
        try {
          spaceFreed.await();
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return new Queued(CompletableFuture.failedFuture(new RejectedExecutionException(
              "interrupted while waiting for room in the pending buffer; member " + memberId
                  + " was not queued")), false);
        } finally {
          waitingSubmitters--;
        }
      }
    } finally {
      lock.unlock();
    }
    completion.stale(memberId, trigger, future);
    return new Queued(future, true);
  }

  private void refuseWhenStopped() {
    if (broken != null) {
      throw new IllegalStateException("ZendeskLoyaltySync stopped after an unexpected failure ("
          + broken.getClass().getName() + ") and takes no more events; build a new instance",
          broken);
    }
    if (closing) {
      throw new IllegalStateException(
          "ZendeskLoyaltySync is closed; no more events can be submitted");
    }
  }

  /**
   * Sends everything pending now without waiting for the max delay.
   *
   * @return completes when every update pending or in flight at this call has an outcome
   */
  public CompletableFuture<Void> flush() {
    List<CompletableFuture<Void>> settled = new ArrayList<>();
    lock.lock();
    try {
      urgentThrough = buffer.lastSequence();
      settled.addAll(buffer.unsettled());
      wakeDispatcher();
    } finally {
      lock.unlock();
    }
    return CompletableFuture.allOf(settled.toArray(CompletableFuture[]::new));
  }

  /** Members with an update pending or in flight. */
  public int backlog() {
    lock.lock();
    try {
      return buffer.backlog();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean isPending(String profileKey) {
    lock.lock();
    try {
      return buffer.isPending(profileKey);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<String> profileKeys() {
    lock.lock();
    try {
      return buffer.profileKeys();
    } finally {
      lock.unlock();
    }
  }

  /** Whether shutdown has begun or the engine stopped. */
  public boolean isClosing() {
    lock.lock();
    try {
      return closing || broken != null;
    } finally {
      lock.unlock();
    }
  }

  /** Bulk jobs submitted and not yet ended. */
  public int runningJobs() {
    lock.lock();
    try {
      return jobs.size();
    } finally {
      lock.unlock();
    }
  }

  /** Wakes the dispatcher from any wait (caller holds the lock). */
  /** New work: the dispatcher looks again (a signal; interruption means only "stop"). */
  private void wakeDispatcher() {
    newWork = true;
    wakeUp.signalAll();
  }

  // ------------------------------------------------------------------ shutdown

  /**
   * Stops taking events, sends what is pending, and waits up to {@code deadline} (on the clock,
   * and in real time) for Zendesk to confirm it. What is still unconfirmed then fails and is
   * listed in the report, each member once. Every caller, concurrent or later, gets the same
   * complete report.
   */
  public ShutdownReport shutdown(Duration deadline) {
    CompletableFuture<ShutdownReport> report;
    boolean first = false;
    lock.lock();
    try {
      if (shutdown == null) {
        shutdown = new CompletableFuture<>();
        first = true;
        closing = true;
        closeDeadline = settings.clock().instant().plus(deadline);
        wakeDispatcher();
        spaceFreed.signalAll();
      }
      report = shutdown;
    } finally {
      lock.unlock();
    }
    if (!first) {
      return report.join();
    }
    try {
      report.complete(stop(deadline));
    } catch (Throwable unexpected) {
      report.completeExceptionally(unexpected);
      throw unexpected;
    }
    return report.join();
  }

  private ShutdownReport stop(Duration deadline) {
    boolean ended = awaitDispatcher(deadline);
    if (!ended) {
      lock.lock();
      try {
        abandoned = true;
        dispatcher.interrupt();
      } finally {
        lock.unlock();
      }
      awaitDispatcher(Duration.ofSeconds(5));
    }
    Map<String, List<PendingUpdate>> unsent;
    List<String> unsentIds = new ArrayList<>();
    lock.lock();
    try {
      unsentIds.addAll(abandonedMembers);
      unsent = buffer.open();
    } finally {
      lock.unlock();
    }
    unsent.forEach((memberId, updates) -> {
      ZendeskException failure = new ZendeskException("member " + memberId + " was not"
          + " confirmed by Zendesk before ZendeskLoyaltySync closed (deadline " + deadline
          + "); submit it again after restart.");
      if (completion.failMember(updates, failure)) {
        unsentIds.add(memberId);
      }
    });
    if (!unsentIds.isEmpty()) {
      LOG.log(Level.WARNING, () -> "ZendeskLoyaltySync closed with " + unsentIds.size()
          + " member updates Zendesk did not confirm; their futures failed and"
          + " ShutdownReport.unsentMemberIds() lists them (logged at DEBUG)");
      LOG.log(Level.DEBUG, () -> "members not confirmed at close: " + unsentIds);
    }
    return new ShutdownReport(ended && unsentIds.isEmpty(), unsentIds);
  }

  private boolean awaitDispatcher(Duration deadline) {
    try {
      return dispatcherDone.await(deadline.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  // ------------------------------------------------------------------ dispatcher

  /** What the dispatcher does next: send a batch, poll jobs, or poll jobs given up on. */
  private record Work(List<PendingUpdate> batch, List<SubmittedJob> jobsToPoll,
      List<SubmittedJob> lateJobsToPoll) {}

  private void run() {
    Throwable fatal = null;
    try {
      while (true) {
        Work work = nextWork();
        if (work == null) {
          return;
        }
        if (work.batch() != null) {
          send(work.batch());
        } else if (work.jobsToPoll() != null) {
          poll(work.jobsToPoll());
        } else {
          pollLate(work.lateJobsToPoll());
        }
      }
    } catch (InterruptedException interrupted) {
      LOG.log(Level.DEBUG, "dispatcher stopped at the close deadline");
    } catch (Throwable unexpected) {
      fatal = unexpected;
    } finally {
      if (fatal != null) {
        breakDown(fatal);
      }
      dispatcherDone.countDown();
    }
  }

  /**
   * Takes a snapshot of the state under the lock, lets {@link DispatchPlan} decide, and carries
   * the decision out: the batch leaves the buffer, or the dispatcher waits as the plan says.
   */
  private Work nextWork() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        if (abandoned) {
          return null;
        }
        Instant now = settings.clock().instant();
        boolean roomForJobs = jobs.size() < settings.jobSlots().slots();
        List<PendingUpdate> candidates = roomForJobs
            ? buffer.candidates(settings.maxBatchSize(), writer::writesAtOnce) : List.of();
        PendingUpdate oldest = buffer.oldest();
        if (!roomForJobs && oldest != null) {
          settings.jobSlots().wanted();
        }
        DispatchPlan.Decision decision = DispatchPlan.decide(new DispatchPlan.State(now, closing,
            closeDeadline, roomForJobs, DispatchPlan.batchOf(candidates), buffer.pendingCount(),
            oldest == null ? null : oldest.queuedAt(), buffer.lastRepeatAt(),
            waitingSubmitters > 0, buffer.isFull(), urgentThrough, jobs.isDue(now),
            jobs.nextPollAt(), lateJobs.isDue(now), lateJobs.nextPollAt(),
            buffer.nothingWaiting(), jobs.isEmpty(), settings.maxBatchSize(),
            settings.maxDelay()));
        if (decision instanceof DispatchPlan.Stop) {
          return null;
        } else if (decision instanceof DispatchPlan.Send) {
          buffer.dispatch(candidates);
          candidates.forEach(lateJobs::sent);
          spaceFreed.signalAll();
          stalledClock.notWaiting();
          return new Work(candidates, null, null);
        } else if (decision instanceof DispatchPlan.PollJobs) {
          return new Work(null, jobs.due(now), null);
        } else if (decision instanceof DispatchPlan.PollLateJobs) {
          return new Work(null, null, lateJobs.due(now));
        } else if (decision instanceof DispatchPlan.WaitForZendesk zendesk) {
          stalledClock.notWaiting();
          idleUntil(Duration.between(now, zendesk.until()));
        } else if (decision instanceof DispatchPlan.WaitForEvents events) {
          stalledClock.waiting(now, events.waiting(), settings.maxDelay())
              .ifPresent(warning -> LOG.log(Level.WARNING, warning));
          Duration left = Duration.between(now, events.until());
          wakeUp.awaitNanos(left.compareTo(MAX_CLOCK_CHECK) > 0
              ? MAX_CLOCK_CHECK.toNanos() : Math.max(left.toNanos(), 1));
        } else {
          stalledClock.notWaiting();
          wakeUp.await();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for Zendesk (the next job poll, or the close deadline) through the sleeper, as for any
   * wait on Zendesk: a manual clock moves instead of real time passing. Waiting for more events
   * (the max delay) is different: it waits for callers, so it reads the clock without moving it.
   * The wait goes in slices of at most {@link #MAX_CLOCK_CHECK}, and new work ends it at the
   * next slice; an interrupt means the close deadline has passed. Called and returns with the
   * lock held.
   */
  private void idleUntil(Duration wait) {
    newWork = false;
    lock.unlock();
    try {
      for (Duration left = wait; !newWork && left.compareTo(Duration.ZERO) > 0; ) {
        Duration slice = left.compareTo(MAX_CLOCK_CHECK) > 0 ? MAX_CLOCK_CHECK : left;
        settings.sleeper().sleep(slice);
        left = left.minus(slice);
      }
    } catch (InterruptedException stop) {
      Thread.currentThread().interrupt(); // abandoned: the loop stops
    } finally {
      lock.lock();
    }
  }

  private void send(List<PendingUpdate> batch) throws InterruptedException {
    Outcomes outcomes = new Outcomes();
    List<SubmittedJob> submitted = List.of();
    try {
      submitted = writer.write(batch, outcomes);
    } catch (ZendeskException failure) {
      outcomes.failUnsettled(batch, failure);
    } catch (InterruptedException interrupted) {
      completion.settle(outcomes);
      throw interrupted;
    } catch (Throwable unexpected) {
      outcomes.failUnsettled(batch, unexpected("writing to", unexpected));
    }
    List<PendingUpdate> inJobs = new ArrayList<>();
    submitted.forEach(job -> inJobs.addAll(job.items()));
    for (PendingUpdate update : batch) {
      if (!outcomes.has(update) && !inJobs.contains(update)) {
        outcomes.failed(update, new ZendeskException("member " + update.memberId() + " got no"
            + " outcome from its write; it may or may not have reached Zendesk."));
      }
    }
    if (!submitted.isEmpty()) {
      lock.lock();
      try {
        jobs.started(submitted, settings.clock().instant());
      } finally {
        lock.unlock();
      }
    }
    completion.settle(outcomes);
  }

  private void poll(List<SubmittedJob> toPoll) throws InterruptedException {
    Outcomes outcomes = new Outcomes();
    List<SubmittedJob> ended;
    List<SubmittedJob> givenUp = List.of();
    try {
      JobResults.Polled polled = writer.poll(toPoll, outcomes);
      ended = polled.ended();
      givenUp = polled.givenUp();
    } catch (InterruptedException interrupted) {
      completion.settle(outcomes);
      throw interrupted;
    } catch (Throwable unexpected) {
      ended = toPoll;
      ZendeskException failure = unexpected("polling", unexpected);
      toPoll.forEach(job -> outcomes.failUnsettled(job.items(), failure));
    }
    for (SubmittedJob job : ended) {
      for (PendingUpdate update : job.items()) {
        if (!outcomes.has(update)) {
          outcomes.failed(update, new ZendeskException("bulk job " + job.id() + " ended without"
              + " an outcome for member " + update.memberId() + "; it may or may not have been"
              + " applied."));
        }
      }
    }
    ended.forEach(job -> settings.jobSlots().ended());
    Instant now = settings.clock().instant();
    ended.forEach(job -> listener.onBulkJobEnded(Duration.between(job.submittedAt(), now)));
    lock.lock();
    try {
      jobs.ended(ended, settings.clock().instant());
      lateJobs.add(givenUp, settings.clock().instant());
    } finally {
      lock.unlock();
    }
    completion.settle(outcomes);
  }

  /**
   * Polls the jobs given up on; for those whose fate is now known (or that were watched long
   * enough), writes again every member a newer snapshot of which was sent since, so a job that
   * ran late never leaves an older snapshot over a newer one.
   */
  private void pollLate(List<SubmittedJob> late) throws InterruptedException {
    List<SubmittedJob> known;
    try {
      known = writer.pollLate(late);
    } catch (InterruptedException interrupted) {
      throw interrupted;
    } catch (Throwable failed) {
      LOG.log(Level.DEBUG, () -> "polling bulk jobs given up on failed; will poll again: "
          + failed);
      known = List.of();
    }
    List<LateJobs.Sent> again;
    lock.lock();
    try {
      Instant now = settings.clock().instant();
      List<SubmittedJob> settled = new ArrayList<>(known);
      lateJobs.expired(now).stream().filter(job -> !settled.contains(job))
          .forEach(settled::add);
      again = lateJobs.settled(settled, now);
    } finally {
      lock.unlock();
    }
    if (again.isEmpty()) {
      return;
    }
    LOG.log(Level.WARNING, () -> "a bulk job given up on after jobTimeout may have run late;"
        + " writing " + again.size() + " members again with their newest snapshot");
    for (LateJobs.Sent newest : again) {
      try {
        queue(newest.member(), newest.version(), newest.trigger(), newest.profileKey(), null);
      } catch (IllegalStateException closed) {
        return; // closing: nothing more is written
      }
    }
    lock.lock();
    try {
      urgentThrough = buffer.lastSequence(); // already late: they wait for no max delay
    } finally {
      lock.unlock();
    }
  }

  private static ZendeskException unexpected(String doing, Throwable cause) {
    LOG.log(Level.ERROR, "unexpected failure while " + doing + " Zendesk", cause);
    return new ZendeskException("unexpected failure while " + doing + " Zendesk: "
        + cause.getClass().getName() + "; the update may or may not have been applied",
        ZendeskException.Answer.NONE, cause);
  }

  /** The dispatcher cannot go on: fail everything open and refuse new events. */
  private void breakDown(Throwable cause) {
    LOG.log(Level.ERROR, "the ZendeskLoyaltySync dispatcher stopped unexpectedly; failing every"
        + " open update and refusing new events", cause);
    Map<String, List<PendingUpdate>> open;
    lock.lock();
    try {
      broken = cause;
      open = buffer.open();
      jobs.clear();
      lateJobs.clear();
      spaceFreed.signalAll();
    } finally {
      lock.unlock();
    }
    open.forEach((memberId, updates) -> {
      if (completion.failMember(updates, new ZendeskException("ZendeskLoyaltySync stopped after an"
          + " unexpected failure (" + cause.getClass().getName() + "); member " + memberId
          + " was not confirmed. Build a new instance and submit it again.",
          ZendeskException.Answer.NONE, cause))) {
        lock.lock();
        try {
          abandonedMembers.add(memberId);
        } finally {
          lock.unlock();
        }
      }
    });
  }

  // ------------------------------------------------------------------ completion

  /** Puts deferred updates back among the pending ones (see {@link PendingBuffer#requeue}). */
  private void requeue(List<PendingUpdate> deferred) {
    lock.lock();
    try {
      buffer.requeue(deferred);
      wakeDispatcher();
    } finally {
      lock.unlock();
    }
  }

  /** Takes finished updates out of the buffer, and wakes whoever waits for what that frees. */
  private void release(Collection<PendingUpdate> updates) {
    if (updates.isEmpty()) {
      return;
    }
    lock.lock();
    try {
      if (buffer.release(updates)) {
        wakeDispatcher();
      }
      spaceFreed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
