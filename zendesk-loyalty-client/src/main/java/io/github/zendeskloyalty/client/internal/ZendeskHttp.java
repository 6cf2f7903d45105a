package io.github.zendeskloyalty.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.zendeskloyalty.client.RetryPolicy;
import io.github.zendeskloyalty.client.Sleeper;
import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.ZendeskAuthenticationException;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskOperation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Makes one Zendesk call: authentication, User-Agent, the account budget, Zendesk's single-user
 * limits, retries with backoff and Retry-After, typed errors. Thread-safe. Not part of the API.
 */
final class ZendeskHttp {

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.client");

  /** The User-Agent sent with every call. */
  public static final String USER_AGENT = "zendesk-loyalty-java/" + version()
      + " (Java " + System.getProperty("java.version") + ")";

  /** Everything a call needs besides its own arguments. */
  public record Settings(HttpClient client, URI apiBase, Authorizer authorizer,
      Duration requestTimeout, RetryPolicy retryPolicy, Duration defaultRetryAfter, Clock clock,
      Sleeper sleeper, RandomGenerator random, SyncListener listener, JobSlots jobSlots) {}

  /** The wait after {@code TooManyJobs}: jobs of 100 users end in seconds. */
  static final Duration TOO_MANY_JOBS_WAIT = Duration.ofSeconds(2);

  /** The shortest wait after a rate limit, even when Zendesk says {@code Retry-After: 0}. */
  static final Duration MIN_RATE_LIMIT_WAIT = Duration.ofSeconds(1);

  /** Zendesk's limit on the incremental exports until its answers say otherwise: 10 a minute. */
  public static final int EXPORT_REQUESTS_PER_MINUTE = 10;

  /**
   * Where Zendesk reports the export's own limit, account-wide: the name its API reference gives
   * for the cursor-based user export, then the one seen on the other incremental exports.
   */
  static final List<String> EXPORT_LIMIT_HEADERS = List.of(
      "Zendesk-RateLimit-incremental-exports-cursor", "Zendesk-RateLimit-incremental-exports");

  private final Settings settings;
  private final AccountRateLimiter accountLimiter;
  private final SingleUserLimiter singleUserLimiter;
  private final AccountRateLimiter exportLimiter;

  /** A caller sharing the given limiters; the export's own limit is kept here. */
  public ZendeskHttp(Settings settings, AccountRateLimiter accountLimiter,
      SingleUserLimiter singleUserLimiter) {
    this.settings = settings;
    this.accountLimiter = accountLimiter;
    this.singleUserLimiter = singleUserLimiter;
    this.exportLimiter = new AccountRateLimiter(EXPORT_REQUESTS_PER_MINUTE, 1, settings.clock(),
        settings.sleeper());
  }

  /** The account budget's calls per minute now. */
  public int accountRequestsPerMinute() {
    return accountLimiter.limitPerMinute();
  }

  /** The export's calls per minute now: 10, less while other instances export too. */
  public double exportRequestsPerMinute() {
    return exportLimiter.pace();
  }

  /** The limiter of the single-user endpoints, to ask whether one would wait. */
  public SingleUserLimiter singleUserLimiter() {
    return singleUserLimiter;
  }

  /** Which limit a retryable failure came from, and so what waits. */
  private enum Limit {
    /** Not a rate limit: back off by the retry policy, counting an attempt. */
    NONE,
    /** The account's limit (429, or 503 with Retry-After): every call waits. */
    ACCOUNT,
    /** The single-user endpoints' limit: only those calls wait. */
    SINGLE_USER,
    /** 30 jobs queued or running: this call waits for jobs to finish. */
    JOBS,
    /** The incremental export's own limit: only exports wait. */
    EXPORT
  }

  /** A value for a path or query, encoded as {@link #call} expects. */
  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /**
   * Makes the call, retrying what is retryable within the retry policy. A rate-limit wait does
   * not use up an attempt, but no wait ever ends past the policy's deadline: a wait that would is
   * not started, and the call fails at once.
   *
   * @param operation what is called
   * @param pathAndQuery the path below {@code /api/v2}, with its query, already encoded
   * @param body the JSON body, or null
   * @param userKey the user a single-user write is for (its email, external id or user id);
   *     ignored for other operations
   * @param reader takes what the call needs from a 2xx answer; an answer without it is a
   *     retryable failure
   * @throws ZendeskException the typed failure when Zendesk refused or retries ran out
   * @throws InterruptedException when the thread was interrupted while waiting
   */
  public <T> T call(ZendeskOperation operation, String pathAndQuery, Object body, String userKey,
      AnswerReader<T> reader) throws InterruptedException {
    return call(operation, pathAndQuery, body, userKey, reader,
        settings.clock().instant().plus(settings.retryPolicy().deadline()), true);
  }

