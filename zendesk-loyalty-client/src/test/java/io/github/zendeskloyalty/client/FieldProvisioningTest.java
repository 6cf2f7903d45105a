package io.github.zendeskloyalty.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyAttribute;
import io.github.zendeskloyalty.core.ZendeskFieldType;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FieldProvisioningTest {

  @RegisterExtension
  static WireMockExtension zendesk =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private final FakeTime time = new FakeTime();
  private ZendeskLoyaltySync sync;

  @AfterEach
  void closeSync() {
    sync.close();
  }

  private ZendeskLoyaltySync build(FieldSchema schema) {
    sync = ZendeskLoyaltySync.builder().baseUri(URI.create(zendesk.baseUrl()))
        .credentials(ZendeskCredentials.apiToken("admin@example.com", "tok"))
        .schema(schema).clock(time).sleeper(time).build();
    return sync;
  }

  private static String field(String key, String type, boolean active) {
    return "{\"id\":" + Math.abs(key.hashCode()) + ",\"key\":\"" + key + "\",\"type\":\"" + type
        + "\",\"title\":\"" + key + "\",\"active\":" + active + "}";
  }

  /** Two pages: the standard fields but phone, with one mistyped and one inactive. */
  private static void stubTwoPages() {
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    List<String> target = first;
    for (FieldSchema.Field f : FieldSchema.standard().fields()) {
      if (f.attribute() == LoyaltyAttribute.PHONE) {
        continue;
      }
      String type = f.attribute() == LoyaltyAttribute.NUMBER_OF_PURCHASES ? "text" : f.type().apiName();
      target.add(field(f.key(), type, f.attribute() != LoyaltyAttribute.EMAIL));
      if (first.size() == 10) {
        target = second;
      }
    }
    first.add(field("unrelated_field", "checkbox", true));
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/user_fields"))
        .withQueryParam("page[size]", equalTo("100")).withQueryParam("page[after]", absent())
        .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(
            "{\"user_fields\":[" + String.join(",", first) + "],\"meta\":{\"has_more\":true,"
                + "\"after_cursor\":\"xyz=\"},\"links\":{\"next\":\"https://elsewhere.example/steal\"}}")));
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/user_fields"))
        .withQueryParam("page[after]", equalTo("xyz="))
        .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(
            "{\"user_fields\":[" + String.join(",", second) + "],\"meta\":{\"has_more\":false,"
                + "\"after_cursor\":null}}")));
  }

  @Test
  void verifyReadsEveryPageAndReportsMissingMismatchedAndInactiveFields() {
    stubTwoPages();

    FieldReport report = build(FieldSchema.standard()).fields().verify();

    assertThat(report.missing()).extracting(FieldSchema.Field::key).containsExactly("phone");
    assertThat(report.mismatched()).singleElement().hasToString(
        "zrl_member_number_of_purchases is 'text' in Zendesk but the schema expects 'integer'");
    assertThat(report.inactive()).extracting(FieldSchema.Field::key).containsExactly("email");
    assertThat(report.present()).hasSize(19);
    assertThat(report.created()).isEmpty();
    assertThat(report.isReady()).isFalse();
    zendesk.verify(0, postRequestedFor(urlPathEqualTo("/api/v2/user_fields")));
  }

  @Test
  void ensureCreatesOnlyWhatIsMissingWithTypeTitleAndDescription() throws Exception {
    stubTwoPages();
    zendesk.stubFor(post("/api/v2/user_fields").willReturn(aResponse().withStatus(201)
        .withHeader("Content-Type", "application/json").withBody("{\"user_field\":{\"id\":1}}")));
    FieldSchema schema = FieldSchema.builder()
        .type(LoyaltyAttribute.ENROLLMENT_DATE, ZendeskFieldType.DATE).build();

    FieldReport report = build(schema).fields().ensure();

    var posts = zendesk.findAll(postRequestedFor(urlPathEqualTo("/api/v2/user_fields")));
    assertThat(posts).hasSize(1);
    JsonNode created = new ObjectMapper().readTree(posts.get(0).getBodyAsString()).path("user_field");
    assertThat(created.path("key").asText()).isEqualTo("phone");
    assertThat(created.path("type").asText()).isEqualTo("text");
    assertThat(created.path("title").asText()).isEqualTo("Loyalty: phone");
    assertThat(created.path("description").asText()).isEqualTo("The phone number of the member.");
    assertThat(created.path("active").asBoolean()).isTrue();
    assertThat(report.created()).extracting(FieldSchema.Field::key).containsExactly("phone");
    assertThat(report.mismatched()).extracting(m -> m.expected().key())
        .containsExactlyInAnyOrder("zrl_member_number_of_purchases", "zrl_member_enrollment_date");
    zendesk.verify(0, putRequestedFor(urlMatching("/api/v2/user_fields.*")));
    zendesk.verify(0, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
        urlMatching(".*steal.*")));
  }

  @Test
  void ensureWithANonAdminCredentialFailsClearly() {
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/user_fields")).willReturn(aResponse()
        .withHeader("Content-Type", "application/json")
        .withBody("{\"user_fields\":[],\"meta\":{\"has_more\":false}}")));
    zendesk.stubFor(post("/api/v2/user_fields").willReturn(aResponse().withStatus(403)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error\":\"Forbidden\",\"description\":\"You do not have access to this page.\"}")));

    assertThatThrownBy(() -> build(FieldSchema.standard()).fields().ensure())
        .isInstanceOf(ZendeskAuthenticationException.class)
        .hasMessageContaining("POST /user_fields failed: HTTP 403 Forbidden")
        .hasMessageContaining("Creating user fields needs an admin");
  }
}
