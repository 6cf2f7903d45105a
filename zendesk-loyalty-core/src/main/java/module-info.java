/**
 * The loyalty member, its 21 attributes and how they map to Zendesk user fields; the JDK only.
 * Its {@code internal} package is for the client alone.
 */
module io.github.zendeskloyalty.core {
  exports io.github.zendeskloyalty.core;
  exports io.github.zendeskloyalty.core.internal to io.github.zendeskloyalty.client;
}
