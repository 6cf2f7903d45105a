package io.github.zendeskloyalty.client;

import java.nio.file.Path;

/**
 * A reconcile checkpoint that is there but cannot be used: not one this SDK wrote, or
 * unreadable. It is never taken for "start over": delete it (and its {@code .ids} file) for that.
 *
 * <pre>{@code
 * try {
 *   sync.reconcile(source, options);
 * } catch (ReconcileCheckpointException corrupt) {
 *   log.error("{}: delete it to start over", corrupt.checkpoint());
 * }
 * }</pre>
 */
public final class ReconcileCheckpointException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final transient Path checkpoint;

  /** A checkpoint that cannot be used, and why (the message names the file). */
  public ReconcileCheckpointException(Path checkpoint, String message, Throwable cause) {
    super(message, cause);
    this.checkpoint = checkpoint;
  }

  /** The checkpoint file. */
  public Path checkpoint() {
    return checkpoint;
  }
}
