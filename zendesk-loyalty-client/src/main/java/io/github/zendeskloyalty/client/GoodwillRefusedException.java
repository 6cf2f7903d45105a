package io.github.zendeskloyalty.client;

import java.util.Objects;

/**
 * Thrown by a {@link GoodwillHandler} that refuses a grant for a reason the agent should read
 * (no member with that e-mail, the member blocked): the ticket's note says "Goodwill points not
 * granted: " and the reason, and the outcome is {@link AgentActions.Outcome#REFUSED} with reason
 * {@code handler_refused}, not a failure of the loyalty system. Nothing is awarded.
 *
 * <pre>{@code
 * GoodwillHandler handler = grant -> {
 *   Member member = members.byEmail(grant.requesterEmail())
 *       .orElseThrow(() -> new GoodwillRefusedException("no loyalty member has this e-mail"));
 *   return member.award(grant.points()).toLoyaltyMember();
 * };
 * }</pre>
 */
public final class GoodwillRefusedException extends Exception {

  private static final long serialVersionUID = 1L;

  /** A refusal whose {@code reason} the agent reads in the note (bounded and shown as text). */
  public GoodwillRefusedException(String reason) {
    super(Objects.requireNonNull(reason, "reason"));
  }
}
