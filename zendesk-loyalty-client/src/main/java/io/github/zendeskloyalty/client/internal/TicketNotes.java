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

  /**
   * Adds {@code note} (not public) to the ticket and clears {@code clearedField}. The note goes
   * as {@code html_body} with every character of it escaped: Zendesk renders Markdown in a
   * {@code body}, never in an {@code html_body}, so text an agent typed shows as typed.
   */
  public void note(long ticketId, String note, long clearedField) throws InterruptedException {
    Map<String, Object> comment = new LinkedHashMap<>();
    comment.put("html_body", "<p>" + escape(note) + "</p>");
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

  /** Text as HTML text: the five characters HTML gives a meaning escaped. */
  static String escape(String text) {
    StringBuilder html = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> html.append("&amp;");
        case '<' -> html.append("&lt;");
        case '>' -> html.append("&gt;");
        case '"' -> html.append("&quot;");
        case '\'' -> html.append("&#39;");
        default -> html.append(c);
      }
    }
    return html.toString();
  }
}
