package io.github.zendeskloyalty.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.MemberStatus;
import io.github.zendeskloyalty.core.SyncTrigger;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import io.github.zendeskloyalty.testkit.ManualClock;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * How many events per second {@code onPointsChanged} accepts while the SDK writes to the
 * embedded fake (HTTP on loopback, bulk jobs, job polling), and how costly the field mapping and
 * a member's JSON are.
 *
 * <pre>{@code
 * mvn -B -ntp -q -Pbenchmark package -DskipTests
 * }</pre>
 */
public class SyncBenchmark {

  /** The client's settings for request bodies: java.time values as ISO-8601 text. */
  private static final ObjectMapper JSON = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .build();

  /** One SDK against one fake, for the whole run. */
  @State(Scope.Benchmark)
  public static class Pipeline {

    /** Distinct members the events fall on. */
    @Param({"1000"})
    public int members;

    FakeZendesk fake;
    ZendeskLoyaltySync sync;
    LoyaltyMember[] snapshots;
    long event;

    /** Starts the fake and the SDK. */
    @Setup(Level.Trial)
    public void start() {
      ManualClock time = new ManualClock();
      fake = FakeZendesk.builder().clock(time).requestsPerMinute(1_000_000).start();
      fake.provision(FieldSchema.standard());
      sync = ZendeskLoyaltySync.builder()
          .baseUri(fake.baseUri()).credentials(fake.credentials())
          .clock(time).sleeper(time)
          .maxDelay(Duration.ofMillis(50))
          .jobPollInterval(Duration.ofMillis(5))
          .maxPendingMembers(members)
          .build();
      snapshots = new LoyaltyMember[members];
      for (int n = 0; n < members; n++) {
        snapshots[n] = LoyaltyMember.builder()
            .memberId("M-" + n).email("member" + n + "@example.com")
            .firstName("Member").lastName(String.valueOf(n)).status(MemberStatus.ACTIVE)
            .availablePoints(BigDecimal.ZERO).loyaltyTierName("Silver")
            .referralUrl(URI.create("https://loyalty.example.com/r/" + n))
            .lastModifiedDate(Instant.EPOCH).build();
      }
    }

    /** Sends what is left and stops. */
    @TearDown(Level.Trial)
    public void stop() {
      sync.close();
      fake.close();
    }
  }

  /**
   * One points event for a member, round robin over 1,000 members: how many events per second
   * the SDK accepts from callers (validation, coalescing, back-pressure) while its dispatcher
   * writes the coalesced snapshots to the fake in the background.
   */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public CompletableFuture<SyncResult> pointsEvent(Pipeline pipeline) {
    long event = ++pipeline.event;
    int n = (int) (event % pipeline.members);
    LoyaltyMember next = pipeline.snapshots[n].toBuilder()
        .availablePoints(BigDecimal.valueOf(event))
        .lastModifiedDate(Instant.ofEpochSecond(event))
        .build();
    pipeline.snapshots[n] = next;
    return pipeline.sync.onPointsChanged(next, SyncTrigger.POINTS_AWARDED);
  }

  /** A member to map. */
  @State(Scope.Thread)
  public static class Member {
    final LoyaltyMember member = LoyaltyMember.builder()
        .memberId("M-1").email("jane@example.com").firstName("Jane").lastName("Doe")
        .status(MemberStatus.ACTIVE).availablePoints(new BigDecimal("1250.50"))
        .numberOfPurchases(12).numberOfRedemptions(3)
        .lifetimePointsEarned(new BigDecimal("5000")).qualifiedPoints(new BigDecimal("4200"))
        .enrollmentDate(Instant.parse("2024-02-29T23:30:00Z"))
        .lastModifiedDate(Instant.parse("2026-11-24T10:15:30Z"))
        .referralUrl(URI.create("https://loyalty.example.com/r/JANE10"))
        .loyaltyTierName("Gold").loyaltyTierId("tier_gold").build();
  }

  /** Mapping one member to its 21 JSON-ready user-field values. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public Map<String, Object> userFields(Member state) {
    return FieldSchema.standard().userFields(state.member);
  }

  /**
   * A member to its user object in a bulk body, as JSON bytes: the field mapping and Jackson's
   * writing together, what each member of a {@code create_or_update_many} costs the SDK.
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public byte[] memberJson(Member state) throws JsonProcessingException {
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("email", state.member.email());
    user.put("name", state.member.firstName() + " " + state.member.lastName());
    user.put("skip_verify_email", true);
    user.put("user_fields", FieldSchema.standard().userFields(state.member));
    return JSON.writeValueAsBytes(user);
  }
}
