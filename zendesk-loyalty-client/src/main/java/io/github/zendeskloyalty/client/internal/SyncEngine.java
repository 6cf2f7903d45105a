package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.client.BackpressurePolicy;
import io.github.zendeskloyalty.client.ShutdownReport;
import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.SyncResult.Outcome;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.core.LoyaltyMember;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pending buffer and the dispatcher thread. Events coalesce into one pending update per
 * member (newest snapshot wins); the dispatcher sends a batch when it is full, when its oldest
 * update waited the max delay, or on flush and close; a member is never in two writes at once,
 * so writes of one member reach Zendesk in order. Not part of the API.
 */
public final class SyncEngine {

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.client");

  /** The engine's configuration. */
  public record Settings(int maxBatchSize, Duration maxDelay, int maxPendingMembers,
      BackpressurePolicy backpressure, Duration jobPollInterval, int maxConcurrentJobs,
      int trackedMembers, SyncListener listener) {}

  private final Settings settings;
  private final UserWriter writer;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wakeUp = lock.newCondition();
  private final Condition spaceFreed = lock.newCondition();
  private final Map<String, PendingUpdate> pending = new LinkedHashMap<>();
  private final Map<String, PendingUpdate> inFlight = new LinkedHashMap<>();
  private final Map<String, Instant> newestDispatched;
  private final List<SubmittedJob> jobs = new ArrayList<>();
  private final Thread dispatcher;
  private final CountDownLatch dispatcherDone = new CountDownLatch(1);
  private final Completion completion = new EngineCompletion();
  private long lastSequence;
  private long urgentThrough;
  private long nextPollNanos;
  private boolean closing;
  private int waitingSubmitters;
  private ShutdownReport shutdownReport;

  /** Starts the dispatcher thread. */
  public SyncEngine(Settings settings, UserWriter writer) {
    this.settings = settings;
    this.writer = writer;
    this.newestDispatched = new BoundedMap<>(settings.trackedMembers());
    this.dispatcher = new Thread(this::run, "zendesk-loyalty-dispatcher");
    this.dispatcher.setDaemon(true);
    this.dispatcher.start();
  }

