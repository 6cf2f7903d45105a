package io.github.zendeskloyalty.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.github.zendeskloyalty.client.TestMembers.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A 2xx without what the call needs is a retryable failure; garbage never reads as "absent". */
class UntrustedAnswersTest extends WireTestBase {

  /** 2xx bodies a proxy, a CDN or a half-written answer can give. */
  enum Garbage {
    HTML("<html><body>Service temporarily unavailable</body></html>"),
    EMPTY(""),
    TRUNCATED("{\"user\": {\"id\": 12"),
    WRONG_SHAPE("{\"ok\": true}");

    final String body;

    Garbage(String body) {
      this.body = body;
    }

    ResponseDefinitionBuilder answer() {
      return aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody(body);
    }
  }

  @ParameterizedTest
  @EnumSource(Garbage.class)
  void aGarbledSuccessIsRetriedAndNeverReportedOrCachedAsWritten(Garbage garbage)
      throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update").inScenario("g")
        .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("ok").willReturn(garbage.answer()));
    zendesk.stubFor(post("/api/v2/users/create_or_update").inScenario("g")
        .whenScenarioStateIs("ok").willReturn(jsonAnswer(201, "{'user':{'id':501}}")));
    RecordingListener listener = new RecordingListener();
    sync = builder().listener(listener).build();

    SyncResult result = send(1).get(10, TimeUnit.SECONDS);

    assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.CREATED);
    assertThat(result.zendeskUserId()).isEqualTo(501L);
    assertThat(listener.retries).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Garbage.class)
  void whenRetriesRunOutAGarbledSuccessFailsAndNoIdIsRemembered(Garbage garbage)
      throws Exception {
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/users/show_many"))
        .willReturn(jsonAnswer(200, "{'users':[]}")));
    zendesk.stubFor(post("/api/v2/users/create_or_update").willReturn(garbage.answer()));
    sync = builder().identity(IdentityPolicy.EXTERNAL_ID).retryPolicy(RetryPolicy.none()).build();

    CompletableFuture<SyncResult> first = send(1);
    assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOf(ZendeskServerException.class)
        .hasMessageContaining("answered HTTP 200 without what the call needs");
    time.advance(Duration.ofSeconds(2));
    CompletableFuture<SyncResult> second = send(1);
    assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOf(ZendeskServerException.class);

    zendesk.verify(2, getRequestedFor(urlPathEqualTo("/api/v2/users/show_many")));
    zendesk.verify(0, putRequestedFor(urlPathMatching("/api/v2/users/\\d+")));
  }

  @ParameterizedTest
  @EnumSource(Garbage.class)
  void aGarbledLookupNeverMeansNoSuchUserUnderSkip(Garbage garbage) throws Exception {
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/users/search")).willReturn(garbage.answer()));
    sync = builder().missingUsers(MissingUserPolicy.SKIP).retryPolicy(RetryPolicy.none()).build();

    CompletableFuture<SyncResult> future = send(1);

    assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOf(ZendeskServerException.class)
        .hasMessageContaining("GET /users/search answered HTTP 200");
  }

  @ParameterizedTest
  @EnumSource(Garbage.class)
  void aGarbledLookupNeverLeadsToACreateThatWouldAddASecondIdentity(Garbage garbage)
      throws Exception {
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/users/show_many")).willReturn(garbage.answer()));
    sync = builder().identity(IdentityPolicy.EXTERNAL_ID).retryPolicy(RetryPolicy.none()).build();

    CompletableFuture<SyncResult> future = send(1);

    assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOf(ZendeskServerException.class);
    zendesk.verify(0, postRequestedFor(urlPathEqualTo("/api/v2/users/create_or_update")));
    zendesk.verify(0, putRequestedFor(urlPathEqualTo("/api/v2/users/update_many")));
  }

  @ParameterizedTest
  @EnumSource(Garbage.class)
  void aGarbledBulkAnswerOrJobStatusIsNotASuccess(Garbage garbage) throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update_many").inScenario("g")
        .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("ok").willReturn(garbage.answer()));
    zendesk.stubFor(post("/api/v2/users/create_or_update_many").inScenario("g")
        .whenScenarioStateIs("ok")
        .willReturn(jsonAnswer(200, "{'job_status':{'id':'j1','status':'queued'}}")));
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/job_statuses/show_many")).inScenario("p")
        .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("ok").willReturn(garbage.answer()));
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/job_statuses/show_many")).inScenario("p")
        .whenScenarioStateIs("ok").willReturn(jsonAnswer(200, "{'job_statuses':[{'id':'j1',"
            + "'status':'completed','results':[{'index':0,'id':1,'status':'Updated'},"
            + "{'index':1,'id':2,'status':'Updated'}]}]}")));
    sync = builder().build();

    CompletableFuture<SyncResult> one = sync.onPointsChanged(member(1),
        SyncTrigger.POINTS_AWARDED);
    CompletableFuture<SyncResult> two = sync.onPointsChanged(member(2),
        SyncTrigger.POINTS_AWARDED);
    sync.flush().get(10, TimeUnit.SECONDS);

    assertThat(one.join().zendeskUserId()).isEqualTo(1L);
    assertThat(two.join().zendeskUserId()).isEqualTo(2L);
    zendesk.verify(2, postRequestedFor(urlPathEqualTo("/api/v2/users/create_or_update_many")));
    zendesk.verify(2, getRequestedFor(urlPathEqualTo("/api/v2/job_statuses/show_many")));
  }

  @ParameterizedTest
  @EnumSource(Garbage.class)
  void aGarbledUpdateAnswerKeepsNoUserAsUpdated(Garbage garbage) throws Exception {
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/users/search"))
        .willReturn(jsonAnswer(200, "{'users':[{'id':77,'email':'member1@example.com'}]}")));
    zendesk.stubFor(put("/api/v2/users/77").willReturn(garbage.answer()));
    sync = builder().missingUsers(MissingUserPolicy.SKIP).retryPolicy(RetryPolicy.none()).build();

    CompletableFuture<SyncResult> future = send(1);

    assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOf(ZendeskServerException.class)
        .hasMessageContaining("PUT /users/{id} answered HTTP 200");
  }
}
