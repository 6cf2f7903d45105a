package io.github.zendeskloyalty.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.zendeskloyalty.client.RetryPolicy;
import io.github.zendeskloyalty.client.Sleeper;
import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskOperation;
import io.github.zendeskloyalty.client.ZendeskRateLimitException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Properties;
import java.util.random.RandomGenerator;

/**
 * Makes one Zendesk call: authentication, User-Agent, the account budget, Zendesk's single-user
 * limits, retries with backoff and Retry-After, typed errors. Thread-safe. Not part of the API.
 */
public final class ZendeskHttp {

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.client");

  /** The User-Agent sent with every call. */
  public static final String USER_AGENT = "zendesk-loyalty-java/" + version()
      + " (Java " + System.getProperty("java.version") + ")";

  /** Everything a call needs besides its own arguments. */
  public record Settings(HttpClient client, URI apiBase, String authorization,
      Duration requestTimeout, RetryPolicy retryPolicy, Duration defaultRetryAfter, Clock clock,
      Sleeper sleeper, RandomGenerator random, SyncListener listener) {}

  /** A successful answer. */
  public record Answer(int status, JsonNode body) {}

  private final Settings settings;
  private final AccountRateLimiter accountLimiter;
  private final SingleUserLimiter singleUserLimiter;

  /** A caller sharing the given limiters. */
  public ZendeskHttp(Settings settings, AccountRateLimiter accountLimiter,
      SingleUserLimiter singleUserLimiter) {
    this.settings = settings;
    this.accountLimiter = accountLimiter;
    this.singleUserLimiter = singleUserLimiter;
  }

  /** The limiter of the single-user endpoints, to ask whether one would wait. */
  public SingleUserLimiter singleUserLimiter() {
    return singleUserLimiter;
  }

  /**
   * Makes the call, retrying what is retryable within the retry policy.
   *
   * @param operation what is called
   * @param pathAndQuery the path below {@code /api/v2}, with its query, already encoded
   * @param body the JSON body, or null
   * @param userKey the user a single-user write is for (its email, external id or user id);
   *     ignored for other operations
   * @throws ZendeskException the typed failure when Zendesk refused or retries ran out
   * @throws InterruptedException when the thread was interrupted while waiting
   */
  public Answer call(ZendeskOperation operation, String pathAndQuery, Object body, String userKey)
      throws InterruptedException {
    Instant start = settings.clock().instant();
    RetryPolicy policy = settings.retryPolicy();
    for (int attempt = 1; ; attempt++) {
      accountLimiter.acquire();
      if (operation.isSingleUserWrite()) {
        singleUserLimiter.acquire(userKey);
      }
      Outcome outcome = attempt(operation, pathAndQuery, body, attempt);
      if (outcome.answer() != null) {
        return outcome.answer();
      }
      ZendeskException failure = outcome.failure();
      Duration elapsed = Duration.between(start, settings.clock().instant());
      Duration delay = outcome.serverWait() != null
          ? outcome.serverWait() : policy.backoff(attempt, settings.random());
      if (!Failures.isRetryable(failure)) {
        throw failure;
      }
      if (attempt >= policy.maxAttempts()) {
        throw withNote(operation, outcome, "Gave up after " + attempt + " attempts.");
      }
      if (elapsed.plus(delay).compareTo(policy.deadline()) > 0) {
        throw withNote(operation, outcome, "Gave up after " + attempt + " attempts: the next"
            + " would start after the retry deadline of " + policy.deadline() + ".");
      }
      settings.listener().onRetry(operation, attempt, delay, failure);
      LOG.log(Level.DEBUG, () -> operation + " attempt failed, retrying in " + delay + ": "
          + failure.getMessage());
      if (outcome.serverWait() == null) {
        settings.sleeper().sleep(delay);
      }
    }
  }

  private record Outcome(Answer answer, ZendeskException failure, Duration serverWait,
      int status, String body, String requestId, IOException ioFailure) {}

  private Outcome attempt(ZendeskOperation operation, String pathAndQuery, Object body,
      int attempt) throws InterruptedException {
    HttpResponse<String> response;
    try {
      response = settings.client().send(request(operation, pathAndQuery, body),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      LOG.log(Level.DEBUG, () -> operation + " attempt " + attempt + " got no answer: "
          + e.getClass().getName());
      return new Outcome(null, Failures.transport(operation, e, ""), null, 0, null, null, e);
    }
    int status = response.statusCode();
    accountLimiter.observe(response.headers());
    settings.listener().onRequest(operation, status);
    LOG.log(Level.DEBUG, () -> operation.method() + " " + operation.pathTemplate() + " -> " + status);
    if (status / 100 == 2) {
      return new Outcome(new Answer(status, Json.parse(response.body())), null, null, status, null,
          null, null);
    }
    String requestId = requestId(response.headers());
    ZendeskException failure =
        Failures.fromResponse(operation, status, response.body(), requestId, "");
    Duration serverWait = null;
    if (failure instanceof ZendeskRateLimitException || status == 503) {
      serverWait = retryAfter(response.headers()).orElse(null);
      if (serverWait == null && failure instanceof ZendeskRateLimitException) {
        Duration base = settings.defaultRetryAfter();
        serverWait = base.plus(Duration.ofNanos(
            (long) (settings.random().nextDouble() * base.toNanos() / 2)));
      }
      if (serverWait != null) {
        accountLimiter.pause(serverWait);
        settings.listener().onRateLimited(operation, serverWait);
      }
    }
    return new Outcome(null, failure, serverWait, status, response.body(), requestId, null);
  }

  private static ZendeskException withNote(ZendeskOperation operation, Outcome outcome,
      String note) {
    if (outcome.ioFailure() != null) {
      return Failures.transport(operation, outcome.ioFailure(), note);
    }
    return Failures.fromResponse(operation, outcome.status(), outcome.body(), outcome.requestId(),
        note);
  }

  private HttpRequest request(ZendeskOperation operation, String pathAndQuery, Object body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(
            URI.create(settings.apiBase() + "/api/v2" + pathAndQuery))
        .timeout(settings.requestTimeout())
        .header("Authorization", settings.authorization())
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
