package io.github.zendeskloyalty.client;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How {@link ZendeskLoyaltySync#reconcile} runs.
 *
 * <pre>{@code
 * ReconcileOptions options = ReconcileOptions.builder()
 *     .dryRun(true)                                  // report only; write nothing
 *     .checkpoint(Path.of("reconcile.checkpoint"))   // resume where an interrupted run stopped
 *     .progress(report -> log.info("{} pages read", report.pagesRead()))
 *     .build();
 * }</pre>
 *
 * @param dryRun whether to write nothing and only say what would be written
 * @param checkpoint a file that records the export's cursor after each page (and, beside it,
 *     {@code <file>.ids}, the member ids seen), so that a run interrupted at page 700 goes on from
 *     page 701; deleted when the run ends; null for none
 * @param samplesPerKind how many drifts of each kind the report keeps as samples
 * @param progress called after each page with the report so far (on the reconciling thread: a
 *     progress bar, a log line); what it throws stops the run after that page, checkpointed
 */
public record ReconcileOptions(boolean dryRun, Path checkpoint, int samplesPerKind,
    Consumer<ReconcileReport> progress) {

  /** Samples kept of each kind of drift by default. */
  public static final int DEFAULT_SAMPLES_PER_KIND = 20;

  /**
   * Checks the options.
   *
   * @throws IllegalArgumentException when samplesPerKind is negative
   */
  public ReconcileOptions {
    if (samplesPerKind < 0) {
      throw new IllegalArgumentException("samplesPerKind must not be negative: " + samplesPerKind);
    }
    progress = progress == null ? report -> { } : progress;
  }

  /** Writes, no checkpoint, 20 samples of each kind, no progress. */
  public static ReconcileOptions defaults() {
    return builder().build();
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ReconcileOptions}. */
  public static final class Builder {
    private boolean dryRun;
    private Path checkpoint;
    private int samplesPerKind = DEFAULT_SAMPLES_PER_KIND;
    private Consumer<ReconcileReport> progress;

    private Builder() {}

    /** Report only, write nothing; default false. */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /** The checkpoint file; default none. */
    public Builder checkpoint(Path checkpoint) {
      this.checkpoint = Objects.requireNonNull(checkpoint, "checkpoint");
      return this;
    }

    /** Samples kept of each kind of drift; default {@value #DEFAULT_SAMPLES_PER_KIND}. */
    public Builder samplesPerKind(int samplesPerKind) {
      this.samplesPerKind = samplesPerKind;
      return this;
    }

    /** Told the report so far after each page. */
    public Builder progress(Consumer<ReconcileReport> progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    /** The options. */
    public ReconcileOptions build() {
      return new ReconcileOptions(dryRun, checkpoint, samplesPerKind, progress);
    }
  }
}
