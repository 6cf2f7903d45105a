package io.github.zendeskloyalty.kafka.internal;

import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskValidationException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * What the SDK's answer to a submitted record means to the intake: refused at once for want of
 * room (hold it), refused by Zendesk for good (dead-letter it), or anything else that failed
 * (submit it again later). Not part of the API.
 */
final class SdkAnswers {

  private SdkAnswers() {}

  /** Whether the SDK refused an event at once for want of room. */
  static boolean noRoom(CompletableFuture<?> result) {
    if (!result.isCompletedExceptionally()) {
      return false;
    }
    try {
      result.join();
      return false;
    } catch (CompletionException | CancellationException failed) {
      return failed.getCause() instanceof RejectedExecutionException;
    }
  }

  /** Whether Zendesk refused the member for good: sending it again would be refused again. */
  static boolean isPermanent(Throwable failure) {
    return failure instanceof ZendeskValidationException
        || (failure instanceof ZendeskException zendesk
            && "AmbiguousUser".equals(zendesk.errorCode().orElse(null)));
  }

  /** The failure a future's completion wraps. */
  static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
  }
}
