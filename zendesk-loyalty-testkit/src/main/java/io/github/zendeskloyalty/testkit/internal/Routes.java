package io.github.zendeskloyalty.testkit.internal;

import io.github.zendeskloyalty.testkit.FakeEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one table from method and path to endpoint, built from {@link FakeEndpoint}'s templates:
 * literal paths first ({@code /users/search} before {@code /users/{id}}), then templates, where a
 * user id must be digits. Not part of the API.
 */
public final class Routes {

  /** An endpoint and the id its path carried, if any. */
  public record Route(FakeEndpoint endpoint, String id) {}

  private record Entry(FakeEndpoint endpoint, Pattern path) {}

  private static final List<Entry> TABLE = table();

  private Routes() {}

  private static List<Entry> table() {
    List<Entry> literal = new ArrayList<>();
    List<Entry> templated = new ArrayList<>();
    for (FakeEndpoint endpoint : FakeEndpoint.values()) {
      String template = endpoint.pathTemplate();
      if (endpoint == FakeEndpoint.ANY || endpoint.isAtRoot()) {
        continue;
      }
      if (template.contains("{")) {
        String id = template.startsWith("/users/") || template.startsWith("/tickets/")
            ? "(\\d+)" : "([^/]+)";
        String after = template.substring(template.indexOf('}') + 1);
        templated.add(new Entry(endpoint, Pattern.compile(Pattern.quote(template.substring(0,
            template.indexOf('{'))) + id + (after.isEmpty() ? "" : Pattern.quote(after)))));
      } else {
        literal.add(new Entry(endpoint, Pattern.compile(Pattern.quote(template))));
      }
    }
    literal.addAll(templated);
    return List.copyOf(literal);
  }

  /**
   * The endpoint of a request, or {@link FakeEndpoint#ANY} when the fake serves none there.
   *
   * @param path the path below {@code /api/v2}, without {@code .json} and query
   */
  public static Route route(String method, String path) {
    return route(method, path, TABLE);
  }

  /** The endpoint at the account's root ({@code /oauth/...}), or {@link FakeEndpoint#ANY}. */
  public static Route routeAtRoot(String method, String path) {
    for (FakeEndpoint endpoint : FakeEndpoint.values()) {
      if (endpoint.isAtRoot() && endpoint.method().equals(method)
          && endpoint.pathTemplate().equals(path)) {
        return new Route(endpoint, null);
      }
    }
    return new Route(FakeEndpoint.ANY, null);
  }

  private static Route route(String method, String path, List<Entry> table) {
    for (Entry entry : table) {
      if (!entry.endpoint().method().equals(method)) {
        continue;
      }
      Matcher matcher = entry.path().matcher(path);
      if (matcher.matches()) {
        return new Route(entry.endpoint(), matcher.groupCount() > 0 ? matcher.group(1) : null);
      }
    }
    return new Route(FakeEndpoint.ANY, null);
  }
}
