package io.github.zendeskloyalty.testkit.internal;

import static io.github.zendeskloyalty.testkit.internal.Replies.NODES;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Zendesk's cursor-based incremental user export, {@code GET /incremental/users/cursor}: every
 * user changed since {@code start_time} (Unix seconds), oldest change first, up to 1,000 a page,
 * continued with {@code cursor}; {@code end_of_stream} on the last page. Its own limit of 10
 * calls a minute is the account's concern. Not part of the API.
 */
final class UserExport {

  /** Zendesk's largest page of the export. */
  static final int MAX_PER_PAGE = 1000;

  private final UserStore users;
  private String baseUri;

  UserExport(UserStore users) {
    this.users = users;
  }

  void baseUri(String baseUri) {
    this.baseUri = baseUri;
  }

  Reply page(Map<String, String> query, List<FieldStore.Field> definitions) {
    int perPage;
    try {
      perPage = Integer.parseInt(query.getOrDefault("per_page", String.valueOf(MAX_PER_PAGE)));
    } catch (NumberFormatException e) {
      return Replies.invalidAttribute("per_page must be a number");
    }
    if (perPage < 1 || perPage > MAX_PER_PAGE) {
      return Replies.invalidAttribute("per_page must be between 1 and " + MAX_PER_PAGE);
    }
    Position from;
    if (query.containsKey("cursor")) {
      from = Position.decode(query.get("cursor"));
      if (from == null) {
        return Replies.invalidAttribute("cursor is not a cursor of this export");
      }
    } else if (query.containsKey("start_time")) {
      try {
        from = new Position(Instant.ofEpochSecond(Long.parseLong(query.get("start_time")))
            .minusNanos(1), Long.MAX_VALUE);
      } catch (NumberFormatException e) {
        return Replies.invalidAttribute("start_time must be a Unix time in seconds");
      }
    } else {
      return Replies.invalidAttribute("start_time or cursor is required");
    }
    List<UserStore.User> page = new ArrayList<>(Math.min(perPage, 64));
    boolean end = true;
    for (UserStore.User user : users.changedAfter(new UserStore.ChangeKey(from.changed(),
        from.id()))) {
      if (page.size() == perPage) {
        end = false;
        break;
      }
      page.add(user);
    }
    Position last = page.isEmpty() ? from
        : new Position(page.get(page.size() - 1).updatedAt, page.get(page.size() - 1).id);
    ObjectNode answer = NODES.objectNode();
    ArrayNode list = answer.putArray("users");
    page.forEach(user -> list.add(users.json(user, definitions)));
    String cursor = last.encode();
    answer.put("after_cursor", cursor);
    answer.put("after_url", baseUri + "/api/v2/incremental/users/cursor.json?cursor=" + cursor);
    answer.putNull("before_cursor");
    answer.putNull("before_url");
    answer.put("end_of_stream", end);
    return Replies.ok(200, answer);
  }

  /** Where a page ended: the last change time and user id read. */
  private record Position(Instant changed, long id) {

    String encode() {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(
          (changed.getEpochSecond() + "." + changed.getNano() + ":" + id)
              .getBytes(StandardCharsets.UTF_8));
    }

    static Position decode(String cursor) {
      try {
        String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        String[] parts = text.split("[.:]");
        return new Position(Instant.ofEpochSecond(Long.parseLong(parts[0]),
            Long.parseLong(parts[1])), Long.parseLong(parts[2]));
      } catch (RuntimeException notACursor) {
        return null;
      }
    }
  }
}
