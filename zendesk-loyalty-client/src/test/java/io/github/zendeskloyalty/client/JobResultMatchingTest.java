package io.github.zendeskloyalty.client;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.zendeskloyalty.client.TestMembers.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zendeskloyalty.core.SyncTrigger;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Each bulk result finds its member whichever of index, email, external id, user id or position
 * identifies it, as Zendesk's result shapes differ by action.
 */
class JobResultMatchingTest extends WireTestBase {

  private List<CompletableFuture<SyncResult>> syncThree(String results) throws Exception {
    zendesk.stubFor(post("/api/v2/users/create_or_update_many")
        .willReturn(jsonAnswer(200, "{'job_status':{'id':'j','status':'queued'}}")));
    zendesk.stubFor(put("/api/v2/users/update_many")
        .willReturn(jsonAnswer(200, "{'job_status':{'id':'j','status':'queued'}}")));
    stubJob("j", results);
    List<CompletableFuture<SyncResult>> futures = List.of(
        sync.onPointsChanged(member(1), SyncTrigger.POINTS_AWARDED),
        sync.onPointsChanged(member(2), SyncTrigger.POINTS_AWARDED),
        sync.onPointsChanged(member(3), SyncTrigger.POINTS_AWARDED));
    sync.flush().get(10, TimeUnit.SECONDS);
    return futures;
  }

  private static List<String> outcomes(List<CompletableFuture<SyncResult>> futures) {
    return futures.stream().map(future -> future.join().outcome() + " "
        + future.join().zendeskUserId()).toList();
  }

  @Test
  void byIndexInAnyOrder() throws Exception {
    sync = builder().build();

    List<CompletableFuture<SyncResult>> futures = syncThree("[{'index':2,'id':13,'status':"
        + "'Created'},{'index':0,'id':11,'status':'Updated'},{'index':1,'id':12,"
        + "'status':'Updated'}]");

    assertThat(outcomes(futures)).containsExactly("UPDATED 11", "UPDATED 12", "CREATED 13");
  }

  @Test
  void byEmailAsCreateOrUpdateManyAnswersInAnyOrder() throws Exception {
    sync = builder().build();

    List<CompletableFuture<SyncResult>> futures = syncThree("[{'id':13,'status':'Created',"
        + "'email':'MEMBER3@example.com'},{'id':11,'status':'Updated','email':'member1@example.com'},"
        + "{'status':'Failed','error':'UserCreateError','details':'Email: is invalid',"
        + "'email':'member2@example.com'}]");

    assertThat(futures.get(0).join().zendeskUserId()).isEqualTo(11L);
    assertThat(futures.get(2).join().outcome()).isEqualTo(SyncResult.Outcome.CREATED);
    assertThatThrownBy(futures.get(1)::join).cause().isInstanceOf(ZendeskValidationException.class)
        .hasMessageContaining("member M-2").hasMessageContaining("UserCreateError");
  }

  @Test
  void byExternalIdUnderExternalIdIdentity() throws Exception {
    zendesk.stubFor(get(urlPathEqualTo("/api/v2/users/show_many"))
        .willReturn(jsonAnswer(200, "{'users':[]}")));
    sync = builder().identity(IdentityPolicy.EXTERNAL_ID).build();

    List<CompletableFuture<SyncResult>> futures = syncThree("[{'id':12,'status':'Created',"
        + "'external_id':'m-2'},{'id':13,'status':'Created','external_id':'M-3'},"
        + "{'id':11,'status':'Created','external_id':'M-1'}]");

    assertThat(outcomes(futures)).containsExactly("CREATED 11", "CREATED 12", "CREATED 13");
  }

  @Test
  void byUserIdAsUpdateManyAnswers() throws Exception {
    for (int n = 1; n <= 3; n++) {
      zendesk.stubFor(get(urlPathEqualTo("/api/v2/users/search"))
          .withQueryParam("query", equalTo(
              "email:member" + n + "@example.com"))
          .willReturn(jsonAnswer(200, "{'users':[{'id':" + (20 + n) + ",'email':'member" + n
              + "@example.com'}]}")));
    }
    sync = builder().missingUsers(MissingUserPolicy.SKIP).build();

    List<CompletableFuture<SyncResult>> futures = syncThree("[{'id':23,'action':'update',"
        + "'success':true,'status':'Updated'},{'id':21,'action':'update','success':true,"
        + "'status':'Updated'},{'id':22,'action':'update','success':false,'status':'Failed',"
        + "'error':'UserUpdateError','details':'tier is invalid'}]");

    assertThat(futures.get(0).join().zendeskUserId()).isEqualTo(21L);
    assertThat(futures.get(2).join().zendeskUserId()).isEqualTo(23L);
    assertThatThrownBy(futures.get(1)::join).cause().hasMessageContaining("member M-2");
  }

  @Test
  void byPositionWhenAResultCarriesNothingToMatch() throws Exception {
    sync = builder().build();

    List<CompletableFuture<SyncResult>> futures = syncThree("[{'status':'Updated'},"
        + "{'status':'Created'},{'status':'Updated'}]");

    assertThat(futures).extracting(future -> future.join().outcome()).containsExactly(
        SyncResult.Outcome.UPDATED, SyncResult.Outcome.CREATED, SyncResult.Outcome.UPDATED);
  }

  @Test
  void aMemberWithoutAResultInACompletedJobFailsAsUnknown() throws Exception {
    sync = builder().build();

    List<CompletableFuture<SyncResult>> futures = syncThree("[{'index':0,'id':11,"
        + "'status':'Updated'},{'index':2,'id':13,'status':'Updated'}]");

    assertThat(futures.get(0).join().zendeskUserId()).isEqualTo(11L);
    assertThatThrownBy(futures.get(1)::join).cause().isInstanceOf(ZendeskServerException.class)
        .hasMessageContaining("completed without a result for member M-2");
  }
}
