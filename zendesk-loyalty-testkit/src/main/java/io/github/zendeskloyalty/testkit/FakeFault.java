package io.github.zendeskloyalty.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * What goes wrong with a request, from a closed vocabulary: an HTTP status, a 429 without
 * {@code Retry-After}, {@code TooManyJobs}, a connection reset, a delay, or a 2xx answer whose
 * body is garbled after the request was applied. For bulk jobs that go wrong, see
 * {@link FakeJobFault}.
 *
 * <pre>{@code
 * fake.failNext(3, FakeEndpoint.ANY, FakeFault.status(503));
 * fake.failNext(1, FakeEndpoint.CREATE_OR_UPDATE_USER, FakeFault.tooManyRequests(Duration.ofSeconds(30)));
 * fake.failNext(1, FakeEndpoint.SEARCH_USERS, FakeFault.connectionReset());
 * fake.failNext(1, FakeEndpoint.CREATE_OR_UPDATE_USER, FakeFault.garbledAnswer(FakeFault.Garbling.HTML));
 * }</pre>
 */
public sealed interface FakeFault {

  /** How a garbled answer's body looks. */
  enum Garbling {
    /** An HTML page, as a proxy or a CDN answers. */
    HTML,
    /** No body at all. */
    EMPTY,
    /** The first half of the real JSON answer, as a dropped connection leaves it. */
    TRUNCATED
  }

  /** Answer with this status and Zendesk's body for it; 429 and 503 carry {@code retryAfter} when set. */
  record Status(int code, Duration retryAfter) implements FakeFault {
    /** Checks the status is an error and the wait is not negative. */
    public Status {
      if (code < 400 || code > 599) {
        throw new IllegalArgumentException("fault status must be between 400 and 599: " + code);
      }
      if (retryAfter != null && retryAfter.isNegative()) {
        throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
      }
    }
  }

  /** A 429 with a plain-text body and no {@code Retry-After}, as Zendesk's per-user limit was seen answering. */
  record TooManyRequestsWithoutRetryAfter() implements FakeFault {}

  /** A 429 {@code TooManyJobs}, as when 30 jobs are queued or running; nothing is applied. */
  record TooManyJobs() implements FakeFault {}

  /**
   * The request is applied, but the answer is a 2xx whose body is not what Zendesk sends: the
   * client cannot know what happened.
   */
  record GarbledAnswer(Garbling garbling) implements FakeFault {
    /** Checks the garbling. */
    public GarbledAnswer {
      Objects.requireNonNull(garbling, "garbling");
    }
  }

  /** The connection is reset without an answer. */
  record ConnectionReset() implements FakeFault {}

  /** The normal answer (the request applied), after a real delay, for client timeouts. */
  record Delay(Duration delay) implements FakeFault {
    /** Checks the delay. */
    public Delay {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative: " + delay);
      }
    }
  }

  /** An error status without {@code Retry-After}. */
  static FakeFault status(int code) {
    return new Status(code, null);
  }

  /** A 429 with {@code Retry-After}. */
  static FakeFault tooManyRequests(Duration retryAfter) {
    return new Status(429, Objects.requireNonNull(retryAfter, "retryAfter"));
  }

  /** A 429 with no {@code Retry-After} and a plain-text body. */
  static FakeFault tooManyRequestsWithoutRetryAfter() {
    return new TooManyRequestsWithoutRetryAfter();
  }

  /** A 429 {@code TooManyJobs}. */
  static FakeFault tooManyJobs() {
    return new TooManyJobs();
  }

  /** The request applied, and a 2xx answer garbled. */
  static FakeFault garbledAnswer(Garbling garbling) {
    return new GarbledAnswer(garbling);
  }

  /** A connection reset. */
  static FakeFault connectionReset() {
    return new ConnectionReset();
  }

  /** The normal answer after a real delay. */
  static FakeFault delay(Duration delay) {
    return new Delay(delay);
  }
}
