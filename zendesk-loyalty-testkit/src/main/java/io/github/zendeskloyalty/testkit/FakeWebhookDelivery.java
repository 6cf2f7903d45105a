package io.github.zendeskloyalty.testkit;

import java.util.List;

/**
 * A webhook call the fake made when a trigger fired: the webhook, the invocation id (the same on
 * each copy of one invocation), the body as sent, and each attempt's HTTP status (0 when the
 * endpoint did not answer); failed attempts are tried again, up to three more times.
 *
 * <pre>{@code
 * assertThat(fake.webhookDeliveries()).singleElement()
 *     .satisfies(delivery -> assertThat(delivery.attempts()).containsExactly(200));
 * }</pre>
 */
public record FakeWebhookDelivery(String webhookId, String invocationId, String body,
    List<Integer> attempts) {

  /** Copies the attempts. */
  public FakeWebhookDelivery {
    attempts = List.copyOf(attempts);
  }
}
