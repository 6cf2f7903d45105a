package io.github.zendeskloyalty.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.ZendeskAuthenticationException;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskOperation;
import io.github.zendeskloyalty.client.ZendeskRateLimitException;
import io.github.zendeskloyalty.client.ZendeskServerException;
import io.github.zendeskloyalty.client.ZendeskTransportException;
import io.github.zendeskloyalty.client.ZendeskValidationException;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every error body shape of zendesk-api.md becomes a typed exception with status and code. */
class FailuresTest {

  private static ZendeskException parse(int status, String body) {
    return Failures.fromResponse(ZendeskOperation.UPDATE_MANY_USERS, status, body, "rid-1", null,
        "");
  }

  @Test
  void unauthorized() {
    ZendeskException e = parse(401, "{\"error\": \"Couldn't authenticate you\"}");

    assertThat(e).isInstanceOf(ZendeskAuthenticationException.class);
    assertThat(e.status()).isEqualTo(401);
    assertThat(e.errorCode()).contains("Couldn't authenticate you");
    assertThat(e.requestId()).contains("rid-1");
    assertThat(e.getMessage()).startsWith("PUT /users/update_many failed: HTTP 401"
        + " Couldn't authenticate you (request id rid-1). Check the credentials");
    assertThat(Failures.isRetryable(e)).isFalse();
  }

  @Test
  void forbiddenWithDescription() {
    ZendeskException e = parse(403, "{\"error\": \"Forbidden\", \"description\": \"You do not"
        + " have access to this page. Please contact the account owner.\"}");

    assertThat(e).isInstanceOf(ZendeskAuthenticationException.class);
    assertThat(e.getMessage()).contains("HTTP 403 Forbidden: You do not have access to this page");
  }

  @Test
  void notFound() {
    ZendeskException e = parse(404, "{\"error\": \"RecordNotFound\", \"description\": \"Not found\"}");

    assertThat(e).isExactlyInstanceOf(ZendeskException.class);
    assertThat(e.errorCode()).contains("RecordNotFound");
    assertThat(Failures.isRetryable(e)).isFalse();
  }

  @Test
  void recordInvalidWithDetails() {
    ZendeskException e = parse(422, "{\"error\": \"RecordInvalid\", \"description\": \"Record"
        + " validation errors\", \"details\": {\"email\": [{\"description\": \"Email:"
        + " jane@example.com is already being used by another user\"}], \"name\":"
        + " [{\"description\": \"Name: is too short\"}, {\"description\": \"Name: is blank\"}]}}");

    assertThat(e).isInstanceOf(ZendeskValidationException.class);
    assertThat(e.details()).containsEntry("name", List.of("Name: is too short", "Name: is blank"))
        .containsEntry("email", List.of("Email: j***@example.com is already being used by another user"));
    assertThat(e.getMessage()).contains("HTTP 422 RecordInvalid: Record validation errors; email")
        .doesNotContain("jane@example.com");
    assertThat(Failures.isRetryable(e)).isFalse();
  }

  @Test
  void invalidAttributeOfTheNewerValidation() {
    ZendeskException e = parse(400, "{\"error\": {\"title\": \"Invalid attribute\", \"message\":"
        + " \"You passed an invalid value for the user_fields attribute.\"}}");

    assertThat(e).isInstanceOf(ZendeskValidationException.class);
    assertThat(e.errorCode()).contains("Invalid attribute");
    assertThat(e.getMessage()).contains("HTTP 400 Invalid attribute: You passed an invalid value");
  }

  @Test
  void errorsArrayOfOtherEndpoints() {
    ZendeskException e = parse(400, "{\"errors\": [{\"code\": \"InvalidPaginationParameter\","
        + " \"title\": \"Invalid pagination parameter\", \"detail\": \"page[size] is too big\"}]}");

    assertThat(e.errorCode()).contains("InvalidPaginationParameter");
    assertThat(e.getMessage()).contains("Invalid pagination parameter - page[size] is too big");
  }

  @Test
  void tooManyJobsIsARateLimitWhateverTheStatus() {
    ZendeskException e = parse(400, "{\"error\": \"TooManyJobs\", \"description\": \"Number of"
        + " allowed bulk jobs exceeded\"}");

    assertThat(e).isInstanceOf(ZendeskRateLimitException.class);
    assertThat(Failures.isRetryable(e)).isTrue();
  }

