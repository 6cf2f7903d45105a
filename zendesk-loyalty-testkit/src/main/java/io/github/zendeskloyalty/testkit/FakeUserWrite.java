package io.github.zendeskloyalty.testkit;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One write of user-field values the fake applied to a user, in the order applied (a bulk job's
 * items when the job ran, not when it was submitted). {@link FakeZendesk#userWrites()} lists
 * them, to check for example that no older snapshot was written after a newer one.
 *
 * <pre>{@code
 * fake.userWrites().stream()
 *     .filter(write -> write.userId() == jane.id())
 *     .map(write -> write.userFields().get("zrl_member_last_modified_date"))
 *     .toList();
 * }</pre>
 *
 * @param userId the user written
 * @param at when the write was applied, on the fake's clock
 * @param userFields the field values written, by key (only the fields the write carried)
 */
public record FakeUserWrite(long userId, Instant at, Map<String, Object> userFields) {

  /** Copies the values. */
  public FakeUserWrite {
    Objects.requireNonNull(at, "at");
    userFields = Collections.unmodifiableMap(new LinkedHashMap<>(userFields));
  }
}
