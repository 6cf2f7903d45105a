package io.github.zendeskloyalty.client;

import io.github.zendeskloyalty.client.internal.FanOutListener;
import io.github.zendeskloyalty.client.internal.SafeListener;
import java.util.List;

/**
 * Combines {@link SyncListener}s, for a builder that takes one.
 *
 * <pre>{@code
 * builder.listener(SyncListeners.all(List.of(metrics, alerts)));
 * }</pre>
 */
public final class SyncListeners {

  private SyncListeners() {}

  /**
   * One listener that tells each of {@code listeners} in turn. One that throws (anything) is
   * logged and never keeps the others from hearing.
   */
  public static SyncListener all(List<? extends SyncListener> listeners) {
    return new FanOutListener(listeners.stream().<SyncListener>map(SafeListener::new).toList());
  }
}
