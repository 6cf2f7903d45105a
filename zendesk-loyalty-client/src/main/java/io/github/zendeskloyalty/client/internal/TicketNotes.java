package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.client.ZendeskOperation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes on tickets for agent actions: one update that adds an internal note and clears a
 * custom field (so a trigger on it does not fire again). Not part of the API.
 */
public final class TicketNotes {

  private final ZendeskHttp http;

  TicketNotes(ZendeskHttp http) {
    this.http = http;
  }

  /** Adds {@code note} (not public) to the ticket and clears {@code clearedField}. */
  public void note(long ticketId, String note, long clearedField) throws InterruptedException {
    Map<String, Object> comment = new LinkedHashMap<>();
    comment.put("body", note);
    comment.put("public", false);
    Map<String, Object> cleared = new LinkedHashMap<>();
    cleared.put("id", clearedField);
    cleared.put("value", null);
    Map<String, Object> ticket = new LinkedHashMap<>();
    ticket.put("comment", comment);
    ticket.put("custom_fields", List.of(cleared));
    http.call(ZendeskOperation.UPDATE_TICKET, "/tickets/" + ticketId, Map.of("ticket", ticket),
        null, (status, body) -> AnswerReader.object(body, "ticket"));
  }
}
