package io.github.zendeskloyalty.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.ZendeskFieldType;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The extension's scopes, run through JUnit's engine test kit: nested classes share the outer
 * fake, instance registration gives each test its own, parallel classes never share one, and
 * every fake is stopped when its scope ends.
 */
class FakeZendeskExtensionTest {

  /** The fakes each scenario's tests saw, by test name. */
  static final Map<String, URI> SEEN = new ConcurrentHashMap<>();

  private static Events run(Map<String, String> configuration, Class<?>... classes) {
    SEEN.clear();
    EngineTestKit.Builder builder = EngineTestKit.engine("junit-jupiter")
        .configurationParameters(configuration);
    for (Class<?> testClass : classes) {
      builder.selectors(selectClass(testClass));
    }
    return builder.execute().testEvents();
  }

  private static boolean listening(URI uri) {
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      return socket.isConnected();
    } catch (IOException refused) {
      return false;
    }
  }

  // ------------------------------------------------------------------ scenarios

  static class StaticWithNested {
    @RegisterExtension
    static FakeZendeskExtension zendesk = new FakeZendeskExtension();

    @Test
    void outer(FakeZendesk fake) {
      SEEN.put("outer", fake.baseUri());
      fake.addUser("Outer", "outer@example.com", null);
    }

    @Nested
    class Inner {
      @BeforeEach
      void before(FakeZendesk fake) {
        SEEN.put("inner-before", fake.baseUri());
      }

      @Test
      void inner(FakeZendesk fake) {
        SEEN.put("inner", fake.baseUri());
        assertThat(fake.users()).as("reset between tests").isEmpty();
      }

      @Nested
      class Deeper {
        @Test
        void deeper(FakeZendesk fake) {
          SEEN.put("deeper", fake.baseUri());
        }
      }
    }
  }

  @ExtendWith(FakeZendeskExtension.class)
  static class ExtendWithPerClass {
    @Test
    void first(FakeZendesk fake) {
      SEEN.put("first", fake.baseUri());
      fake.bulkImport(false);
      fake.addUser("A", "a@example.com", null);
    }

    @Test
    void second(FakeZendesk fake) throws Exception {
      SEEN.put("second", fake.baseUri());
      assertThat(fake.users()).isEmpty();
      assertThat(new Http(fake).send("POST", "/api/v2/users/create_or_update_many",
          "{'users':[{'name':'A','email':'a@example.com'}]}").statusCode()).isEqualTo(200);
    }
  }

  static class InstancePerMethod {
    @RegisterExtension
    FakeZendeskExtension zendesk = new FakeZendeskExtension();

    @Test
    void one(FakeZendesk fake) {
      SEEN.put("one", fake.baseUri());
    }

    @Test
    void two(FakeZendesk fake) {
      SEEN.put("two", fake.baseUri());
    }
  }

  /** Both classes' tests wait for each other, so they truly run at once. */
  static final CountDownLatch BOTH_RUNNING = new CountDownLatch(2);

  @Execution(ExecutionMode.CONCURRENT)
  static class ParallelA {
    @RegisterExtension
    static FakeZendeskExtension zendesk = new FakeZendeskExtension();

    @Test
    void a(FakeZendesk fake) throws Exception {
      SEEN.put("a", fake.baseUri());
      BOTH_RUNNING.countDown();
      assertThat(BOTH_RUNNING.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Execution(ExecutionMode.CONCURRENT)
  static class ParallelB {
    @RegisterExtension
    static FakeZendeskExtension zendesk = new FakeZendeskExtension();

    @Test
    void b(FakeZendesk fake) throws Exception {
      SEEN.put("b", fake.baseUri());
      BOTH_RUNNING.countDown();
      assertThat(BOTH_RUNNING.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Execution(ExecutionMode.CONCURRENT)
  static class ParallelMethods {
    @RegisterExtension
    FakeZendeskExtension zendesk = new FakeZendeskExtension();

    @Test
    void x(FakeZendesk fake) {
      SEEN.put("x", fake.baseUri());
      fake.addUser("X", "same@example.com", null);
    }

    @Test
    void y(FakeZendesk fake) {
      SEEN.put("y", fake.baseUri());
      fake.addUser("Y", "same@example.com", null);
    }
  }

  /** As Spring's {@code @DynamicPropertySource} would: the getter asked before beforeAll. */
  static class GetterBeforeTheExtension {
    @RegisterExtension
    static FakeZendeskExtension zendesk = new FakeZendeskExtension(
        FakeZendesk.builder().provisioned(FieldSchema.standard()));

    static {
      SEEN.put("static-initializer", zendesk.fake().baseUri()); // before any callback
    }

    @Test
    void first(FakeZendesk fake) {
      SEEN.put("first", fake.baseUri());
      assertThat(zendesk.fake()).isSameAs(fake);
      assertThat(fake.userFields()).as("provisioned").hasSize(21);
      fake.addUser("A", "a@example.com", null);
      fake.addUserField("extra", ZendeskFieldType.TEXT, true);
    }

    @Test
    void second(FakeZendesk fake) {
      SEEN.put("second", fake.baseUri());
      assertThat(fake.users()).as("reset").isEmpty();
      assertThat(fake.userFields()).as("provisioned again after the reset, nothing more")
          .hasSize(21);
      assertThat(fake.springBootProperties()).containsExactly(
          Map.entry("zendesk.loyalty.base-uri", fake.baseUri().toString()),
          Map.entry("zendesk.loyalty.oauth.client-id", FakeZendesk.OAUTH_CLIENT_ID),
          Map.entry("zendesk.loyalty.oauth.client-secret", FakeZendesk.OAUTH_CLIENT_SECRET),
          Map.entry("zendesk.loyalty.oauth.scopes", "read,write"));
    }
  }

  // ------------------------------------------------------------------ tests

  @Test
  void theGetterGivesTheClassFakeStartedEarlyWhichTheTestsShareAndWhichStopsAtTheEnd() {
    Events stats = run(Map.of(), GetterBeforeTheExtension.class);

    stats.assertStatistics(statistics -> statistics.succeeded(2).failed(0));
    assertThat(Set.copyOf(SEEN.values())).as("one fake").hasSize(1);
    assertThat(listening(SEEN.get("first"))).as("stopped after the class").isFalse();
  }

  @Test
  void nestedClassesShareTheOuterFakeWhichStopsAtTheEnd() {
    Events stats = run(Map.of(), StaticWithNested.class);

    stats.assertStatistics(statistics -> statistics.succeeded(3).failed(0));
    assertThat(Set.copyOf(SEEN.values())).as("one fake for all").hasSize(1);
    assertThat(listening(SEEN.get("outer"))).as("stopped after the class").isFalse();
  }

  @Test
  void extendWithGivesTheClassOneFakeResetToItsSettingsBeforeEachTest() {
    Events stats = run(Map.of(), ExtendWithPerClass.class);

    stats.assertStatistics(statistics -> statistics.succeeded(2).failed(0));
    assertThat(SEEN.get("first")).isEqualTo(SEEN.get("second"));
    assertThat(listening(SEEN.get("first"))).isFalse();
  }

  @Test
  void instanceRegistrationGivesEachTestItsOwnFake() {
    Events stats = run(Map.of(), InstancePerMethod.class);

    stats.assertStatistics(statistics -> statistics.succeeded(2).failed(0));
    assertThat(SEEN.get("one")).isNotEqualTo(SEEN.get("two"));
    assertThat(SEEN.values()).noneMatch(FakeZendeskExtensionTest::listening);
  }

  @Test
  void parallelClassesAndMethodsNeverShareAFake() {
    Map<String, String> parallel = Map.of(
        "junit.jupiter.execution.parallel.enabled", "true",
        "junit.jupiter.execution.parallel.mode.default", "concurrent",
        "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
        "junit.jupiter.execution.parallel.config.strategy", "fixed",
        "junit.jupiter.execution.parallel.config.fixed.parallelism", "4");

    Events stats = run(parallel, ParallelA.class, ParallelB.class,
        ParallelMethods.class);

    stats.assertStatistics(statistics -> statistics.succeeded(4).failed(0));
    assertThat(Set.copyOf(SEEN.values())).hasSize(4);
    assertThat(SEEN.values()).noneMatch(FakeZendeskExtensionTest::listening);
  }
}
