package io.github.zendeskloyalty.testkit;

import java.util.Optional;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link FakeZendesk}; failures show what the fake holds.
 *
 * <pre>{@code
 * ZendeskAssertions.assertThat(fake).hasUserCount(2).user("jane@example.com").hasName("Jane Doe");
 * }</pre>
 */
public final class FakeZendeskAssert extends AbstractAssert<FakeZendeskAssert, FakeZendesk> {

  FakeZendeskAssert(FakeZendesk actual) {
    super(actual, FakeZendeskAssert.class);
  }

  /** Asserts a user with this primary email exists, and continues with assertions on it. */
  public FakeUserAssert user(String email) {
    isNotNull();
    Optional<FakeUser> user = actual.user(email);
    if (user.isEmpty()) {
      failWithMessage("Expecting a Zendesk user with email <%s> but the fake holds %s",
          email, describeUsers());
    }
    return new FakeUserAssert(user.get(), "user <" + email + ">");
  }

  /** Asserts a user with this external id exists, and continues with assertions on it. */
  public FakeUserAssert userWithExternalId(String externalId) {
    isNotNull();
    Optional<FakeUser> user = actual.userByExternalId(externalId);
    if (user.isEmpty()) {
      failWithMessage("Expecting a Zendesk user with external id <%s> but the fake holds %s",
          externalId, describeUsers());
    }
    return new FakeUserAssert(user.get(), "user with external id <" + externalId + ">");
  }

  /** Asserts no user has this primary email. */
  public FakeZendeskAssert hasNoUser(String email) {
    isNotNull();
    if (actual.user(email).isPresent()) {
      failWithMessage("Expecting no Zendesk user with email <%s> but found %s", email,
          actual.user(email).get());
    }
    return this;
  }

  /** Asserts how many users the fake holds. */
  public FakeZendeskAssert hasUserCount(int expected) {
    isNotNull();
    int count = actual.users().size();
    if (count != expected) {
      failWithMessage("Expecting %d Zendesk users but the fake holds %d: %s", expected, count,
          describeUsers());
    }
    return this;
  }

  /** Asserts a user field with this key exists. */
  public FakeZendeskAssert hasUserField(String key) {
    isNotNull();
    if (actual.userFields().stream().noneMatch(field -> field.key().equalsIgnoreCase(key))) {
      failWithMessage("Expecting a user field <%s> but the fake defines %s", key,
          actual.userFields().stream().map(FakeUserField::key).toList());
    }
    return this;
  }

  private String describeUsers() {
    if (actual.users().isEmpty()) {
      return "no users";
    }
    return actual.users().size() + " users: " + actual.users().stream().limit(10)
        .map(user -> user.id() + " " + user.email() + " (external id " + user.externalId() + ")")
        .collect(Collectors.joining(", ", "[", actual.users().size() > 10 ? ", ...]" : "]"));
  }
}