  /**
   * One attempt, for a call the caller repeats on its own schedule (a job poll): it waits for the
   * rate budget no later than {@code deadline}, never retries, and never sleeps after a failure;
   * a rate limit it meets is still recorded, so the next call waits it out, and a retryable
   * failure reaches the listener's {@code onRetry} (with no wait: the caller's schedule decides).
   *
   * @throws ZendeskException the failure of the one attempt
   */
  public <T> T callOnce(ZendeskOperation operation, String pathAndQuery, Instant deadline,
      AnswerReader<T> reader) throws InterruptedException {
    return call(operation, pathAndQuery, null, null, reader, deadline, false);
  }

  private <T> T call(ZendeskOperation operation, String pathAndQuery, Object body,
      String userKey, AnswerReader<T> reader, Instant deadline, boolean retry)
      throws InterruptedException {
    RetryPolicy policy = settings.retryPolicy();
    int failures = 0;
    boolean reauthorized = false;
    for (int attempt = 1; ; attempt++) {
      Duration held = Duration.ZERO;
      String budget = "the account's rate budget";
      if (operation == ZendeskOperation.EXPORT_USERS) {
        held = exportLimiter.acquire(deadline);
        budget = "the incremental export's budget (" + exportLimiter.limitPerMinute()
            + " a minute)";
      }
      if (held.isZero()) {
        held = accountLimiter.acquire(deadline);
      }
      if (held.isZero() && operation.isSingleUserWrite()) {
        held = singleUserLimiter.acquire(userKey, deadline);
        budget = "the rate budget of single-user writes";
      }
      if (!held.isZero()) {
        throw Failures.noBudgetBeforeDeadline(operation, budget, held,
            attempt == 1 ? "" : "Gave up after " + (attempt - 1) + " attempts.");
      }
      String header = null;
      Outcome<T> outcome;
      try {
        header = settings.authorizer().header();
        outcome = attempt(operation, pathAndQuery, body, attempt, reader, header);
      } catch (ZendeskAuthenticationException needsReconnect) {
        throw needsReconnect;
      } catch (ZendeskException noTokenNow) { // the token endpoint down: retried as the call
        outcome = new Outcome<>(null, noTokenNow, null, note -> noTokenNow);
      }
      if (outcome.failure() == null) {
        if (operation.isSingleUserWrite()) {
          singleUserLimiter.succeeded();
        } else if (operation == ZendeskOperation.EXPORT_USERS) {
          exportLimiter.succeeded();
        }
        return outcome.value();
      }
      ZendeskException failure = outcome.failure();
      if (failure.status() == 401 && header != null) {
        if (reauthorized) {
          throw settings.authorizer().rejectedAgain(header, failure);
        }
        String renewed = settings.authorizer().rejected(header, failure);
        if (renewed != null) {
          reauthorized = true; // one renewal and one retry, not counted as an attempt
          attempt--;
          continue;
        }
      }
      if (!Failures.isRetryable(failure)) {
        throw failure;
      }
      Limit limit = limitOf(operation, failure, outcome.retryAfter() != null);
      if (!retry) {
        recordLimit(operation, limit, outcome.retryAfter());
        // the caller repeats the call on its own schedule: a retry all the same
        settings.listener().onRetry(operation, attempt, Duration.ZERO, failure);
        throw failure;
      }
      Duration wait;
      if (limit == Limit.NONE) {
        failures++;
        if (failures >= policy.maxAttempts()) {
          throw outcome.withNote("Gave up after " + attempt + " attempts.");
        }
        wait = policy.backoff(failures, settings.random());
      } else if (limit == Limit.JOBS) {
        settings.jobSlots().tooMany();
        wait = outcome.retryAfter() != null ? rateLimitWait(outcome.retryAfter())
            : TOO_MANY_JOBS_WAIT.plus(Duration.ofMillis(settings.random().nextInt(1_000)));
      } else {
        wait = rateLimitWait(outcome.retryAfter());
      }
      if (settings.clock().instant().plus(wait).isAfter(deadline)) {
        throw outcome.withNote("Gave up after " + attempt + " attempts: the next would start"
            + " after the retry deadline of " + policy.deadline() + ".");
      }
      Duration delay = wait;
      LOG.log(Level.DEBUG, () -> operation + " attempt failed, retrying in " + delay + ": "
          + failure.getMessage());
      settings.listener().onRetry(operation, attempt, wait, failure);
      switch (limit) {
        case ACCOUNT -> {
          accountLimiter.pause(wait);
          settings.listener().onRateLimited(operation, wait);
        }
        case SINGLE_USER -> {
          singleUserLimiter.pause(wait);
          settings.listener().onRateLimited(operation, wait);
        }
        case EXPORT -> {
          exportLimiter.throttled();
          exportLimiter.pause(wait);
          settings.listener().onRateLimited(operation, wait);
        }
        case JOBS -> {
          settings.listener().onRateLimited(operation, wait);
          settings.sleeper().sleep(wait);
        }
        case NONE -> settings.sleeper().sleep(wait);
      }
    }
  }