  /**
   * Queues a member snapshot. Completes at once with {@link Outcome#IGNORED_STALE} when a newer
   * snapshot of the member is already pending or sent.
   *
   * @param backpressure overrides the configured policy when not null
   * @throws IllegalStateException when the engine is closed
   */
  public CompletableFuture<SyncResult> submit(LoyaltyMember member, Instant version,
      BackpressurePolicy backpressure) {
    BackpressurePolicy policy = backpressure != null ? backpressure : settings.backpressure();
    CompletableFuture<SyncResult> future = new CompletableFuture<>();
    String memberId = member.memberId();
    lock.lock();
    try {
      while (true) {
        if (closing) {
          throw new IllegalStateException(
              "ZendeskLoyaltySync is closed; no more events can be submitted");
        }
        PendingUpdate existing = pending.get(memberId);
        Instant dispatched = newestDispatched.get(memberId);
        if ((dispatched != null && version.isBefore(dispatched))
            || (existing != null && version.isBefore(existing.version()))) {
          break;
        }
        if (existing != null) {
          existing.replace(member, version);
          existing.futures().add(future);
          return future;
        }
        if (pending.size() < settings.maxPendingMembers()
            || Thread.currentThread() == dispatcher) {
          PendingUpdate update = new PendingUpdate(member, version, ++lastSequence, System.nanoTime());
          update.futures().add(future);
          pending.put(memberId, update);
          if (pending.size() == 1 || pending.size() % settings.maxBatchSize() == 0) {
            wakeUp.signalAll();
          }
          return future;
        }
        if (policy == BackpressurePolicy.FAIL) {
          return CompletableFuture.failedFuture(new RejectedExecutionException(
              "pending buffer is full (" + settings.maxPendingMembers() + " members waiting for"
                  + " Zendesk); member " + memberId + " was not queued. Retry later, or raise"
                  + " maxPendingMembers."));
        }
        waitingSubmitters++;
        wakeUp.signalAll();
        try {
          spaceFreed.await();
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return CompletableFuture.failedFuture(new RejectedExecutionException("interrupted while"
              + " waiting for room in the pending buffer; member " + memberId + " was not queued"));
        } finally {
          waitingSubmitters--;
        }
      }
    } finally {
      lock.unlock();
    }
    SyncResult stale = new SyncResult(memberId, Outcome.IGNORED_STALE, null);
    notifySynced(stale);
    future.complete(stale);
    return future;
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
      urgentThrough = lastSequence;
      pending.values().forEach(update -> settled.add(update.settled()));
      inFlight.values().forEach(update -> settled.add(update.settled()));
      wakeUp.signalAll();
    } finally {
      lock.unlock();
    }
    return CompletableFuture.allOf(settled.toArray(CompletableFuture[]::new));
  }

  /** Members with an update pending or in flight. */
  public int backlog() {
    lock.lock();
    try {
      return pending.size() + inFlight.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops taking events, sends what is pending, and waits up to {@code deadline} for Zendesk to
   * confirm it. What is still unconfirmed then fails and is listed in the report.
   */
  public ShutdownReport shutdown(Duration deadline) {
    lock.lock();
    try {
      if (shutdownReport != null) {
        return shutdownReport;
      }
      closing = true;
      wakeUp.signalAll();
      spaceFreed.signalAll();
    } finally {
      lock.unlock();
    }
    boolean finished = await(deadline);
    if (!finished) {
      dispatcher.interrupt();
      await(Duration.ofSeconds(5));
    }
    List<PendingUpdate> unsent = new ArrayList<>();
    lock.lock();
    try {
      unsent.addAll(inFlight.values());
      unsent.addAll(pending.values());
    } finally {
      lock.unlock();
    }
    List<String> unsentIds = new ArrayList<>();
    for (PendingUpdate update : unsent) {
      unsentIds.add(update.memberId());
      completion.failed(update, new ZendeskException("member " + update.memberId()
          + " was not confirmed by Zendesk before ZendeskLoyaltySync closed (deadline "
          + deadline + "); submit it again after restart."));
    }
    ShutdownReport report = new ShutdownReport(finished, unsentIds);
    if (!unsentIds.isEmpty()) {
      LOG.log(Level.WARNING, () -> "closed with " + unsentIds.size()
          + " member updates Zendesk did not confirm: " + unsentIds);
    }
    lock.lock();
    try {
      shutdownReport = report;
    } finally {
      lock.unlock();
    }
    return report;
  }

  private boolean await(Duration deadline) {
    try {
      return dispatcherDone.await(deadline.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private record Work(List<PendingUpdate> batch, List<SubmittedJob> jobsToPoll) {}

  private void run() {
    try {
      while (true) {
        Work work = nextWork();
        if (work == null) {
          return;
        }
        if (work.batch() != null) {
          send(work.batch());
        } else {
          poll(work.jobsToPoll());
        }
      }
    } catch (InterruptedException interrupted) {
      LOG.log(Level.DEBUG, "dispatcher interrupted by close()");
    } finally {
      dispatcherDone.countDown();
    }
  }

  private Work nextWork() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        long now = System.nanoTime();
        if (jobs.size() < settings.maxConcurrentJobs()) {
          List<PendingUpdate> batch = takeBatch(now);
          if (batch != null) {
            return new Work(batch, null);
          }
        }
        if (!jobs.isEmpty() && now - nextPollNanos >= 0) {
          return new Work(null, List.copyOf(jobs));
        }
        if (closing && pending.isEmpty() && jobs.isEmpty()) {
          return null;
        }
        long wait = Long.MAX_VALUE;
        if (!jobs.isEmpty()) {
          wait = nextPollNanos - now;
        }
        PendingUpdate oldest = oldestDispatchable();
        if (oldest != null && jobs.size() < settings.maxConcurrentJobs()) {
          wait = Math.min(wait, oldest.queuedAtNanos() + settings.maxDelay().toNanos() - now);
        }
        if (wait == Long.MAX_VALUE) {
          wakeUp.await();
        } else if (wait > 0) {
          wakeUp.awaitNanos(wait);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private PendingUpdate oldestDispatchable() {
    for (PendingUpdate update : pending.values()) {
      if (!inFlight.containsKey(update.memberId())) {
        return update;
      }
    }
    return null;
  }

  private List<PendingUpdate> takeBatch(long now) {
    List<PendingUpdate> batch = new ArrayList<>();
    for (PendingUpdate update : pending.values()) {
      if (!inFlight.containsKey(update.memberId())) {
        batch.add(update);
        if (batch.size() == settings.maxBatchSize()) {
          break;
        }
      }
    }
    if (batch.isEmpty()) {
      return null;
    }
    PendingUpdate oldest = batch.get(0);
    boolean due = batch.size() == settings.maxBatchSize() || closing || waitingSubmitters > 0
        || pending.size() >= settings.maxPendingMembers()
        || oldest.sequence() <= urgentThrough
        || now - oldest.queuedAtNanos() >= settings.maxDelay().toNanos();
    if (!due) {
      return null;
    }
    for (PendingUpdate update : batch) {
      pending.remove(update.memberId());
      inFlight.put(update.memberId(), update);
      newestDispatched.put(update.memberId(), update.version());
    }
    spaceFreed.signalAll();
    return batch;
  }

  private void send(List<PendingUpdate> batch) throws InterruptedException {
    List<SubmittedJob> submitted;
    try {
      submitted = writer.write(batch, completion);
    } catch (ZendeskException failure) {
      batch.forEach(update -> completion.failed(update, failure));
      return;
    } catch (RuntimeException bug) {
      LOG.log(Level.ERROR, "unexpected failure while writing to Zendesk", bug);
      ZendeskException failure = new ZendeskException("unexpected failure while writing to"
          + " Zendesk: " + bug.getClass().getName(), ZendeskException.NO_STATUS, null, Map.of(),
          null, bug);
      batch.forEach(update -> completion.failed(update, failure));
      return;
    }
    if (!submitted.isEmpty()) {
      lock.lock();
      try {
        long pollAt = System.nanoTime() + settings.jobPollInterval().toNanos();
        if (jobs.isEmpty() || pollAt - nextPollNanos < 0) {
          nextPollNanos = pollAt;
        }
        jobs.addAll(submitted);
      } finally {
        lock.unlock();
      }
    }
  }

  private void poll(List<SubmittedJob> toPoll) throws InterruptedException {
    List<SubmittedJob> ended = new ArrayList<>();
    try {
      ended.addAll(writer.poll(toPoll, completion));
    } catch (ZendeskException failure) {
      LOG.log(Level.WARNING, () -> "polling bulk jobs failed; will poll again: "
          + failure.getMessage());
      for (SubmittedJob job : toPoll) {
        if (writer.isPastTimeout(job)) {
          writer.failRest(job, writer.jobTimeout(job), completion);
          ended.add(job);
        }
      }
    }
    lock.lock();
    try {
      jobs.removeAll(ended);
      nextPollNanos = System.nanoTime() + settings.jobPollInterval().toNanos();
    } finally {
      lock.unlock();
    }
  }

  private void notifySynced(SyncResult result) {
    try {
      settings.listener().onSynced(result);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "SyncListener.onSynced threw", e);
    }
  }

  private final class EngineCompletion implements Completion {

    @Override
    public void succeeded(PendingUpdate update, Outcome outcome, Long zendeskUserId) {
      if (!update.finish()) {
        return;
      }
      release(update, false);
      SyncResult result = new SyncResult(update.memberId(), outcome, zendeskUserId);
      notifySynced(result);
      update.futures().forEach(future -> future.complete(result));
      update.settled().complete(null);
    }

    @Override
    public void failed(PendingUpdate update, ZendeskException failure) {
      if (!update.finish()) {
        return;
      }
      release(update, true);
      LOG.log(Level.WARNING, () -> "member " + update.memberId() + " not synced: "
          + failure.getMessage());
      try {
        settings.listener().onFailed(update.memberId(), failure);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "SyncListener.onFailed threw", e);
      }
      update.futures().forEach(future -> future.completeExceptionally(failure));
      update.settled().complete(null);
    }

    private void release(PendingUpdate update, boolean failed) {
      lock.lock();
      try {
        inFlight.remove(update.memberId(), update);
        pending.remove(update.memberId(), update);
        if (failed) {
          newestDispatched.remove(update.memberId(), update.version());
        }
        wakeUp.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }
}
