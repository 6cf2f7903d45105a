package io.github.zendeskloyalty.kafka;

import java.util.Map;
import java.util.Objects;

/**
 * What a {@link DeadLetterReplay} did (or, on a dry run, would do).
 *
 * <pre>{@code
 * ReplayReport report = replay.run();
 * System.out.println(report.replayed() + " records back on their topics: " + report.byReason());
 * }</pre>
 *
 * @param replayed records written back to their source topics (would be, on a dry run)
 * @param withoutSource records with no {@code zendesk-loyalty.source-topic} header: not written
 *     by the intake, so left where they are
 * @param bounded bounded dead letters (header {@code zendesk-loyalty.bounded}): their key and
 *     value are cut, so they are not written back; the original is in the source topic at the
 *     offset their headers name, while the topic's retention keeps it
 * @param byReason replayed records by {@link DeadLetterReason} name ({@code UNKNOWN} for records
 *     dead-lettered before the reason code existed)
 * @param dryRun whether nothing was written or committed
 */
public record ReplayReport(long replayed, long withoutSource, long bounded,
    Map<String, Long> byReason,
    boolean dryRun) {

  /** Copies the map. */
  public ReplayReport {
    byReason = Map.copyOf(Objects.requireNonNull(byReason, "byReason"));
  }
}
