package io.github.zendeskloyalty.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.zendeskloyalty.client.TestMembers.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The HTTP conversation with Zendesk: paths, headers, bodies, retries and errors. */
class SyncWireTest extends WireTestBase {

  @Test
  void aLoneMemberIsOneCreateOrUpdateWithCredentialsAndUserAgent() throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update").willReturn(aResponse().withStatus(201)
        .withHeader("Content-Type", "application/json").withBody(json("{'user':{'id':501}}"))));
    sync = builder().build();

    SyncResult result = send(1).get(10, TimeUnit.SECONDS);

    assertThat(result).isEqualTo(new SyncResult("M-1", SyncResult.Outcome.CREATED, 501L,
        SyncTrigger.POINTS_AWARDED));
    zendesk.verify(1, postRequestedFor(urlPathEqualTo("/api/v2/users/create_or_update"))
        .withHeader("Authorization", equalTo("Basic " + BASIC))
        .withHeader("User-Agent", matching("zendesk-loyalty-java/\\S+ \\(Java .+\\)"))
        .withHeader("Content-Type", equalTo("application/json"))
        .withRequestBody(equalToJson(json("{'user':{'email':'member1@example.com',"
            + "'name':'Member 1','skip_verify_email':true,'user_fields':{"
            + "'zrl_member_available_points':100,'zrl_member_member_id':'M-1',"
            + "'zrl_member_member_status':'active','zrl_member_loyalty_tier_name':'Silver',"
            + "'zrl_member_referral_url':null}}}"), false, true)));
    // over cleartext (a loopback fake) the default client speaks HTTP/1.1, with no h2c upgrade
    zendesk.verify(0, anyRequestedFor(anyUrl()).withHeader("Upgrade", matching(".*")));
  }

  @Test
  void manyMembersAreOneBulkCallWithResultsMappedBackByIndex() throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update_many").willReturn(aResponse()
        .withHeader("Content-Type", "application/json")
        .withBody(json("{'job_status':{'id':'job1','status':'queued'}}"))));
    stubJob("job1", "[{'index':2,'id':903,'status':'Failed','success':false,"
        + "'error':'UserUpdateError','details':'Email member3@example.com is invalid'},"
        + "{'index':0,'id':901,'action':'create','status':'Created','success':true},"
        + "{'index':1,'id':902,'action':'update','status':'Updated','success':true}]");
    sync = builder().build();

    CompletableFuture<SyncResult> first = sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED);
    CompletableFuture<SyncResult> second = sync.onTierChanged(member(2), SyncTrigger.TIER_UPGRADED);
    CompletableFuture<SyncResult> third = sync.onPointsChanged(member(3), SyncTrigger.POINTS_EXPIRED);
    sync.flush().get(10, TimeUnit.SECONDS);

    assertThat(first.join()).isEqualTo(new SyncResult("M-1", SyncResult.Outcome.CREATED, 901L,
        SyncTrigger.POINTS_AWARDED));
    assertThat(second.join()).isEqualTo(new SyncResult("M-2", SyncResult.Outcome.UPDATED, 902L,
        SyncTrigger.TIER_UPGRADED));
    assertThatThrownBy(third::join).hasCauseInstanceOf(ZendeskValidationException.class)
        .cause().hasMessageContaining("member M-3 in bulk job job1: UserUpdateError")
        .hasMessageNotContaining("member3@example.com");
    List<JsonNode> users = List.of(body(zendesk.findAll(
        postRequestedFor(urlPathEqualTo("/api/v2/users/create_or_update_many"))).get(0)
        .getBodyAsString()).path("users").elements().next());
    assertThat(users.get(0).path("email").asText()).isEqualTo("member1@example.com");
    zendesk.verify(1, postRequestedFor(urlPathEqualTo("/api/v2/users/create_or_update_many")));
  }

  @Test
  void whenBulkImportIsOffItResolvesIdsAndUsesUpdateManyWithoutEmails() throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update_many").willReturn(aResponse()
        .withStatus(403).withHeader("Content-Type", "application/json")
        .withBody(json("{'error':'Forbidden','description':'You do not have access'}"))));
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/users/search"))
        .withQueryParam("query", equalTo("email:member1@example.com"))
        .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(json(
            "{'users':[{'id':11,'email':'Member1@example.com'}],'count':1}"))));
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/users/search"))
        .withQueryParam("query", equalTo("email:member2@example.com"))
        .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(json(
            "{'users':[{'id':12,'email':'member2@example.com'}],'count':1}"))));
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/users/search"))
        .withQueryParam("query", equalTo("email:member3@example.com"))
        .willReturn(aResponse().withHeader("Content-Type", "application/json")
            .withBody(json("{'users':[],'count':0}"))));
    zendesk.stubFor(post("/api/v2/users/create_or_update").willReturn(aResponse().withStatus(201)
        .withHeader("Content-Type", "application/json").withBody(json("{'user':{'id':13}}"))));
    zendesk.stubFor(put("/api/v2/users/update_many").willReturn(aResponse()
        .withHeader("Content-Type", "application/json")
        .withBody(json("{'job_status':{'id':'job2','status':'queued'}}"))));
    stubJob("job2", "[{'id':12,'action':'update','status':'Updated','success':true},"
        + "{'id':11,'action':'update','status':'Updated','success':true}]");
    sync = builder().build();

    List<CompletableFuture<SyncResult>> futures = List.of(
        sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED),
        sync.onPointsChanged(member(2), SyncTrigger.POINTS_AWARDED),
        sync.onPointsChanged(member(3), SyncTrigger.POINTS_AWARDED));
    sync.flush().get(10, TimeUnit.SECONDS);

    assertThat(futures).extracting(CompletableFuture::join).containsExactly(
        new SyncResult("M-1", SyncResult.Outcome.UPDATED, 11L, SyncTrigger.POINTS_AWARDED),
        new SyncResult("M-2", SyncResult.Outcome.UPDATED, 12L, SyncTrigger.POINTS_AWARDED),
        new SyncResult("M-3", SyncResult.Outcome.CREATED, 13L, SyncTrigger.POINTS_AWARDED));
    JsonNode update = body(zendesk.findAll(putRequestedFor(urlPathEqualTo(
        "/api/v2/users/update_many"))).get(0).getBodyAsString());
    assertThat(update.path("users")).hasSize(2);
    for (JsonNode user : update.path("users")) {
      assertThat(user.has("email")).as("update_many must not send email").isFalse();
      assertThat(user.path("user_fields").path("zrl_member_member_id").asText()).startsWith("M-");
    }
    assertThat(body(zendesk.findAll(postRequestedFor(urlPathEqualTo(
        "/api/v2/users/create_or_update"))).get(0).getBodyAsString()).path("user")
        .path("email").asText()).isEqualTo("member3@example.com");
    assertThat(sync.toString()).contains("bulkImport=false");

    // the switch is made once: the next batch goes straight to update_many with cached ids
    zendesk.resetRequests();
    stubJob("job2", "[{'id':11,'status':'Updated','success':true},"
        + "{'id':12,'status':'Updated','success':true}]");
    sync.onPointsChanged(member(1, 5, TestMembers.T0.plusSeconds(1)), SyncTrigger.POINTS_REDEEMED);
    sync.onPointsChanged(member(2, 5, TestMembers.T0.plusSeconds(1)), SyncTrigger.POINTS_REDEEMED);
    sync.flush().get(10, TimeUnit.SECONDS);
    zendesk.verify(0, postRequestedFor(urlPathEqualTo("/api/v2/users/create_or_update_many")));
    zendesk.verify(0, getRequestedFor(urlPathEqualTo("/api/v2/users/search")));
    zendesk.verify(1, putRequestedFor(urlPathEqualTo("/api/v2/users/update_many")));
  }

  @Test
  void anAmbiguousEmailIsRefused() throws Exception {
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/users/search")).willReturn(aResponse()
        .withHeader("Content-Type", "application/json").withBody(json(
            "{'users':[{'id':1,'email':'member1@example.com'},"
                + "{'id':2,'email':'MEMBER1@example.com'}]}"))));
    sync = builder().missingUsers(MissingUserPolicy.SKIP).build();

    CompletableFuture<SyncResult> future =
        sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED);
    sync.flush().get(10, TimeUnit.SECONDS);

    assertThatThrownBy(future::join).cause().isInstanceOf(ZendeskException.class)
        .hasMessageContaining("matches 2 Zendesk users")
        .hasMessageContaining("m***@example.com")
        .hasMessageNotContaining("member1@example.com");
    zendesk.verify(0, putRequestedFor(urlPathEqualTo("/api/v2/users/update_many")));
  }

  @Test
  void externalIdIdentityUpdatesByExternalIdAndSkipsUsersThatDoNotExistWhenAsked()
      throws Exception {
    zendesk.stubFor(put("/api/v2/users/update_many").willReturn(jsonAnswer(200,
        "{'job_status':{'id':'x1','status':'queued'}}")));
    stubJob("x1", "[{'id':21,'external_id':'M-1','action':'update','success':true,"
        + "'status':'Updated'},{'external_id':'M-2','action':'update','success':false,"
        + "'status':'Failed','error':'UserUpdateError','details':'User not found'}]");
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/users/show_many"))
        .withQueryParam("external_ids", equalTo("M-2"))
        .willReturn(jsonAnswer(200, "{'users':[]}")));
    sync = builder().identity(IdentityPolicy.EXTERNAL_ID).missingUsers(MissingUserPolicy.SKIP)
        .build();

    CompletableFuture<SyncResult> one = sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED);
    CompletableFuture<SyncResult> two = sync.onPointsChanged(member(2), SyncTrigger.POINTS_AWARDED);
    sync.flush().get(10, TimeUnit.SECONDS);

    assertThat(one.join()).isEqualTo(new SyncResult("M-1", SyncResult.Outcome.UPDATED, 21L,
        SyncTrigger.POINTS_AWARDED));
    assertThat(two.join()).isEqualTo(new SyncResult("M-2", SyncResult.Outcome.SKIPPED_NO_USER, null,
        SyncTrigger.POINTS_AWARDED));
    JsonNode users = body(zendesk.findAll(putRequestedFor(urlPathEqualTo(
        "/api/v2/users/update_many"))).get(0).getBodyAsString()).path("users");
    assertThat(users.get(0).path("external_id").asText()).isEqualTo("M-1");
    assertThat(users).allSatisfy(user -> assertThat(user.has("email")).isFalse());
    zendesk.verify(0, getRequestedFor(urlPathEqualTo("/api/v2/users/show_many"))
        .withQueryParam("external_ids", equalTo("M-1,M-2")));
    zendesk.verify(0, postRequestedFor(urlPathEqualTo("/api/v2/users/create_or_update_many")));
  }

  @Test
  void retryAfterIsWaitedOutOnTheInjectedClock() throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update").inScenario("limited")
        .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("open")
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")
            .withBody("Too Many Requests")));
    zendesk.stubFor(post("/api/v2/users/create_or_update").inScenario("limited")
        .whenScenarioStateIs("open").willReturn(aResponse().withStatus(200)
            .withHeader("Content-Type", "application/json").withBody(json("{'user':{'id':5}}"))));
    RecordingListener listener = new RecordingListener();
    sync = builder().listener(listener).build();

    SyncResult result = send(1).get(10, TimeUnit.SECONDS);

    assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.UPDATED);
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(7));
    assertThat(listener.rateLimited).containsExactly(Duration.ofSeconds(7));
    assertThat(listener.retries).isEqualTo(1);
    zendesk.verify(2, postRequestedFor(urlPathEqualTo("/api/v2/users/create_or_update")));
  }

  @Test
  void aSingleUser429SaysOnceToShareWriteSlotsUnlessTheyAreShared() throws Exception {
    for (boolean shared : new boolean[] {false, true}) {
      zendesk.resetAll();
      zendesk.stubFor(post("/api/v2/users/create_or_update").inScenario("limited")
          .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("open")
          .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));
      zendesk.stubFor(post("/api/v2/users/create_or_update").inScenario("limited")
          .whenScenarioStateIs("open").willSetStateTo(Scenario.STARTED)
          .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
              .withBody(json("{'user':{'id':5}}"))));
      ZendeskLoyaltySync.Builder builder = builder();
      if (shared) {
        builder.singleUserWriteSlots(SingleUserWriteSlots.inMemory());
      }
      try (LogCapture log = new LogCapture()) {
        sync = builder.build();
        assertThat(send(1).get().outcome()).isEqualTo(SyncResult.Outcome.UPDATED);
        time.advance(Duration.ofMinutes(1));
        assertThat(send(2).get().outcome()).isEqualTo(SyncResult.Outcome.UPDATED);
        zendesk.verify(4, postRequestedFor(urlPathEqualTo("/api/v2/users/create_or_update")));
        sync.close();

        assertThat(log.at(java.util.logging.Level.WARNING)
            .stream().filter(line -> line.contains("SingleUserWriteSlots")))
            .as("429s met, each instance told once; shared slots: %s", shared)
            .hasSize(shared ? 0 : 1);
      }
    }
  }

  @Test
  void aTooManyRequestsWithoutRetryAfterWaitsTheDefaultWithJitter() throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update").inScenario("plain")
        .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("open")
        .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "text/plain")
            .withBody("Rate limit for this user exceeded")));
    zendesk.stubFor(post("/api/v2/users/create_or_update").inScenario("plain")
        .whenScenarioStateIs("open").willReturn(aResponse().withStatus(200)
            .withHeader("Content-Type", "application/json").withBody(json("{'user':{'id':5}}"))));
    sync = builder().build();

    send(1).get(10, TimeUnit.SECONDS);

    assertThat(time.sleeps()).anySatisfy(wait -> assertThat(wait)
        .isBetween(RateLimits.DEFAULT_RETRY_AFTER, RateLimits.DEFAULT_RETRY_AFTER.multipliedBy(3).dividedBy(2)));
  }

  @Test
  void validationErrorsAreNotRetriedAndCarryZendeskDetails() throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update").willReturn(aResponse().withStatus(422)
        .withHeader("Content-Type", "application/json").withHeader("X-Request-Id", "req-42")
        .withBody(json("{'error':'RecordInvalid','description':'Record validation errors',"
            + "'details':{'zrl_member_available_points':[{'description':'is not a number'}]}}"))));
    sync = builder().build();

    CompletableFuture<SyncResult> future = send(1);

    assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOfSatisfying(ZendeskValidationException.class, e -> {
          assertThat(e.status()).isEqualTo(422);
          assertThat(e.errorCode()).contains("RecordInvalid");
          assertThat(e.requestId()).contains("req-42");
          assertThat(e.details()).containsEntry("zrl_member_available_points",
              List.of("is not a number"));
          assertThat(e.getMessage()).contains("HTTP 422 RecordInvalid", "req-42")
              .doesNotContain(TOKEN, BASIC);
        });
    zendesk.verify(1, postRequestedFor(urlPathEqualTo("/api/v2/users/create_or_update")));
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void serverErrorsAreRetriedWithBackoffThenReported() throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update").willReturn(aResponse().withStatus(502)
        .withHeader("Content-Type", "text/html").withBody("<html>Bad Gateway</html>")));
    RecordingListener listener = new RecordingListener();
    sync = builder().listener(listener).retryPolicy(RetryPolicy.builder()
        .baseDelay(Duration.ofSeconds(1)).maxDelay(Duration.ofSeconds(4)).maxAttempts(4)
        .deadline(Duration.ofMinutes(1)).build()).build();

    CompletableFuture<SyncResult> future = send(1);

    assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOf(ZendeskServerException.class)
        .hasMessageContaining("HTTP 502")
        .hasMessageContaining("Gave up after 4 attempts");
    zendesk.verify(4, postRequestedFor(urlPathEqualTo("/api/v2/users/create_or_update")));
    assertThat(listener.retryDelays).hasSize(3);
    assertThat(listener.retryDelays.get(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    assertThat(listener.retryDelays.get(1)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(listener.retryDelays.get(2)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
    assertThat(time.slept()).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void retriesStopAtTheDeadline() throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update").willReturn(aResponse().withStatus(429)
        .withHeader("Retry-After", "50")));
    sync = builder().retryPolicy(RetryPolicy.builder()
        .baseDelay(Duration.ofSeconds(1)).maxDelay(Duration.ofSeconds(4)).maxAttempts(100)
        .deadline(Duration.ofSeconds(120)).build()).build();

    CompletableFuture<SyncResult> future = send(1);

    assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOf(ZendeskRateLimitException.class)
        .hasMessageContaining("retry deadline of PT2M");
    zendesk.verify(3, postRequestedFor(urlPathEqualTo("/api/v2/users/create_or_update")));
  }

  @Test
  void connectionResetsAreRetried() throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update").inScenario("reset")
        .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("ok")
        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    zendesk.stubFor(post("/api/v2/users/create_or_update").inScenario("reset")
        .whenScenarioStateIs("ok").willReturn(aResponse().withStatus(201)
            .withHeader("Content-Type", "application/json").withBody(json("{'user':{'id':8}}"))));
    sync = builder().build();

    SyncResult result = send(1).get(10, TimeUnit.SECONDS);

    assertThat(result.outcome()).isEqualTo(SyncResult.Outcome.CREATED);
    zendesk.verify(2, postRequestedFor(urlPathEqualTo("/api/v2/users/create_or_update")));
  }

  @Test
  void unauthorizedIsNotRetriedAndNeverShowsTheCredential() throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update").willReturn(aResponse().withStatus(401)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error\":\"Couldn't authenticate you\"}")));
    RecordingListener listener = new RecordingListener();
    sync = builder().listener(listener).build();

    CompletableFuture<SyncResult> future = send(1);

    assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
        .cause().isInstanceOf(ZendeskAuthenticationException.class)
        .hasMessageContaining("HTTP 401 Couldn't authenticate you")
        .hasMessageNotContaining(TOKEN).hasMessageNotContaining(BASIC);
    zendesk.verify(1, postRequestedFor(urlPathEqualTo("/api/v2/users/create_or_update")));
    assertThat(listener.failed).containsExactly("M-1");
    assertThat(sync.toString()).doesNotContain(TOKEN, BASIC, "admin@example.com");
  }

  @Test
  void aWrongTriggerOrNullArgumentFailsAtOnce() {
    sync = builder().build();

    assertThatThrownBy(() -> sync.onPointsChanged(member(1), SyncTrigger.TIER_UPGRADED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("onPointsChanged needs a points trigger")
        .hasMessageContaining("TIER_UPGRADED");
    assertThatThrownBy(() -> sync.onTierChanged(member(1), SyncTrigger.POINTS_AWARDED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("onTierChanged needs a tier trigger");
    assertThatThrownBy(() -> sync.onTierChanged(null, SyncTrigger.TIER_UPGRADED))
        .isInstanceOf(NullPointerException.class).hasMessage("member");
    assertThatThrownBy(() -> sync.onPointsChanged(member(1), null))
        .isInstanceOf(NullPointerException.class).hasMessage("trigger");
    assertThatThrownBy(() -> sync.submit(null))
        .isInstanceOf(NullPointerException.class).hasMessage("event");
    assertThat(zendesk.getAllServeEvents()).isEmpty();
  }

  @Test
  void aMemberWithoutEmailIsRefusedUnderEmailIdentity() {
    sync = builder().build();

    assertThatThrownBy(() -> sync.onPointsChanged(
            io.github.zendeskloyalty.core.LoyaltyMember.builder().memberId("M-9").build(),
            SyncTrigger.POINTS_AWARDED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("member M-9 has no email")
        .hasMessageContaining("IdentityPolicy.EXTERNAL_ID");
  }

  @Test
  void rateLimitHeadersLowerTheBudget() throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update").willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withHeader("X-Rate-Limit", "700").withHeader("X-Rate-Limit-Remaining", "0")
        .withHeader("ratelimit-reset", "42")
        .withBody(json("{'user':{'id':5}}"))));
    sync = builder().build();

    send(1).get(10, TimeUnit.SECONDS);
    time.advance(Duration.ofSeconds(2));
    send(2).get(10, TimeUnit.SECONDS);

    assertThat(time.sleeps()).first().isEqualTo(Duration.ofSeconds(40));
  }

  @Test
  void theFutureFailsWithTheCauseNotAWrapper() throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update").willReturn(aResponse().withStatus(404)
        .withHeader("Content-Type", "application/json")
        .withBody(json("{'error':'RecordNotFound','description':'Not found'}"))));
    sync = builder().build();

    CompletableFuture<SyncResult> future = send(1);

    assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isExactlyInstanceOf(ZendeskException.class)
        .hasMessageContaining("HTTP 404 RecordNotFound: Not found")
        .hasMessageContaining("Check the subdomain or base URI");
  }

  @Test
  void logsNeverShowCredentialsOrFullEmails() throws Exception {
    try (LogCapture log = new LogCapture()) {
      zendesk.stubFor(post("/api/v2/users/create_or_update_many").willReturn(aResponse()
          .withStatus(403).withBody("{\"error\":\"Forbidden\"}")));
      zendesk.stubFor(get(urlPathEqualTo("/api/v2/users/search")).willReturn(aResponse()
          .withStatus(422).withHeader("Content-Type", "application/json").withBody(json(
              "{'error':'RecordInvalid','description':'member1@example.com and"
                  + " member2@example.com are invalid'}"))));
      sync = builder().build();
      CompletableFuture<SyncResult> one = sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED);
      sync.onPointsChanged(member(2), SyncTrigger.POINTS_AWARDED);
      sync.flush().get(10, TimeUnit.SECONDS);
      sync.close();

      assertThat(one).isCompletedExceptionally();
      assertThat(log.lines()).anySatisfy(line -> assertThat(line).contains("bulk import is off"));
      assertThat(log.lines()).anySatisfy(line -> assertThat(line).contains("m***@example.com"));
      assertThat(String.join("\n", log.lines()))
          .doesNotContain(TOKEN, BASIC, "member1@example.com", "member2@example.com");
    }
  }

  @Test
  void theJavadocWayOfReadingAFailureSeesTheTypedException() throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update").willReturn(jsonAnswer(422,
        "{'error':'RecordInvalid','description':'Record validation errors',"
            + "'details':{'zrl_member_available_points':[{'description':'is not a number'}]}}")));
    sync = builder().build();
    List<Object> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

    CompletableFuture<SyncResult> future = send(1);
    java.util.function.Function<Throwable, SyncResult> asInTheJavadoc = failure -> {
      Throwable cause = failure instanceof java.util.concurrent.CompletionException
          ? failure.getCause() : failure;
      if (cause instanceof ZendeskValidationException invalid) {
        seen.add(invalid.details());
      }
      return null;
    };
    future.exceptionally(asInTheJavadoc).join();
    future.thenApply(result -> result).exceptionally(asInTheJavadoc).join();

    assertThat(seen).hasSize(2).allSatisfy(details -> assertThat(details.toString())
        .contains("zrl_member_available_points"));
  }
}
