package io.github.zendeskloyalty.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.github.zendeskloyalty.client.TestMembers.member;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A WireMock Zendesk, a fake clock and an SDK wired to both; the SDK is closed after each test. */
abstract class WireTestBase {

  @RegisterExtension
  static WireMockExtension zendesk =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  static final ObjectMapper JSON = new ObjectMapper();
  static final String TOKEN = "s3cr3t-T0ken";
  static final String BASIC = Base64.getEncoder().encodeToString(
      ("admin@example.com/token:" + TOKEN).getBytes(StandardCharsets.UTF_8));

  final FakeTime time = new FakeTime();
  ZendeskLoyaltySync sync;

  /** Fake time, an hour of max delay (batches go on flush), polls without waiting. */
  ZendeskLoyaltySync.Builder builder() {
    return ZendeskLoyaltySync.builder()
        .baseUri(URI.create(zendesk.baseUrl()))
        .credentials(ZendeskCredentials.apiToken("admin@example.com", TOKEN))
        .clock(time)
        .sleeper(time)
        .random(new Random(7))
        .maxDelay(Duration.ofHours(1))
        .jobPollInterval(Duration.ZERO)
        .closeTimeout(Duration.ofSeconds(10));
  }

  @AfterEach
  void closeSync() {
    if (sync != null) {
      sync.close();
    }
  }

  /**
   * Submits a points change, sends it at once and waits until the SDK is done with it: the
   * returned future is complete and the listener has heard of it.
   */
  CompletableFuture<SyncResult> send(int n) throws Exception {
    CompletableFuture<SyncResult> future =
        sync.onPointsChanged(member(n), SyncTrigger.POINTS_AWARDED);
    sync.flush().get(10, TimeUnit.SECONDS);
    return future;
  }

  /** Single quotes to double quotes, for readable JSON in tests. */
  static String json(String body) {
    return body.replace('\'', '"');
  }

  static JsonNode body(String text) throws Exception {
    return JSON.readTree(text);
  }

  static ResponseDefinitionBuilder jsonAnswer(int status, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
        .withBody(json(body));
  }

  /** Answers a poll of job {@code id} with a completed job and these results. */
  static void stubJob(String id, String results) {
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/job_statuses/show_many"))
        .withQueryParam("ids", equalTo(id))
        .willReturn(jsonAnswer(200,
            "{'job_statuses':[{'id':'" + id + "','status':'completed','results':" + results
                + "}]}")));
  }
}