  /** What a call that does not retry leaves of a rate limit: a pause for the next call. */
  private void recordLimit(ZendeskOperation operation, Limit limit, Duration retryAfter) {
    switch (limit) {
      case ACCOUNT -> {
        Duration wait = rateLimitWait(retryAfter);
        accountLimiter.pause(wait);
        settings.listener().onRateLimited(operation, wait);
      }
      case JOBS -> settings.jobSlots().tooMany();
      default -> { }
    }
  }

  private static Limit limitOf(ZendeskOperation operation, ZendeskException failure,
      boolean retryAfter) {
    if (Failures.TOO_MANY_JOBS.equals(failure.errorCode().orElse(null))) {
      return Limit.JOBS;
    }
    if (failure.status() == 429) {
      return operation.isSingleUserWrite() ? Limit.SINGLE_USER
          : operation == ZendeskOperation.EXPORT_USERS ? Limit.EXPORT : Limit.ACCOUNT;
    }
    if (failure.status() == 503 && retryAfter) {
      return Limit.ACCOUNT;
    }
    return Limit.NONE;
  }

  /** Zendesk's Retry-After, or the default with up to half of it again as jitter; at least 1 s. */
  private Duration rateLimitWait(Duration retryAfter) {
    Duration wait = retryAfter;
    if (wait == null) {
      Duration base = settings.defaultRetryAfter();
      wait = base.plus(Duration.ofNanos((long) (settings.random().nextDouble() * base.toNanos() / 2)));
    }
    return wait.compareTo(MIN_RATE_LIMIT_WAIT) < 0 ? MIN_RATE_LIMIT_WAIT : wait;
  }

  /** One attempt's result: the value, or the failure and what Zendesk said about waiting. */
  private record Outcome<T>(T value, ZendeskException failure, Duration retryAfter,
      Function<String, ZendeskException> noted) {

    ZendeskException withNote(String note) {
      return noted.apply(note);
    }
  }

  private <T> Outcome<T> attempt(ZendeskOperation operation, String pathAndQuery, Object body,
      int attempt, AnswerReader<T> reader, String authorization) throws InterruptedException {
    HttpResponse<String> response;
    try {
      response = settings.client().send(request(operation, pathAndQuery, body, authorization),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      LOG.log(Level.DEBUG, () -> operation + " attempt " + attempt + " got no answer: "
          + e.getClass().getName());
      return new Outcome<>(null, Failures.transport(operation, e, ""), null,
          note -> Failures.transport(operation, e, note));
    }
    int status = response.statusCode();
    accountLimiter.observe(response.headers());
    if (operation == ZendeskOperation.EXPORT_USERS) {
      exportLimiter.observeEndpoint(response.headers(), EXPORT_LIMIT_HEADERS);
    }
    settings.listener().onRequest(operation, status);
    LOG.log(Level.DEBUG, () -> operation.method() + " " + operation.pathTemplate() + " -> " + status);
    String text = response.body();
    String requestId = requestId(response.headers());
    if (status / 100 == 2) {
      JsonNode json = Json.parseStrict(text);
      String missing = "a body that is not JSON";
      if (json != null) {
        try {
          return new Outcome<>(reader.read(status, json), null, null, null);
        } catch (AnswerReader.Malformed malformed) {
          missing = malformed.getMessage();
        }
      }
      String what = missing;
      return new Outcome<>(null, Failures.malformed(operation, status, what, text, requestId, ""),
          null, note -> Failures.malformed(operation, status, what, text, requestId, note));
    }
    Duration retryAfter = retryAfter(response.headers()).orElse(null);
    return new Outcome<>(null,
        Failures.fromResponse(operation, status, text, requestId, retryAfter, ""), retryAfter,
        note -> Failures.fromResponse(operation, status, text, requestId, retryAfter, note));
  }

  private HttpRequest request(ZendeskOperation operation, String pathAndQuery, Object body,
      String authorization) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(
            URI.create(settings.apiBase() + "/api/v2" + pathAndQuery))
        .timeout(settings.requestTimeout())
        .header("Authorization", authorization)
        .header("User-Agent", USER_AGENT)
        .header("Accept", "application/json");
    if (body == null) {
      return builder.method(operation.method(), HttpRequest.BodyPublishers.noBody()).build();
    }
    return builder.header("Content-Type", "application/json")
        .method(operation.method(), HttpRequest.BodyPublishers.ofByteArray(Json.write(body)))
        .build();
  }

  private Optional<Duration> retryAfter(HttpHeaders headers) {
    Optional<String> value = headers.firstValue("Retry-After").map(String::strip);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String text = value.get();
    if (text.matches("\\d{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
    }
    try {
      Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(settings.clock().instant(), at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException notADate) {
      return Optional.empty();
    }
  }

  private static String requestId(HttpHeaders headers) {
    return headers.firstValue("X-Request-Id")
        .or(() -> headers.firstValue("X-Zendesk-Request-Id")).orElse(null);
  }

  private static String version() {
    Properties properties = new Properties();
    try (InputStream in = ZendeskHttp.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version", "dev");
  }
}
