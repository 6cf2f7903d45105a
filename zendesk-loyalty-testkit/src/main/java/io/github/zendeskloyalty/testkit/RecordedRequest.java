package io.github.zendeskloyalty.testkit;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One request the fake received, in its journal.
 *
 * <pre>{@code
 * RecordedRequest last = fake.requests().get(fake.requests().size() - 1);
 * assertThat(last.header("User-Agent")).startsWith("zendesk-loyalty-java/");
 * }</pre>
 *
 * @param endpoint what was called ({@link FakeEndpoint#ANY} for an unknown path)
 * @param method the HTTP method
 * @param path the path without query
 * @param query the decoded query parameters
 * @param headers the request headers, names in lower case
 * @param body the request body, empty when none
 * @param status the status answered, or 0 when the connection was reset
 */
public record RecordedRequest(FakeEndpoint endpoint, String method, String path,
    Map<String, String> query, Map<String, List<String>> headers, String body, int status) {

  /** Copies the maps. */
  public RecordedRequest {
    query = Map.copyOf(Objects.requireNonNull(query, "query"));
    headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
  }

  /** The first value of a header (any case), or null. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
