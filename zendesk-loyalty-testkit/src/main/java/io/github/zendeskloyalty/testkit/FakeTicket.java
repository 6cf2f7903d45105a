package io.github.zendeskloyalty.testkit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ticket of the fake Zendesk, as it stands: its requester, its custom field values by ticket
 * field id, and its comments (internal notes are not public).
 *
 * <pre>{@code
 * FakeTicket ticket = fake.createTicket("jane@example.com", "Where is my parcel?");
 * fake.updateTicketAsAgent(ticket.id(), Map.of(goodwillFieldId, 100));
 * assertThat(fake.ticket(ticket.id()).orElseThrow().comments()).last()
 *     .satisfies(note -> assertThat(note.body()).startsWith("Awarded 100 points"));
 * }</pre>
 *
 * @param customFields values by ticket field id (null for a cleared field)
 */
public record FakeTicket(long id, long requesterId, String subject, Map<Long, Object> customFields,
    List<Comment> comments) {

  /** Copies the collections. */
  public FakeTicket {
    customFields = Collections.unmodifiableMap(new LinkedHashMap<>(customFields));
    comments = List.copyOf(comments);
  }

  /** A comment; {@code isPublic} false for an internal note. */
  public record Comment(String body, boolean isPublic, long authorId) {}
}
