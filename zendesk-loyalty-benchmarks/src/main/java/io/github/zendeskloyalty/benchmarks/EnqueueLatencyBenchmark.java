package io.github.zendeskloyalty.benchmarks;

import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyEvent;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.MemberStatus;
import io.github.zendeskloyalty.core.SyncTrigger;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import io.github.zendeskloyalty.testkit.ManualClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The SDK's overhead on the caller: the latency of one event accepted by {@code submit} with four
 * threads submitting at once while the dispatcher writes to the fake (JMH's sample mode gives the
 * median, p99.9 and p99.99), and the throughput of mapping a member to its fields on one core.
 * The SDK has its default buffer: the four threads send events faster than two cores write them,
 * so past 500,000 events waiting (ten per member of maxPendingMembers) callers wait for room,
 * which is the far tail (p99.99).
 *
 * <pre>{@code
 * mvn -B -ntp -q -Pbenchmark package -DskipTests -Djmh.args="EnqueueLatency -f 1 -wi 3 -i 5"
 * }</pre>
 */
public class EnqueueLatencyBenchmark {

  /** One SDK for all threads, writing to a fake. */
  @State(Scope.Benchmark)
  public static class Pipeline {
    FakeZendesk fake;
    ZendeskLoyaltySync sync;
    final AtomicLong clock = new AtomicLong();
    final AtomicInteger threads = new AtomicInteger();

    /** Starts the fake and the SDK. */
    @Setup(Level.Trial)
    public void start() {
      ManualClock time = new ManualClock();
      fake = FakeZendesk.builder().clock(time).requestsPerMinute(1_000_000).journalSize(0)
          .writeLogSize(0).start();
      fake.provision(FieldSchema.standard());
      sync = fake.syncBuilder().maxDelay(Duration.ofMillis(20)).build();
    }

    /** Stops both. */
    @TearDown(Level.Trial)
    public void stop() {
      sync.shutdown(Duration.ofSeconds(30));
      fake.close();
    }
  }

  /** A thread's own members, built once: the benchmark measures the SDK, not the builder. */
  @State(Scope.Thread)
  public static class Caller {
    LoyaltyMember[] members;
    int next;

    /** Builds 1,000 members for this thread. */
    @Setup(Level.Trial)
    public void members(Pipeline pipeline) {
      int thread = pipeline.threads.incrementAndGet();
      members = new LoyaltyMember[1_000];
      for (int n = 0; n < members.length; n++) {
        members[n] = LoyaltyMember.builder().memberId("T" + thread + "-M" + n)
            .email("t" + thread + "m" + n + "@example.com").firstName("Member")
            .status(MemberStatus.ACTIVE).availablePoints(BigDecimal.valueOf(n))
            .loyaltyTierName("Silver").build();
      }
    }
  }

  /** One event: validation, identity, coalescing into the pending buffer. */
  @Benchmark
  @Threads(4)
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public CompletableFuture<SyncResult> enqueue(Pipeline pipeline, Caller caller) {
    LoyaltyMember member = caller.members[caller.next++ % caller.members.length];
    return pipeline.sync.submit(new LoyaltyEvent(SyncTrigger.POINTS_AWARDED, member,
        Instant.ofEpochSecond(pipeline.clock.incrementAndGet())));
  }
}
