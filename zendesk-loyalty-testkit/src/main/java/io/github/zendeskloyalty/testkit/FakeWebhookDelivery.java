package io.github.zendeskloyalty.testkit;

import java.util.List;

/**
 * A webhook call the fake made when a trigger fired: the webhook, the invocation id (the same on
 * each copy of one invocation), the body as sent, and each attempt's HTTP status (0 when the
 * endpoint did not answer); an attempt answered 409, or 429/503 with a Retry-After under 60 s, or
 * not answered, is tried again, up to three more times; any other answer ends the delivery.
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
