/**
 * The SDK: {@code ZendeskLoyaltySync} and what configures it, on {@code java.net.http} and
 * Jackson. Its {@code internal} package is exported to nobody.
 */
module io.github.zendeskloyalty.client {
  requires transitive io.github.zendeskloyalty.core;
  requires transitive java.net.http;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.datatype.jsr310;

  exports io.github.zendeskloyalty.client;
}
