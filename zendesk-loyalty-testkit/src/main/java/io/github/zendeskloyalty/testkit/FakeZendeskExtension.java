package io.github.zendeskloyalty.testkit;

import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 support for {@link FakeZendesk}: starts one fake for the test class (or per test when
 * registered on an instance field), resets it after every test, stops it at the end, and injects
 * it into test and lifecycle method parameters.
 *
 * <pre>{@code
 * class LoyaltyIT {
 *   @RegisterExtension
 *   static FakeZendeskExtension zendesk = new FakeZendeskExtension();
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
 * <p>{@code @ExtendWith(FakeZendeskExtension.class)} works too, with parameter injection.
 */
public final class FakeZendeskExtension implements BeforeAllCallback, BeforeEachCallback,
    AfterEachCallback, AfterAllCallback, ParameterResolver {

  private final Supplier<FakeZendesk> factory;
  private FakeZendesk fake;
  private boolean perClass;

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

  /** The running fake. */
  public FakeZendesk fake() {
    if (fake == null) {
      throw new IllegalStateException("the fake starts before the first test; it is not running");
    }
    return fake;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    perClass = true;
    fake = factory.get();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (fake == null) {
      fake = factory.get();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (perClass) {
      fake.reset();
    } else {
      fake.close();
      fake = null;
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (fake != null) {
      fake.close();
      fake = null;
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == FakeZendesk.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (fake == null) {
      fake = factory.get();
    }
    return fake;
  }
}
