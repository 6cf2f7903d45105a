package io.github.zendeskloyalty.client.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.zendeskloyalty.client.SharedDeliveries;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The agent actions' outbox: each goodwill note decided is kept in the {@link SharedDeliveries}
 * before Zendesk is answered, written to its ticket (with the goodwill field cleared in the same
 * update), and removed only once written; one Zendesk refused is retried with backoff, by
 * whichever instance gets to it first (each attempt claimed once across instances), until it is
 * written or its two days pass. While a ticket's note is pending, its {@link #ticketKey} stays
 * claimed, so a trigger firing again for that ticket (its field still set) is a duplicate, and
 * repairs the note instead of granting again. Not part of the API.
 */
public final class PendingNotes implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.client");
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  /** How long a note (and its ticket's claim) is kept: as long as a delivery is remembered. */
  public static final Duration KEPT = Duration.ofDays(2);
  /** A grant being decided is noted "outcome unknown" if its instance has not decided by then. */
  static final Duration DECIDING = Duration.ofMinutes(10);
  /** How long one instance's attempt is its own: another takes it over after that. */
  static final Duration ATTEMPT_LEASE = Duration.ofMinutes(5);
  static final Duration FIRST_RETRY = Duration.ofSeconds(30);
  static final Duration LONGEST_RETRY = Duration.ofMinutes(30);

  /**
   * One note to write.
   *
   * @param grant the grant's id (the delivery's invocation)
   * @param write this note's own id (a grant noted twice, waiting then approved, has two)
   * @param deciding true while the grant is being decided (the note then says "unknown")
   * @param written true once the note is on the ticket but its ticket's claim is not released
   * @param attempt how many attempts failed
   * @param dueMillis when the next attempt is due (epoch ms, the injected clock)
   * @param keptUntilMillis when it is given up (epoch ms)
   */
  record Entry(String grant, String write, long ticket, String note, boolean deciding,
      boolean written, int attempt,
      long dueMillis, long keptUntilMillis) {

    String json() {
      try {
        return JSON.writeValueAsString(this);
      } catch (IOException cannotHappen) { // strings, numbers and a boolean
        throw new IllegalStateException("could not write a pending note as JSON", cannotHappen);
      }
    }

    static Entry read(String json) {
      try {
        Entry entry = JSON.readValue(json, Entry.class);
        if (entry.grant() == null || entry.write() == null || entry.note() == null) {
          throw new IOException("no grant, write or note");
        }
        return entry;
      } catch (IOException | RuntimeException unreadable) {
        throw new IllegalStateException("a pending goodwill note in SharedDeliveries is"
            + " unreadable (" + unreadable.getClass().getSimpleName() + ")");
      }
    }
  }

  /** An entry and the store it is kept in (the shared one, or this instance's own). */
  private record Kept(Entry entry, String json, SharedDeliveries store) {}

  /** A grant being decided, as {@link #deciding} kept it: its decision replaces it there. */
  public static final class Decision {
    private final Kept kept;

    private Decision(Kept kept) {
      this.kept = kept;
    }
  }

  private final SharedDeliveries shared;
  private final SharedDeliveries own;
  private final TicketNotes tickets;
  private final long clearedField;
  private final Clock clock;
  private final Duration firstWait;
  private final ExecutorService writers;
  private final ScheduledExecutorService repairs;
  private final Consumer<String> attempts;

  /**
   * @param firstWait how long a decision waits for its note's first attempt before answering
   * @param repairEvery how often the pending notes are looked at; zero: never by itself (call
   *     {@link #repairDue})
   * @param attempts hears how each attempt ended: {@code written}, {@code retried} or
   *     {@code abandoned}
   */
  public PendingNotes(SharedDeliveries shared, SharedDeliveries own, TicketNotes tickets,
      long clearedField, Clock clock, Duration firstWait, Duration repairEvery,
      Consumer<String> attempts) {
    this.attempts = attempts;
    this.shared = shared;
    this.own = own;
    this.tickets = tickets;
    this.clearedField = clearedField;
    this.clock = clock;
    this.firstWait = firstWait;
    ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(1_000), daemon("zendesk-loyalty-notes"));
    pool.allowCoreThreadTimeOut(true); // an idle receiver holds no thread
    this.writers = pool;
    if (repairEvery.isZero()) {
      this.repairs = null;
    } else {
      ScheduledThreadPoolExecutor ticker = new ScheduledThreadPoolExecutor(1,
          daemon("zendesk-loyalty-note-repairs"));
      ticker.scheduleWithFixedDelay(this::repairQuietly, repairEvery.toMillis(),
          repairEvery.toMillis(), TimeUnit.MILLISECONDS);
      this.repairs = ticker;
    }
  }

  /** The claim a ticket holds while its note is pending. */
  public static String ticketKey(long ticketId) {
    return "ticket:" + ticketId;
  }

  /**
   * Keeps, before a grant is decided, the note to write if this instance stops before deciding
   * it (the outcome then unknown): written by another instance after {@link #DECIDING}.
   */
  public Decision deciding(String grant, long ticket, String unknownNote) {
    Instant now = clock.instant();
    return new Decision(put(new Entry(grant, UUID.randomUUID().toString(), ticket,
        unknownNote, true, false, 0,
        now.plus(DECIDING).toEpochMilli(), now.plus(KEPT).toEpochMilli()), null));
  }

  /**
   * Keeps the decided note, then makes its first attempt, waiting for it at most the first
   * wait (the attempt goes on after that, and a failed one is retried later).
   *
   * @return whether the note is on the ticket now
   */
  public boolean decided(Decision decision, String note) throws InterruptedException {
    Instant now = clock.instant();
    Entry deciding = decision.kept.entry();
    Kept kept = put(new Entry(deciding.grant(), deciding.write(), deciding.ticket(), note,
        false, false, 0,
        now.plus(FIRST_RETRY).toEpochMilli(), now.plus(KEPT).toEpochMilli()),
        decision.kept.store());
    Future<Boolean> first;
    try {
      first = writers.submit(() -> attempt(kept));
    } catch (RejectedExecutionException busy) {
      return false; // a thousand notes queued: this one waits for its retry
    }
    try {
      return first.get(firstWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException slow) {
      return false;
    } catch (java.util.concurrent.ExecutionException cannotHappen) {
      return false; // attempt() catches what the write throws
    }
  }

  /** Forgets a grant's note (a delivery answered "retry": Zendesk's next delivery decides it). */
  public void forget(Decision decision) {
    Kept kept = decision.kept;
    try {
      kept.store().removePendingNote(kept.entry().grant(), kept.json());
    } catch (Exception | LinkageError storeDown) {
      LOG.log(Level.WARNING, "could not forget the pending goodwill note on ticket "
          + kept.entry().ticket() + "; it is written as \"outcome unknown\" in "
          + DECIDING.toMinutes() + " minutes: " + storeDown.getClass().getSimpleName());
    }
  }

  /**
   * A trigger fired again for a ticket whose note is pending: its note is attempted now, on a
   * writer thread, whatever its backoff (unless its grant is still being decided).
   */
  public void repairTicket(long ticket) {
    for (Kept kept : pending()) {
      if (kept.entry().ticket() == ticket && !kept.entry().deciding()) {
        try {
          writers.execute(() -> attempt(kept));
        } catch (RejectedExecutionException busy) {
          return; // its retry comes
        }
      }
    }
  }

  /**
   * Attempts every note due, here and in the shared store; a note whose deciding instance has
   * not decided in {@link #DECIDING} is written as "unknown".
   *
   * @return how many notes were written
   */
  public int repairDue() {
    long now = clock.millis();
    int written = 0;
    for (Kept kept : pending()) {
      if (kept.entry().dueMillis() <= now && attempt(kept)) {
        written++;
      }
    }
    return written;
  }

  /** The notes pending in the shared store and in this instance's own; unreadable ones logged. */
  private List<Kept> pending() {
    List<Kept> pending = new ArrayList<>();
    for (SharedDeliveries store : List.of(shared, own)) {
      List<String> notes;
      try {
        notes = store.pendingNotes(clock.instant());
      } catch (Exception | LinkageError storeDown) {
        LOG.log(Level.WARNING, "SharedDeliveries failed; the goodwill notes pending there wait"
            + " until it answers", storeDown);
        continue;
      }
      for (String json : notes) {
        try {
          pending.add(new Kept(Entry.read(json), json, store));
        } catch (IllegalStateException unreadable) {
          LOG.log(Level.WARNING, unreadable.getMessage());
        }
      }
    }
    return pending;
  }

  /**
   * One attempt, claimed once across instances: written → removed and the ticket released;
   * failed → kept with the next attempt's time, or given up once its days pass.
   */
  private boolean attempt(Kept kept) {
    Entry entry = kept.entry();
    Instant now = clock.instant();
    try {
      if (!kept.store().claim(List.of("note:" + entry.write() + "#" + entry.attempt()), now,
          now.plus(ATTEMPT_LEASE))) {
        return false; // another instance (or thread) makes this attempt
      }
    } catch (Exception | LinkageError storeDown) {
      return false; // the note waits for the store
    }
    if (!entry.written()) {
      try {
        tickets.note(entry.ticket(), entry.note(), clearedField);
      } catch (InterruptedException stopped) {
        Thread.currentThread().interrupt();
        return false;
      } catch (Exception | LinkageError failed) {
        attempts.accept(retryLater(kept, now, failed) ? "retried" : "abandoned");
        return false;
      }
      attempts.accept("written");
    }
    try {
      for (SharedDeliveries store : List.of(shared, own)) { // the claim is where it was taken
        store.release(List.of(ticketKey(entry.ticket())));
      }
    } catch (Exception | LinkageError storeDown) {
      // the note stays pending as written: its next attempt only releases the ticket
      LOG.log(Level.WARNING, "SharedDeliveries failed to release ticket " + entry.ticket()
          + " after its goodwill note; released on a later attempt", storeDown);
      Entry released = new Entry(entry.grant(), entry.write(), entry.ticket(), entry.note(),
          false, true, entry.attempt() + 1, now.plus(FIRST_RETRY).toEpochMilli(),
          entry.keptUntilMillis());
      try {
        kept.store().putPendingNote(entry.grant(), released.json(), now,
            Instant.ofEpochMilli(entry.keptUntilMillis()));
      } catch (Exception | LinkageError stillDown) {
        own.putPendingNote(entry.grant(), released.json(), now,
            Instant.ofEpochMilli(entry.keptUntilMillis()));
      }
      return !entry.written();
    }
    try {
      kept.store().removePendingNote(entry.grant(), kept.json());
    } catch (Exception | LinkageError storeDown) {
      LOG.log(Level.WARNING, "the goodwill note on ticket " + entry.ticket() + " is written but"
          + " SharedDeliveries failed to forget it; it may be written once more", storeDown);
    }
    return !entry.written();
  }

  /** Keeps the note for its next attempt; false when its days are over (given up). */
  private boolean retryLater(Kept kept, Instant now, Throwable failed) {
    Entry entry = kept.entry();
    long backoff = Math.min(LONGEST_RETRY.toMillis(),
        FIRST_RETRY.toMillis() << Math.min(entry.attempt(), 16));
    long due = now.toEpochMilli() + backoff;
    if (due >= entry.keptUntilMillis()) {
      LOG.log(Level.WARNING, "gave up the goodwill note on ticket " + entry.ticket() + " after "
          + (entry.attempt() + 1) + " attempts (" + failed.getClass().getSimpleName() + "); its"
          + " goodwill field is still set");
      try {
        kept.store().removePendingNote(entry.grant(), kept.json());
      } catch (Exception | LinkageError storeDown) {
        // it expires with its days
      }
      return false;
    }
    LOG.log(Level.WARNING, "could not leave the goodwill note on ticket " + entry.ticket()
        + " (attempt " + (entry.attempt() + 1) + ", " + failed.getClass().getSimpleName()
        + "); retried in " + Duration.ofMillis(backoff).toSeconds() + " s");
    Entry next = new Entry(entry.grant(), entry.write(), entry.ticket(), entry.note(), false,
        false, entry.attempt() + 1, due, entry.keptUntilMillis());
    try {
      kept.store().putPendingNote(entry.grant(), next.json(), now,
          Instant.ofEpochMilli(entry.keptUntilMillis()));
    } catch (Exception | LinkageError storeDown) {
      own.putPendingNote(entry.grant(), next.json(), now,
          Instant.ofEpochMilli(entry.keptUntilMillis()));
    }
    return true;
  }

  /**
   * Keeps an entry in {@code store} (where its decision was kept), else where every instance
   * finds it; while that fails, here (after a warning).
   */
  private Kept put(Entry entry, SharedDeliveries store) {
    Instant now = clock.instant();
    Instant until = Instant.ofEpochMilli(entry.keptUntilMillis());
    String json = entry.json();
    SharedDeliveries where = store != null ? store : shared;
    try {
      where.putPendingNote(entry.grant(), json, now, until);
      return new Kept(entry, json, where);
    } catch (Exception | LinkageError storeDown) {
      LOG.log(Level.WARNING, "SharedDeliveries failed; the goodwill note of ticket "
          + entry.ticket() + " is kept by this instance alone (lost if it restarts)", storeDown);
      own.putPendingNote(entry.grant(), json, now, until);
      return new Kept(entry, json, own);
    }
  }

  private void repairQuietly() {
    try {
      repairDue();
    } catch (Exception | Error bug) { // thrown out, it would end the repeating task for good
      LOG.log(Level.WARNING, "repairing the pending goodwill notes failed", bug);
    }
  }

  /** Stops the writer and repair threads; pending notes stay in the store for another instance. */
  @Override
  public void close() {
    writers.shutdownNow();
    if (repairs != null) {
      repairs.shutdownNow();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return work -> {
      Thread thread = new Thread(work, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
