package io.github.zendeskloyalty.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.client.ZendeskOperation;
import io.github.zendeskloyalty.testkit.internal.Routes;
import org.junit.jupiter.api.Test;

/** One endpoint vocabulary: the client's operations, the fake's endpoints and its routes agree. */
class EndpointVocabularyTest {

  @Test
  void everyOperationOfTheClientIsAnEndpointOfTheFakeWithTheSameMethodAndPath() {
    for (ZendeskOperation operation : ZendeskOperation.values()) {
      FakeEndpoint endpoint = FakeEndpoint.valueOf(operation.name());

      assertThat(endpoint.method()).as(operation.name()).isEqualTo(operation.method());
      assertThat(endpoint.pathTemplate()).as(operation.name())
          .isEqualTo(operation.pathTemplate());
    }
  }

  @Test
  void everyEndpointIsRoutedFromItsOwnTemplate() {
    for (FakeEndpoint endpoint : FakeEndpoint.values()) {
      if (endpoint == FakeEndpoint.ANY) {
        continue;
      }
      String path = endpoint.pathTemplate().replace("{id}", "123");

      assertThat(endpoint.isAtRoot() ? Routes.routeAtRoot(endpoint.method(), path).endpoint()
          : Routes.route(endpoint.method(), path).endpoint()).as(path).isEqualTo(endpoint);
    }
    assertThat(Routes.route("POST", "/oauth/tokens").endpoint())
        .as("below /api/v2 is another endpoint than the token endpoint at the root")
        .isEqualTo(FakeEndpoint.ANY);
    assertThat(Routes.route("GET", "/users/me").endpoint())
        .isEqualTo(FakeEndpoint.SHOW_CURRENT_USER);
    assertThat(Routes.route("GET", "/users/abc").endpoint()).isEqualTo(FakeEndpoint.ANY);
    assertThat(Routes.route("GET", "/users/123").id()).isEqualTo("123");
  }
}
