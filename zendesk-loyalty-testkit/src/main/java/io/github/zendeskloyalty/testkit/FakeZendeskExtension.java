package io.github.zendeskloyalty.testkit;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit Jupiter (6, and 5.9+) support for {@link FakeZendesk}: injects a running fake into test, lifecycle and
 * constructor parameters, resets it before every test, and stops it when its scope ends.
 *
 * <pre>{@code
 * class LoyaltyIT {
 *   @RegisterExtension
 *   static FakeZendeskExtension zendesk = new FakeZendeskExtension(FakeZendesk.builder());
 *
 *   @Test
 *   void syncsPoints(FakeZendesk fake) {
 *     ...
 *     ZendeskAssertions.assertThat(fake).user("jane@example.com")
 *         .hasField("zrl_member_available_points", 1250);
 *   }
 * }
 * }</pre>
 *
 * <p>Scope: registered on a static field or with {@code @ExtendWith}, one fake serves the test
 * class, its {@code @Nested} classes included (they never start a second one); registered on an
 * instance field, each test gets its own fake. The fake lives in JUnit's
 * {@link ExtensionContext.Store}, so it is stopped exactly when its scope ends, and tests running
 * in parallel in different classes, or with instance registration, never share one. Tests that
 * run concurrently within one class share its fake: give them an instance registration instead.
 */
public final class FakeZendeskExtension implements BeforeAllCallback, BeforeEachCallback,
    ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(FakeZendeskExtension.class);

  private final Supplier<FakeZendesk> factory;
  /** The class scope's fake, for {@link #fake()}; the store owns and stops it. */
  private final AtomicReference<Running> classFake = new AtomicReference<>();

  /** An extension for a fake with the defaults. */
  public FakeZendeskExtension() {
    this(FakeZendesk::start);
  }

  /** An extension for a fake configured by the builder, for example with a {@link ManualClock}. */
  public FakeZendeskExtension(FakeZendesk.Builder builder) {
    this(Objects.requireNonNull(builder, "builder")::start);
  }

  private FakeZendeskExtension(Supplier<FakeZendesk> factory) {
    this.factory = factory;
  }

  /** A class scope: start a fake unless an enclosing class already runs one for this extension. */
  @Override
  @SuppressWarnings("deprecation") // JUnit 6's computeIfAbsent is missing from the 5.x we support
  public void beforeAll(ExtensionContext context) {
    context.getStore(NAMESPACE).getOrComputeIfAbsent(this, key -> classFake(), Running.class);
  }

  /**
   * The fake of the test class this extension is registered on (a static field), started if it
   * is not running yet. For set-up that runs outside a test's parameters, such as Spring's
   * {@code @DynamicPropertySource}, which may run before this extension's {@code beforeAll}:
   *
   * <pre>{@code
   * @RegisterExtension
   * static FakeZendeskExtension zendesk = new FakeZendeskExtension(
   *     FakeZendesk.builder().provisioned(FieldSchema.standard()));
   *
   * @DynamicPropertySource
   * static void zendesk(DynamicPropertyRegistry registry) {
   *   zendesk.fake().springBootProperties().forEach((key, value) -> registry.add(key, () -> value));
   * }
   * }</pre>
   *
   * <p>It is stopped when the class's tests end, like the fake given to parameters.
   */
  public FakeZendesk fake() {
    return classFake().fake();
  }

  private Running classFake() {
    return classFake.updateAndGet(running -> running != null ? running
        : new Running(factory.get(), classFake));
  }

  /**
   * A test: use the class's fake, reset to the builder's settings, or start one for this test
   * alone (instance registration).
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    Running existing = context.getStore(NAMESPACE).get(this, Running.class);
    if (existing != null) {
      existing.fake().reset();
    } else {
      fake(context);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == FakeZendesk.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return fake(context);
  }

  /** The fake of this scope or an enclosing one, started in this scope when there is none. */
  @SuppressWarnings("deprecation") // JUnit 6's computeIfAbsent is missing from the 5.x we support
  private FakeZendesk fake(ExtensionContext context) {
    return context.getStore(NAMESPACE)
        .getOrComputeIfAbsent(this, key -> new Running(factory.get(), null), Running.class).fake();
  }

  /** A running fake in JUnit's store, which stops it when its scope ends. */
  @SuppressWarnings("deprecation") // CloseableResource: JUnit 5.9 to 5.12 close nothing else
  private record Running(FakeZendesk fake, AtomicReference<Running> sharedAs)
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {

    @Override
    public void close() {
      if (sharedAs != null) {
        sharedAs.compareAndSet(this, null);
      }
      fake.close();
    }
  }
}