  @Test
  void plainTextAndHtmlBodiesAreCutAndFlattened() {
    ZendeskException e = parse(503, "<html>\n<body>\n" + "Service Unavailable ".repeat(30)
        + "</body></html>");

    assertThat(e).isInstanceOf(ZendeskServerException.class);
    assertThat(e.getMessage()).contains("HTTP 503: <html> <body> Service Unavailable")
        .doesNotContain("\n").hasSizeLessThan(400);
    assertThat(Failures.isRetryable(e)).isTrue();
  }

  @Test
  void anEmptyTooManyRequests() {
    ZendeskException e = parse(429, "");

    assertThat(e).isInstanceOf(ZendeskRateLimitException.class);
    assertThat(e.getMessage()).isEqualTo("PUT /users/update_many failed: HTTP 429 (request id"
        + " rid-1). Zendesk's rate limit was reached.");
  }

  @Test
  void transportFailuresAreRetryableAndNameWhatHappened() {
    ZendeskTransportException timeout = Failures.transport(ZendeskOperation.SEARCH_USERS,
        new HttpTimeoutException("request timed out"), "");
    ZendeskTransportException reset = Failures.transport(ZendeskOperation.SEARCH_USERS,
        new IOException("Connection reset"), "Gave up after 6 attempts.");

    assertThat(timeout.getMessage()).isEqualTo("GET /users/search timed out. Check the network"
        + " and the base URI.");
    assertThat(reset.getMessage()).contains("got no answer (IOException)", "Gave up after 6");
    assertThat(Failures.isRetryable(timeout)).isTrue();
    assertThat(reset.status()).isEqualTo(ZendeskException.NO_STATUS);
  }

  @Test
  void theAdviceFitsTheCall() {
    ZendeskException search = Failures.fromResponse(ZendeskOperation.SEARCH_USERS, 422,
        "{\"error\":\"RecordInvalid\",\"description\":\"bad query\"}", null, null, "");
    ZendeskException write = Failures.fromResponse(ZendeskOperation.UPDATE_MANY_USERS, 422,
        "{\"error\":\"RecordInvalid\",\"description\":\"bad value\"}", null, null, "");
    ZendeskException gone = Failures.fromResponse(ZendeskOperation.UPDATE_USER, 404, "", null, null,
        "");

    assertThat(search.getMessage()).doesNotContain("field definitions")
        .endsWith("Zendesk rejected the request.");
    assertThat(write.getMessage()).contains("check the user field definitions");
    assertThat(gone.getMessage()).contains("no longer exists").doesNotContain("subdomain");
  }

  @Test
  void aGarbledSuccessIsARetryableServerFailureThatShowsOnlyAnExcerpt() {
    ZendeskServerException garbled = Failures.malformed(ZendeskOperation.CREATE_OR_UPDATE_USER,
        200, "no 'user' object", "<html>" + "x".repeat(10_000) + " jane@example.com</html>",
        "rid-9", "");

    assertThat(Failures.isRetryable(garbled)).isTrue();
    assertThat(garbled.errorCode()).contains(Failures.MALFORMED_ANSWER);
    assertThat(garbled.getMessage()).contains("answered HTTP 200 without what the call needs"
        + " (no 'user' object)", "(request id rid-9)").hasSizeLessThan(600)
        .doesNotContain("jane@");
  }

  @Test
  void aRateLimitSaysHowLongZendeskAskedToWait() {
    ZendeskException limited = Failures.fromResponse(ZendeskOperation.UPDATE_MANY_USERS, 429,
        "Too Many Requests", "rid-2", Duration.ofSeconds(37), "");
    ZendeskException unsaid = parse(429, "Too Many Requests");

    assertThat(limited).isInstanceOf(ZendeskRateLimitException.class);
    assertThat(((ZendeskRateLimitException) limited).retryAfter())
        .contains(Duration.ofSeconds(37));
    assertThat(((ZendeskRateLimitException) unsaid).retryAfter())
        .isEmpty();
    assertThat(Failures.noBudgetBeforeDeadline(ZendeskOperation.UPDATE_MANY_USERS, "the budget",
        Duration.ofSeconds(280), "").retryAfter())
        .contains(Duration.ofSeconds(280));
  }
}
