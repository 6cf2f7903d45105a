package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.client.ZendeskAuthenticationException;
import io.github.zendeskloyalty.client.ZendeskException;

/**
 * Gives each Zendesk call its {@code Authorization} header and hears the calls Zendesk refused
 * with 401: a fixed credential, or an OAuth session that renews its token. Thread-safe. Not part
 * of the API.
 */
public interface Authorizer {

  /**
   * The header for the next call.
   *
   * @throws ZendeskAuthenticationException when the account needs reconnecting
   * @throws ZendeskException when a token could not be had now (Zendesk's token endpoint down):
   *     retryable
   */
  String header() throws InterruptedException;

  /**
   * Zendesk answered 401 to a call made with {@code used}: the header to try the call once more
   * with, or null when there is none (the call fails with {@code refusal}).
   *
   * @throws ZendeskAuthenticationException when renewing showed the credentials need
   *     reconnecting: the call fails with it
   */
  String rejected(String used, ZendeskException refusal) throws InterruptedException;

  /**
   * Zendesk answered 401 again to the retry with a header {@link #rejected} gave: the
   * credentials do not work; returns the failure to raise.
   */
  ZendeskException rejectedAgain(String used, ZendeskException refusal);

  /** How credentials become an authorizer for one sync's account, client and clock. */
  @FunctionalInterface
  interface Binding {
    /**
     * The authorizer for the account at {@code baseUri}.
     *
     * @param listener hears when the credentials need reconnecting and each renewal
     */
    Authorizer bind(java.net.URI baseUri, java.net.http.HttpClient client,
        java.time.Duration timeout, java.time.Clock clock,
        io.github.zendeskloyalty.client.SyncListener listener);
  }

  /** A credential that never changes: a 401 is final. */
  static Authorizer fixed(String header) {
    return new Authorizer() {
      @Override
      public String header() {
        return header;
      }

      @Override
      public String rejected(String used, ZendeskException refusal) {
        return null;
      }

      @Override
      public ZendeskException rejectedAgain(String used, ZendeskException refusal) {
        return refusal;
      }
    };
  }
}
