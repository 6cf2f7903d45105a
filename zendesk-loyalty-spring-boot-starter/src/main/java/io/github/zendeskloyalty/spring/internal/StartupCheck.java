package io.github.zendeskloyalty.spring.internal;

import io.github.zendeskloyalty.client.FieldReport;
import io.github.zendeskloyalty.client.ZendeskAuthenticationException;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.spring.ZendeskLoyaltyProperties;
import io.github.zendeskloyalty.spring.ZendeskLoyaltyProperties.FieldsOnStartup;
import java.util.stream.Collectors;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * {@code zendesk.loyalty.fields-on-startup}: checks (or creates) the user fields when the
 * application starts, which also proves the credentials. Refused credentials and missing fields
 * stop the start with a message naming the property; Zendesk being unavailable does not (the
 * health indicator shows it). Not part of the API.
 */
public final class StartupCheck {

  private static final Log LOG = LogFactory.getLog(StartupCheck.class);

  private StartupCheck() {}

  /**
   * Runs the check the properties ask for.
   *
   * @throws IllegalStateException when the application should not start
   */
  public static void run(ZendeskLoyaltySync sync, ZendeskLoyaltyProperties properties,
      SyncHealth health) {
    FieldsOnStartup mode = properties.getFieldsOnStartup();
    if (mode == FieldsOnStartup.NONE) {
      return;
    }
    FieldReport report;
    try {
      report = mode == FieldsOnStartup.ENSURE ? sync.fields().ensure() : sync.fields().verify();
    } catch (ZendeskAuthenticationException refused) {
      throw new IllegalStateException(refused.status() == 403 && mode == FieldsOnStartup.ENSURE
          ? "zendesk.loyalty.fields-on-startup=ensure needs an admin's credentials to create"
              + " user fields; these may not (HTTP 403). Use an admin's zendesk.loyalty.email and"
              + " zendesk.loyalty.api-token, or create the fields once with 'zendesk-loyalty"
              + " fields ensure' and set fields-on-startup=verify."
          : "Zendesk refused the credentials in " + credentialProperties(properties) + " (HTTP "
              + refused.status() + "): check them (for an API token, that token access is on in"
              + " Admin Center). " + refused.getMessage(), refused);
    } catch (ZendeskException unavailable) {
      health.fieldsUnchecked(unavailable);
      LOG.warn("Could not check the Zendesk user fields at startup ("
          + unavailable.getClass().getSimpleName() + "); starting anyway, the health indicator"
          + " will retry: " + unavailable.getMessage());
      return;
    }
    health.fieldsChecked(report);
    if (!report.isReady()) {
      throw new IllegalStateException("zendesk.loyalty.fields-on-startup=" + mode.name()
          .toLowerCase(java.util.Locale.ROOT) + ": the Zendesk user fields are not ready."
          + (report.missing().isEmpty() ? "" : " Missing: " + report.missing().stream()
              .map(FieldSchema.Field::key).collect(Collectors.joining(", ")) + ".")
          + (report.mismatched().isEmpty() ? "" : " Of another type: " + report.mismatched()
              .stream().map(m -> m.expected().key() + " is " + m.actualType() + ", should be "
                  + m.expected().type().apiName()).collect(Collectors.joining(", ")) + ".")
          + (report.missing().isEmpty() ? " Change or remove those fields in Admin Center."
              : " Set zendesk.loyalty.fields-on-startup=ensure to create them (an admin's"
                  + " credentials), or run 'zendesk-loyalty fields ensure'."));
    }
    if (!report.created().isEmpty()) {
      LOG.info("Created " + report.created().size() + " Zendesk user fields");
    }
  }

  private static String credentialProperties(ZendeskLoyaltyProperties properties) {
    if (properties.getOauth().getClientId() != null) {
      return properties.getOauth().getRefreshToken() != null
          ? "zendesk.loyalty.oauth.client-id and zendesk.loyalty.oauth.refresh-token"
          : "zendesk.loyalty.oauth.client-id and zendesk.loyalty.oauth.client-secret";
    }
    return properties.getOauthToken() != null ? "zendesk.loyalty.oauth-token"
        : "zendesk.loyalty.email and zendesk.loyalty.api-token";
  }
}
