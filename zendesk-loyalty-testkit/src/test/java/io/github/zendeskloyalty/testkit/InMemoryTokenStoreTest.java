package io.github.zendeskloyalty.testkit;

import io.github.zendeskloyalty.client.OAuthTokenStore;

/** The in-memory token store: the instances of one process share one. */
class InMemoryTokenStoreTest extends OAuthTokenStoreContract {

  private static final OAuthTokenStore STORE = OAuthTokenStore.inMemory();

  @Override
  protected OAuthTokenStore instance() {
    return STORE;
  }
}
