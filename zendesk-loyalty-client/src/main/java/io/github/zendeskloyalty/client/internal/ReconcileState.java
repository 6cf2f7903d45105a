package io.github.zendeskloyalty.client.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zendeskloyalty.client.ReconcileCheckpointException;
import io.github.zendeskloyalty.client.ReconcileReport.Drift;
import io.github.zendeskloyalty.client.ReconcileReport.DriftKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a reconcile stands: the export's cursor, the counts so far and the member ids seen. Its
 * checkpoint is two files: {@code <file>}, JSON, replaced atomically after each page, and
 * {@code <file>.ids}, the member ids seen, appended a page at a time (the JSON says how many of
 * its lines count, so a page appended and not checkpointed is read again, not skipped). Not
 * part of the API.
 */
final class ReconcileState {

  String cursor;
  boolean exportDone;
  long accountUsers = -1;
  int pagesRead;
  long usersRead;
  long loyaltyUsers;
  final Map<String, Long> fieldsDiffering = new LinkedHashMap<>();
  long membersDiffering;
  long noZendeskUser;
  long orphans;
  long duplicates;
  long sourceOlder;
  long inactiveUsers;
  long sourceMismatches;
  long emailsChanged;
  long written;
  long writeFailed;
  final List<Drift> samples = new ArrayList<>();
  final Set<String> seen = new HashSet<>();
  /** Drifted members found and not yet written (at most a batch). */
  final List<String> pendingIds = new ArrayList<>();
  private long idsSaved;

  /** Appends the page's member ids and replaces the checkpoint with this state. */
  void save(Path file, List<String> idsOfPage) {
    try {
      Path ids = ids(file);
      if (!idsOfPage.isEmpty()) {
        Files.write(ids, idsOfPage, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
      idsSaved += idsOfPage.size();
      ObjectNode json = Json.MAPPER.createObjectNode();
      json.put("version", 1);
      json.put("cursor", cursor);
      json.put("exportDone", exportDone);
      json.put("accountUsers", accountUsers);
      json.put("pagesRead", pagesRead);
      json.put("usersRead", usersRead);
      json.put("loyaltyUsers", loyaltyUsers);
      json.set("fieldsDiffering", Json.MAPPER.valueToTree(fieldsDiffering));
      json.put("membersDiffering", membersDiffering);
      json.put("noZendeskUser", noZendeskUser);
      json.put("orphans", orphans);
      json.put("duplicates", duplicates);
      json.put("sourceOlder", sourceOlder);
      json.put("inactiveUsers", inactiveUsers);
      json.put("sourceMismatches", sourceMismatches);
      json.put("emailsChanged", emailsChanged);
      json.put("written", written);
      json.put("writeFailed", writeFailed);
      json.put("idsSaved", idsSaved);
      json.set("pendingIds", Json.MAPPER.valueToTree(pendingIds));
      json.set("samples", Json.MAPPER.valueToTree(samples));
      Path next = file.resolveSibling(file.getFileName() + ".next");
      Files.write(next, Json.MAPPER.writeValueAsBytes(json));
      try {
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException notAtomic) {
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException failed) {
      throw new UncheckedIOException("could not write the reconcile checkpoint " + file, failed);
    }
  }

  /**
   * The state a checkpoint holds, or null when there is none.
   *
   * @throws ReconcileCheckpointException when the file is there but is no checkpoint of this
   *     SDK (it is never taken for "start over")
   */
  static ReconcileState load(Path file) {
    if (!Files.exists(file)) {
      return null;
    }
    try {
      JsonNode json = Json.MAPPER.readTree(file.toFile());
      if (json == null || json.path("version").asInt() != 1 || !json.path("idsSaved").isNumber()
          || !json.path("exportDone").isBoolean()) {
        throw new ReconcileCheckpointException(file, "the reconcile checkpoint " + file + " is not"
            + " one this SDK wrote; delete it to start over", null);
      }
      ReconcileState state = new ReconcileState();
      state.cursor = json.path("cursor").isTextual() ? json.path("cursor").asText() : null;
      state.exportDone = json.path("exportDone").asBoolean();
      state.accountUsers = json.path("accountUsers").asLong(-1);
      state.pagesRead = json.path("pagesRead").asInt();
      state.usersRead = json.path("usersRead").asLong();
      state.loyaltyUsers = json.path("loyaltyUsers").asLong();
      state.fieldsDiffering.putAll(Json.MAPPER.convertValue(json.path("fieldsDiffering"),
          new TypeReference<Map<String, Long>>() {}));
      state.membersDiffering = json.path("membersDiffering").asLong();
      state.noZendeskUser = json.path("noZendeskUser").asLong();
      state.orphans = json.path("orphans").asLong();
      state.duplicates = json.path("duplicates").asLong();
      state.sourceOlder = json.path("sourceOlder").asLong();
      state.inactiveUsers = json.path("inactiveUsers").asLong();
      state.sourceMismatches = json.path("sourceMismatches").asLong();
      state.emailsChanged = json.path("emailsChanged").asLong();
      state.written = json.path("written").asLong();
      state.writeFailed = json.path("writeFailed").asLong();
      for (JsonNode sample : json.path("samples")) {
        state.samples.add(new Drift(DriftKind.valueOf(sample.path("kind").asText()),
            text(sample, "memberId"), sample.path("userId").canConvertToLong()
                ? sample.path("userId").asLong() : null, text(sample, "field"),
            text(sample, "zendeskValue"), text(sample, "sourceValue")));
      }
      state.idsSaved = json.path("idsSaved").asLong();
      json.path("pendingIds").forEach(id -> state.pendingIds.add(id.asText()));
      Path ids = ids(file);
      if (state.idsSaved > 0) {
        try (BufferedReader lines = Files.newBufferedReader(ids, StandardCharsets.UTF_8)) {
          for (long n = 0; n < state.idsSaved; n++) {
            String id = lines.readLine();
            if (id == null) {
              throw new ReconcileCheckpointException(file, "the reconcile checkpoint's " + ids
                  + " has fewer ids than it says (" + n + " of " + state.idsSaved + "); delete"
                  + " both files to start over", null);
            }
            state.seen.add(id);
          }
          if (lines.readLine() != null) { // a page appended, not checkpointed: read again
            Files.write(ids, state.seen, StandardCharsets.UTF_8);
          }
        }
      }
      return state;
    } catch (IOException | IllegalArgumentException unreadable) {
      throw new ReconcileCheckpointException(file, "the reconcile checkpoint " + file
          + " cannot be read (" + unreadable.getMessage() + "); delete it to start over",
          unreadable);
    }
  }

  /** Deletes the checkpoint: the run ended. */
  static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
      Files.deleteIfExists(ids(file));
    } catch (IOException failed) {
      throw new UncheckedIOException("could not delete the reconcile checkpoint " + file, failed);
    }
  }

  private static Path ids(Path file) {
    return file.resolveSibling(file.getFileName() + ".ids");
  }

  private static String text(JsonNode node, String field) {
    return node.path(field).isTextual() ? node.path(field).asText() : null;
  }
}
