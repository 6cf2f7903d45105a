package io.github.zendeskloyalty.kafka.internal;

import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.kafka.KafkaIntakeListener;
import io.github.zendeskloyalty.kafka.KafkaIntakeStatus;
import io.github.zendeskloyalty.kafka.LoyaltyEventDecoder;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * The intake's thread: runs an {@link IntakeLoop} and, when one stops on a failure, says so at
 * once (status {@code STOPPED} with the reason and what to do, the listeners, one ERROR line)
 * and starts a new one with a new consumer after a backoff, until closed. Whatever the failed
 * loop had not committed is read again by the next: nothing is skipped. Not part of the API.
 */
public final class IntakeSupervisor implements Runnable {

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.kafka");
  /** How often a wait for the restart looks at the clock (and at a close). */
  private static final long WAIT_STEP_MILLIS = 10;

  /** The intake's configuration. */
  public record Settings(List<String> topics, ZendeskLoyaltySync sync, LoyaltyEventDecoder decoder,
      String deadLetterTopic, Duration commitInterval, Duration firstRetry, Duration lastRetry,
      int maxOpenRecords, int maxHeldMembers, Duration settleTimeout,
      List<KafkaIntakeListener> listeners, Clock clock) {}

  private final Supplier<org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>> consumers;
  private final Supplier<Producer<byte[], byte[]>> deadLetterProducers;
  private final Settings settings;
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Object lock = new Object();
  private boolean closing;
  private IntakeLoop current;
  private volatile KafkaIntakeStatus stoppedStatus;

  /**
   * A supervisor that makes each loop's consumer with {@code consumers} (the first call may hand
   * back one made already) and its dead-letter producer, when first needed, with
   * {@code deadLetterProducers}.
   */
  public IntakeSupervisor(Supplier<org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>>
      consumers, Supplier<Producer<byte[], byte[]>> deadLetterProducers, Settings settings) {
    this.consumers = consumers;
    this.deadLetterProducers = deadLetterProducers;
    this.settings = settings;
  }

  /** Where the intake stands: the running loop's status, or why it stopped. */
  public KafkaIntakeStatus status() {
    KafkaIntakeStatus stopped = stoppedStatus;
    if (stopped != null) {
      return stopped;
    }
    synchronized (lock) {
      return current == null ? KafkaIntakeStatus.STARTING : current.status();
    }
  }

  @Override
  public void run() {
    int failures = 0;
    try {
      while (true) {
        IntakeLoop loop;
        Throwable failure;
        long started = settings.clock().millis();
        try {
          loop = new IntakeLoop(consumers.get(), deadLetterProducers, settings);
          synchronized (lock) {
            current = loop;
            if (closing) {
              loop.stop(); // it closes its consumer at once
            }
          }
          stoppedStatus = null;
          failure = loop.run();
        } catch (RuntimeException | Error notStarted) { // the consumer could not be made
          loop = null;
          failure = notStarted;
        }
        synchronized (lock) {
          if (closing || failure == null) {
            break;
          }
        }
        boolean ranAWhile = loop != null && loop.hasPolled()
            && settings.clock().millis() - started >= settings.lastRetry().toMillis();
        failures = ranAWhile ? 1 : failures + 1;
        long delay = Math.min(settings.lastRetry().toMillis(),
            settings.firstRetry().toMillis() << Math.min(20, failures - 1));
        stopped(failure, delay, failures);
        if (!waitUntil(settings.clock().millis() + delay)) {
          break;
        }
      }
    } finally {
      stoppedStatus = new KafkaIntakeStatus(KafkaIntakeStatus.State.CLOSED, 0, 0, 0, 0,
          List.of(), Optional.empty());
      finished.countDown();
    }
  }

  /** Says at once that the loop stopped, why, and what happens next. */
  private void stopped(Throwable failure, long delayMillis, int failures) {
    String problem = "the Kafka intake stopped: " + failure.getClass().getSimpleName()
        + (failure.getMessage() == null ? "" : ": " + DeadLetterWriter.mask(failure.getMessage()))
        + "; records not committed will be read again; it restarts in "
        + Duration.ofMillis(delayMillis).toString().substring(2).toLowerCase()
        + (failures > 1 ? " (restart " + failures + ")" : "") + "; " + advice(failure);
    KafkaIntakeStatus stopped = new KafkaIntakeStatus(KafkaIntakeStatus.State.STOPPED, 0, 0, 0, 0,
        List.of(), Optional.of(problem));
    stoppedStatus = stopped;
    LOG.log(failures == 1 ? Level.ERROR : Level.WARNING, problem, failure);
    tell(settings.listeners(), listener -> listener.onStatus(stopped));
    tell(settings.listeners(), listener -> listener.onStopped(stopped, failure));
  }

  private String advice(Throwable failure) {
    if (failure instanceof AuthorizationException) {
      return "grant this client READ on topics " + settings.topics() + " and on its consumer"
          + " group";
    }
    if (failure instanceof AuthenticationException) {
      return "check the consumer's security settings (sasl.*, ssl.*)";
    }
    if (failure instanceof Error) {
      return "the JVM is in trouble (" + failure.getClass().getSimpleName() + "): check its"
          + " memory and threads";
    }
    return "if it stops again, check the brokers and the consumer's configuration";
  }

  /** Waits for the restart on the intake's clock; false when closed meanwhile. */
  private boolean waitUntil(long dueMillis) {
    try {
      while (settings.clock().millis() < dueMillis) {
        if (finished.getCount() == 0 || closingNow()) {
          return false;
        }
        synchronized (lock) {
          lock.wait(WAIT_STEP_MILLIS);
        }
      }
      return !closingNow();
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private boolean closingNow() {
    synchronized (lock) {
      return closing;
    }
  }

  /**
   * Stops the running loop (which settles and commits what it can within the settle timeout)
   * and waits for the thread to end.
   *
   * @return whether it ended within {@code timeout}
   */
  public boolean stop(Duration timeout) throws InterruptedException {
    synchronized (lock) {
      closing = true;
      if (current != null) {
        try {
          current.stop();
        } catch (RuntimeException alreadyClosed) { // the loop ended meanwhile
          LOG.log(Level.DEBUG, "the intake's loop had ended", alreadyClosed);
        }
      }
      lock.notifyAll();
    }
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Calls each listener; one that throws is logged, never stops the intake or the others. */
  static void tell(List<KafkaIntakeListener> listeners, Consumer<KafkaIntakeListener> call) {
    for (KafkaIntakeListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (Throwable failure) { // an Error of a listener's too: it settles nothing
        LOG.log(Level.WARNING, "a KafkaIntakeListener threw; the intake goes on", failure);
      }
    }
  }
}
