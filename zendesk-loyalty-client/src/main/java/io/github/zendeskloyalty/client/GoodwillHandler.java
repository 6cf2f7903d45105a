package io.github.zendeskloyalty.client;

import io.github.zendeskloyalty.core.LoyaltyMember;

/**
 * The loyalty backend's side of a goodwill grant: awards the points and answers the member as
 * it stands afterwards, which the SDK then syncs to the profile like any points change.
 *
 * <pre>{@code
 * GoodwillHandler handler = grant -> {
 *   Member member = members.byEmail(grant.requesterEmail());
 *   member.award(grant.points(), "goodwill: " + grant.reason());
 *   return member.toLoyaltyMember();
 * };
 * }</pre>
 */
@FunctionalInterface
public interface GoodwillHandler {

  /**
   * Awards {@code grant}; what it throws leaves an internal note saying the grant failed, and
   * nothing is written to the profile.
   */
  LoyaltyMember award(GoodwillGrant grant) throws Exception;
}
