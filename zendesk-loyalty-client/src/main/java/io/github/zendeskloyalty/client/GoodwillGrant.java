package io.github.zendeskloyalty.client;

import java.math.BigDecimal;

/**
 * Goodwill points an agent asked for on a ticket, as the webhook carried them.
 *
 * <pre>{@code
 * GoodwillHandler handler = grant -> loyalty.award(grant.requesterEmail(), grant.points(),
 *     "goodwill: " + grant.reason() + " (ticket " + grant.ticketId() + ")");
 * }</pre>
 *
 * @param id the grant's id: the webhook's invocation id (for approval)
 * @param requesterExternalId the requester's external id, or null
 */
public record GoodwillGrant(String id, long ticketId, String requesterEmail,
    String requesterExternalId, BigDecimal points, String reason, long agentId) {}
