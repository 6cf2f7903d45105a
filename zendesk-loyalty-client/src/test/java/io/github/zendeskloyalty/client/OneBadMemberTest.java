package io.github.zendeskloyalty.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.zendeskloyalty.client.TestMembers.T0;
import static io.github.zendeskloyalty.client.TestMembers.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyAttribute;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import io.github.zendeskloyalty.core.ZendeskFieldType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A member that cannot be written fails alone, never its batch; two ids never share a profile. */
class OneBadMemberTest extends WireTestBase {

  @Test
  void aDateADateFieldCannotHoldIsRefusedAtTheCallAndTheBatchGoesOn() throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update_many")
        .willReturn(jsonAnswer(200, "{'job_status':{'id':'j1','status':'queued'}}")));
    stubJob("j1", "[{'index':0,'id':1,'status':'Updated'},{'index':1,'id':2,'status':'Updated'},"
        + "{'index':2,'id':3,'status':'Updated'},{'index':3,'id':4,'status':'Updated'}]");
    FieldSchema dates = FieldSchema.builder()
        .type(LoyaltyAttribute.ENROLLMENT_DATE, ZendeskFieldType.DATE).build();
    sync = builder().schema(dates).build();
    LoyaltyMember farFuture = member(5).toBuilder()
        .enrollmentDate(Instant.parse("+10000-01-01T00:00:00Z")).build();

    List<CompletableFuture<SyncResult>> good = new ArrayList<>();
    for (int n = 1; n <= 2; n++) {
      good.add(sync.onPointsChanged(member(n), SyncTrigger.POINTS_AWARDED));
    }
    assertThatThrownBy(() -> sync.onPointsChanged(farFuture, SyncTrigger.POINTS_AWARDED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ENROLLMENT_DATE of member M-5");
    for (int n = 3; n <= 4; n++) {
      good.add(sync.onPointsChanged(member(n), SyncTrigger.POINTS_AWARDED));
    }
    sync.flush().get(10, TimeUnit.SECONDS);

    assertThat(good).allSatisfy(future ->
        assertThat(future.join().outcome()).isEqualTo(SyncResult.Outcome.UPDATED));
  }

  @Test
  void aBulkCallRefusedAsABadRequestIsSplitUntilOnlyTheBadMemberFails() throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update_many")
        .withRequestBody(containing("member3@example.com")).atPriority(1)
        .willReturn(jsonAnswer(400, "{'error':{'title':'Invalid attribute',"
            + "'message':'user 2 is invalid'}}")));
    zendesk.stubFor(post("/api/v2/users/create_or_update_many").atPriority(5)
        .willReturn(jsonAnswer(200, "{'job_status':{'id':'j','status':'queued'}}")));
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/job_statuses/show_many"))
        .willReturn(jsonAnswer(200, "{'job_statuses':[{'id':'j','status':'completed',"
            + "'results':[]}]}")));
    sync = builder().build();

    Map<Integer, CompletableFuture<SyncResult>> futures = new HashMap<>();
    for (int n = 1; n <= 5; n++) {
      futures.put(n, sync.onPointsChanged(member(n), SyncTrigger.POINTS_AWARDED));
    }
    sync.flush().get(10, TimeUnit.SECONDS);

    assertThatThrownBy(futures.get(3)::join).cause()
        .isInstanceOf(ZendeskValidationException.class).hasMessageContaining("HTTP 400");
    List<JsonNode> accepted = new ArrayList<>();
    for (LoggedRequest request : zendesk.findAll(
        postRequestedFor(urlPathEqualTo("/api/v2/users/create_or_update_many")))) {
      JsonNode users = body(request.getBodyAsString()).path("users");
      if (!request.getBodyAsString().contains("member3@")) {
        users.forEach(accepted::add);
      }
    }
    assertThat(accepted).extracting(user -> user.path("email").asText()).containsExactlyInAnyOrder(
        "member1@example.com", "member2@example.com", "member4@example.com",
        "member5@example.com");
  }

  @Test
  void unusualMemberIdsAreLookedUpAloneAndOnlyTheImpossibleOneFails() throws Exception {
    StringBuilder users = new StringBuilder();
    StringBuilder results = new StringBuilder();
    for (int n = 1; n <= 50; n++) {
      users.append(n == 1 ? "" : ",").append("{'id':").append(n).append(",'external_id':'M-")
          .append(n).append("'}");
      results.append("{'id':").append(n).append(",'status':'Updated','external_id':'M-")
          .append(n).append("'},");
    }
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/users/show_many"))
        .willReturn(jsonAnswer(200, "{'users':[" + users + "]}")));
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/users/search"))
        .withQueryParam("external_id", matching("A,B"))
        .willReturn(jsonAnswer(200, "{'users':[{'id':99,'external_id':'a,b'}]}")));
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/users/search"))
        .withQueryParam("external_id", matching("X{100,}"))
        .willReturn(aResponse().withStatus(414).withBody("URI Too Long")));
    zendesk.stubFor(post("/api/v2/users/create_or_update_many")
        .willReturn(jsonAnswer(200, "{'job_status':{'id':'u1','status':'queued'}}")));
    stubJob("u1", "[" + results + "{'id':99,'status':'Updated','external_id':'A,B'}]");
    sync = builder().identity(IdentityPolicy.EXTERNAL_ID).build();

    List<CompletableFuture<SyncResult>> good = new ArrayList<>();
    for (int n = 1; n <= 50; n++) {
      good.add(sync.onPointsChanged(member(n), SyncTrigger.POINTS_AWARDED));
    }
    good.add(sync.onPointsChanged(member(51).toBuilder().memberId("A,B").build(),
        SyncTrigger.POINTS_AWARDED));
    CompletableFuture<SyncResult> huge = sync.onPointsChanged(
        member(52).toBuilder().memberId("X".repeat(8 * 1024)).build(), SyncTrigger.POINTS_AWARDED);
    sync.flush().get(10, TimeUnit.SECONDS);

    assertThat(good).allSatisfy(future ->
        assertThat(future.join().outcome()).isEqualTo(SyncResult.Outcome.UPDATED));
    assertThatThrownBy(huge::join).cause().hasMessageContaining("HTTP 414");
    zendesk.verify(1, getRequestedFor(urlPathEqualTo("/api/v2/users/show_many")));
    zendesk.verify(1, getRequestedFor(urlPathEqualTo("/api/v2/users/search"))
        .withQueryParam("external_id", equalTo("A,B")));
    JsonNode sent = body(zendesk.findAll(postRequestedFor(urlPathEqualTo(
        "/api/v2/users/create_or_update_many"))).get(0).getBodyAsString()).path("users");
    assertThat(sent).hasSize(51).allSatisfy(user -> assertThat(user.has("email")).isFalse());
  }

  @Test
  void twoMemberIdsThatZendeskSeesAsOneProfileAreRefused() {
    sync = builder().identity(IdentityPolicy.EXTERNAL_ID).build();
    sync.onPointsChanged(member(1).toBuilder().memberId("GOLD-7").build(),
        SyncTrigger.POINTS_AWARDED);

    assertThatThrownBy(() -> sync.onPointsChanged(member(2).toBuilder().memberId("gold-7")
        .build(), SyncTrigger.POINTS_AWARDED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("member gold-7 would write to the same Zendesk user as member GOLD-7");
  }

  @Test
  void twoMembersWithOneEmailAreRefusedUnderEmailIdentity() {
    sync = builder().build();
    sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED);

    assertThatThrownBy(() -> sync.onPointsChanged(member(2).toBuilder()
        .email("MEMBER1@example.com").build(), SyncTrigger.POINTS_AWARDED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("as member M-1")
        .hasMessageNotContaining("member1@example.com");
  }

  @Test
  void underExternalIdACreatedUserGetsItsEmailAndAnExistingOneNever() throws Exception {
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/users/show_many"))
        .willReturn(jsonAnswer(200, "{'users':[{'id':11,'external_id':'M-1',"
            + "'email':'old@example.com'}]}")));
    zendesk.stubFor(post("/api/v2/users/create_or_update_many")
        .willReturn(jsonAnswer(200, "{'job_status':{'id':'j1','status':'queued'}}")));
    stubJob("j1", "[{'id':11,'status':'Updated','external_id':'M-1'},"
        + "{'id':12,'status':'Created','external_id':'M-2'}]");
    sync = builder().identity(IdentityPolicy.EXTERNAL_ID).build();

    CompletableFuture<SyncResult> existing =
        sync.onPointsChanged(member(1, 10, T0), SyncTrigger.POINTS_AWARDED);
    CompletableFuture<SyncResult> created =
        sync.onPointsChanged(member(2, 10, T0), SyncTrigger.POINTS_AWARDED);
    sync.flush().get(10, TimeUnit.SECONDS);

    JsonNode users = body(zendesk.findAll(postRequestedFor(
        urlPathEqualTo("/api/v2/users/create_or_update_many"))).get(0).getBodyAsString())
        .path("users");
    assertThat(users.get(0).has("email")).isFalse();
    assertThat(users.get(1).path("email").asText()).isEqualTo("member2@example.com");
    assertThat(existing.join().outcome()).isEqualTo(SyncResult.Outcome.UPDATED);
    assertThat(created.join().outcome()).isEqualTo(SyncResult.Outcome.CREATED);
  }
}
