package io.github.zendeskloyalty.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.ZendeskFieldType;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake answers as Zendesk does: shapes, validation, errors, limits and faults. */
class FakeZendeskTest {

  private final ManualClock time = new ManualClock();
  private FakeZendesk fake;
  private Http http;

  @BeforeEach
  void start() {
    fake = FakeZendesk.builder().clock(time).start();
    http = new Http(fake);
    fake.addUserField("zrl_member_available_points", ZendeskFieldType.DECIMAL, true);
    fake.addUserField("zrl_member_number_of_purchases", ZendeskFieldType.INTEGER, true);
    fake.addUserField("zrl_member_enrollment_date", ZendeskFieldType.DATE, true);
    fake.addUserField("zrl_member_loyalty_tier_name", ZendeskFieldType.TEXT, true);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void refusesRequestsWithoutTheFakesCredentials() throws Exception {
    HttpResponse<String> none = http.send("GET", "/api/v2/user_fields", null, null);
    HttpResponse<String> wrong = http.send("GET", "/api/v2/user_fields", null, "Basic d3Jvbmc6d3Jvbmc=");
    HttpResponse<String> oauth = http.send("GET", "/api/v2/user_fields", null,
        "Bearer fake-oauth-access-token");

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body()).isEqualTo("{\"error\":\"Couldn't authenticate you\"}");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(oauth.statusCode()).isEqualTo(200);
  }

  @Test
  void createOrUpdateCreatesThenUpdatesAndShowsEveryDefinedField() throws Exception {
    HttpResponse<String> created = http.send("POST", "/api/v2/users/create_or_update.json",
        "{'user':{'name':'Jane','email':'jane@example.com','user_fields':{"
            + "'zrl_member_available_points':12.5,'not_a_field':'ignored'}}}");
    time.advance(Duration.ofSeconds(1));
    HttpResponse<String> updated = http.send("POST", "/api/v2/users/create_or_update",
        "{'user':{'email':'JANE@example.com','user_fields':{'zrl_member_number_of_purchases':3}}}");

    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode user = Http.JSON.readTree(created.body()).path("user");
    assertThat(user.path("email").asText()).isEqualTo("jane@example.com");
    assertThat(user.path("user_fields").path("zrl_member_available_points").decimalValue())
        .isEqualByComparingTo("12.5");
    assertThat(user.path("user_fields").has("zrl_member_loyalty_tier_name")).isTrue();
    assertThat(user.path("user_fields").path("zrl_member_loyalty_tier_name").isNull()).isTrue();
    assertThat(user.path("user_fields").has("not_a_field")).isFalse();
    assertThat(updated.statusCode()).isEqualTo(200);
    ZendeskAssertions.assertThat(fake).hasUserCount(1).user("jane@example.com")
        .hasField("zrl_member_available_points", 12.5)
        .hasField("zrl_member_number_of_purchases", 3)
        .hasNoSecondaryEmails();
  }

  @Test
  void wrongValueTypesAreRecordInvalidWithDetails() throws Exception {
    HttpResponse<String> reply = http.send("POST", "/api/v2/users/create_or_update",
        "{'user':{'name':'Jane','email':'jane@example.com','user_fields':{"
            + "'zrl_member_number_of_purchases':'three','zrl_member_enrollment_date':'24/11/2026',"
            + "'zrl_member_available_points':'12.5'}}}");

    assertThat(reply.statusCode()).isEqualTo(422);
    JsonNode body = Http.JSON.readTree(reply.body());
    assertThat(body.path("error").asText()).isEqualTo("RecordInvalid");
    assertThat(body.path("details").path("zrl_member_number_of_purchases").get(0)
        .path("description").asText()).contains("is not a valid integer value");
    assertThat(body.path("details").has("zrl_member_enrollment_date")).isTrue();
    assertThat(body.path("details").has("zrl_member_available_points")).isTrue();
    assertThat(fake.users()).isEmpty();
  }

  @Test
  void creatingNeedsAName() throws Exception {
    HttpResponse<String> reply = http.send("POST", "/api/v2/users/create_or_update",
        "{'user':{'email':'jane@example.com'}}");

    assertThat(reply.statusCode()).isEqualTo(422);
    assertThat(reply.body()).contains("Name: cannot be blank");
  }

  @Test
  void anEmailSentInAnUpdateBecomesASecondaryIdentity() throws Exception {
    FakeUser jane = fake.addUser("Jane", "jane@example.com", null);

    http.send("PUT", "/api/v2/users/" + jane.id(), "{'user':{'email':'other@example.com'}}");

    assertThat(fake.user("jane@example.com").orElseThrow().secondaryEmails())
        .containsExactly("other@example.com");
    assertThatThrownBy(() -> ZendeskAssertions.assertThat(fake).user("jane@example.com")
            .hasNoSecondaryEmails())
        .hasMessageContaining("to have no secondary emails but it has [other@example.com]");
  }

  @Test
  void bulkJobsAreQueuedThenReportEveryItemInRequestOrderInZendesksShape() throws Exception {
    fake.addUser("Old", "old@example.com", null);
    JsonNode job = http.json("POST", "/api/v2/users/create_or_update_many", "{'users':["
        + "{'name':'New','email':'new@example.com','user_fields':{'zrl_member_number_of_purchases':1}},"
        + "{'name':'Old','email':'old@example.com','user_fields':{'zrl_member_number_of_purchases':2}},"
        + "{'name':'Bad','email':'bad@example.com','user_fields':{'zrl_member_number_of_purchases':1.5}}]}")
        .path("job_status");

    assertThat(job.path("status").asText()).isEqualTo("queued");
    assertThat(job.path("job_type").asText()).isEqualTo("create_or_update_many_users");
    assertThat(job.path("url").asText()).endsWith("/api/v2/job_statuses/" + job.path("id").asText() + ".json");

    JsonNode done = http.json("GET", "/api/v2/job_statuses/show_many?ids=" + job.path("id").asText()
        + ",unknown", null).path("job_statuses");

    assertThat(done).hasSize(1);
    assertThat(done.get(0).path("status").asText()).isEqualTo("completed");
    JsonNode results = done.get(0).path("results");
    long newId = fake.user("new@example.com").orElseThrow().id();
    long oldId = fake.user("old@example.com").orElseThrow().id();
    // the keys the job-status result schemas of Zendesk's OpenAPI document require:
    // CreateResourceResult (id, index), UpdateResourceResult (id, action, success, status),
    // FailedResult (id, action, error, success, details)
    assertThat(results.get(0).toString()).isEqualTo("{\"id\":" + newId + ",\"index\":0,"
        + "\"action\":\"create\",\"success\":true,\"status\":\"Created\","
        + "\"email\":\"new@example.com\"}");
    assertThat(results.get(1).toString()).isEqualTo("{\"id\":" + oldId + ",\"index\":1,"
        + "\"action\":\"update\",\"success\":true,\"status\":\"Updated\","
        + "\"email\":\"old@example.com\"}");
    assertThat(results.get(2).get("id").isNull()).as("a failed create has no user id").isTrue();
    JsonNode failed = results.get(2);
    assertThat(List.of(failed.path("index").asInt(), failed.path("action").asText(),
        failed.path("success").asBoolean(true), failed.has("details")))
        .isEqualTo(List.of(2, "create", false, true));
    assertThat(results.get(2).path("status").asText()).isEqualTo("Failed");
    assertThat(results.get(2).path("error").asText()).isEqualTo("UserCreateError");
    assertThat(results.get(2).path("email").asText()).isEqualTo("bad@example.com");
    ZendeskAssertions.assertThat(fake).hasUserCount(2).user("new@example.com")
        .hasField("zrl_member_number_of_purchases", 1);
    assertThat(fake.runningJobs()).isZero();
  }

  @Test
  void jobsRunOnTheFakesClockWhetherPolledOrNot() throws Exception {
    fake.jobDuration(Duration.ofSeconds(30));
    String id = http.json("POST", "/api/v2/users/create_or_update_many",
        "{'users':[{'name':'A','email':'a@example.com'}]}").path("job_status").path("id").asText();

    String early = http.json("GET", "/api/v2/job_statuses/" + id, null).path("job_status")
        .path("status").asText();
    time.advance(Duration.ofSeconds(30));

    assertThat(early).isEqualTo("queued");
    assertThat(fake.user("a@example.com")).as("applied without a poll").isPresent();
    assertThat(fake.runningJobs()).isZero();
  }

  @Test
  void jobsWhoseAnswerNeverArrivedStillRunAndFreeTheirSlots() throws Exception {
    for (int i = 0; i < 30; i++) {
      http.send("POST", "/api/v2/users/create_or_update_many",
          "{'users':[{'name':'A','email':'a" + i + "@example.com'}]}");
    }

    HttpResponse<String> next = http.send("POST", "/api/v2/users/create_or_update_many",
        "{'users':[{'name':'B','email':'b@example.com'}]}");

    assertThat(next.statusCode()).isEqualTo(200);
    assertThat(fake.users()).hasSize(31);
  }

  @Test
  void updateManyNeedsUserIdsAndFailsItemsOfUnknownUsers() throws Exception {
    FakeUser jane = fake.addUser("Jane", "jane@example.com", null);
    String id = http.json("PUT", "/api/v2/users/update_many", "{'users':["
        + "{'id':" + jane.id() + ",'user_fields':{'zrl_member_loyalty_tier_name':'Gold'}},"
        + "{'id':99999,'user_fields':{}}]}").path("job_status").path("id").asText();

    JsonNode results = http.json("GET", "/api/v2/job_statuses/" + id, null)
        .path("job_status").path("results");

    assertThat(results).hasSize(2);
    assertThat(results.get(0).toString()).isEqualTo("{\"id\":" + jane.id()
        + ",\"index\":0,\"action\":\"update\",\"success\":true,\"status\":\"Updated\"}");
    assertThat(results.get(1).path("id").asLong()).isEqualTo(99999);
    assertThat(results.get(1).path("action").asText()).isEqualTo("update");
    assertThat(results.get(1).path("success").asBoolean()).isFalse();
    assertThat(results.get(1).path("status").asText()).isEqualTo("Failed");
    assertThat(results.get(1).path("error").asText()).isEqualTo("UserUpdateError");
    ZendeskAssertions.assertThat(fake).user("jane@example.com")
        .hasField("zrl_member_loyalty_tier_name", "Gold");
  }

  @Test
  void bulkImportOffAnswers403() throws Exception {
    fake.bulkImport(false);

    HttpResponse<String> reply = http.send("POST", "/api/v2/users/create_or_update_many",
        "{'users':[{'name':'A','email':'a@example.com'}]}");

    assertThat(reply.statusCode()).isEqualTo(403);
    assertThat(Http.JSON.readTree(reply.body()).path("error").asText()).isEqualTo("Forbidden");
  }

  @Test
  void atMostThirtyJobsMayBeQueued() throws Exception {
    fake.jobDuration(Duration.ofMinutes(1));
    for (int i = 0; i < 30; i++) {
      assertThat(http.send("POST", "/api/v2/users/create_or_update_many",
          "{'users':[{'name':'A','email':'a" + i + "@example.com'}]}").statusCode()).isEqualTo(200);
    }

    HttpResponse<String> reply = http.send("POST", "/api/v2/users/create_or_update_many",
        "{'users':[{'name':'A','email':'late@example.com'}]}");

    assertThat(reply.statusCode()).isEqualTo(429);
    assertThat(Http.JSON.readTree(reply.body()).path("error").asText()).isEqualTo("TooManyJobs");
  }

  @Test
  void moreThanAHundredUsersPerBulkCallIsRefused() throws Exception {
    StringBuilder users = new StringBuilder();
    for (int i = 0; i <= 100; i++) {
      users.append(i == 0 ? "" : ",").append("{'name':'A','email':'a").append(i).append("@example.com'}");
    }

    assertThat(http.send("POST", "/api/v2/users/create_or_update_many",
        "{'users':[" + users + "]}").statusCode()).isEqualTo(400);
  }

  @Test
  void theAccountLimitAnswers429WithRetryAfterAndHeaders() throws Exception {
    fake.requestsPerMinute(3);
    time.advance(Duration.ofSeconds(15));
    List<HttpResponse<String>> replies = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      replies.add(http.send("GET", "/api/v2/user_fields", null));
    }

    assertThat(replies.get(0).headers().firstValue("X-Rate-Limit")).contains("3");
    assertThat(replies.get(0).headers().firstValue("X-Rate-Limit-Remaining")).contains("2");
    assertThat(replies.get(2).headers().firstValue("X-Rate-Limit-Remaining")).contains("0");
    assertThat(replies.get(3).statusCode()).isEqualTo(429);
    assertThat(replies.get(3).headers().firstValue("Retry-After")).contains("45");
    time.advance(Duration.ofSeconds(45));
    assertThat(http.send("GET", "/api/v2/user_fields", null).statusCode()).isEqualTo(200);
  }

  @Test
  void singleUserWritesAreHeldToOnePerSecondAndFivePerMinutePerUser() throws Exception {
    FakeUser jane = fake.addUser("Jane", "jane@example.com", null);
    String path = "/api/v2/users/" + jane.id();

    assertThat(http.send("PUT", path, "{'user':{}}").statusCode()).isEqualTo(200);
    HttpResponse<String> tooFast = http.send("PUT", path, "{'user':{}}");
    assertThat(tooFast.statusCode()).isEqualTo(429);
    assertThat(tooFast.headers().firstValue("Retry-After")).contains("1");
    for (int i = 0; i < 4; i++) {
      time.advance(Duration.ofSeconds(2));
      assertThat(http.send("PUT", path, "{'user':{}}").statusCode()).isEqualTo(200);
    }
    time.advance(Duration.ofSeconds(2));
    HttpResponse<String> perUser = http.send("PUT", path, "{'user':{}}");

    assertThat(perUser.statusCode()).isEqualTo(429);
    assertThat(perUser.headers().firstValue("Retry-After")).isEmpty();
    assertThat(perUser.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/plain"));
  }

  @Test
  void userWritesWithoutUserAgentFailAsZendeskDid() throws Exception {
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
            fake.baseUri().resolve("/api/v2/users/create_or_update"))
        .header("Authorization", Http.ADMIN).header("User-Agent", "")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
            "{\"user\":{\"name\":\"A\",\"email\":\"a@example.com\"}}")).build();

    assertThat(Http.http11()
        .send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(500);
  }

  @Test
  void userFieldsAreCursorPaginated() throws Exception {
    fake.reset();
    fake.provision(FieldSchema.standard());
    List<String> keys = new ArrayList<>();
    String path = "/api/v2/user_fields?page%5Bsize%5D=10";
    int pages = 0;
    while (path != null) {
      JsonNode page = http.json("GET", path, null);
      page.path("user_fields").forEach(field -> keys.add(field.path("key").asText()));
      pages++;
      path = page.path("meta").path("has_more").asBoolean()
          ? "/api/v2/user_fields?page%5Bsize%5D=10&page%5Bafter%5D="
              + page.path("meta").path("after_cursor").asText() : null;
    }

    assertThat(pages).isEqualTo(3);
    assertThat(keys).hasSize(21).startsWith("zrl_member_available_points")
        .endsWith("zrl_member_qualified_points");
  }

  @Test
  void fieldsAreCreatedWithValidatedUniqueKeysByAdminsOnly() throws Exception {
    HttpResponse<String> created = http.send("POST", "/api/v2/user_fields",
        "{'user_field':{'type':'integer','key':'vip_level','title':'VIP level'}}");
    HttpResponse<String> again = http.send("POST", "/api/v2/user_fields",
        "{'user_field':{'type':'integer','key':'VIP_level','title':'VIP level'}}");
    HttpResponse<String> badKey = http.send("POST", "/api/v2/user_fields",
        "{'user_field':{'type':'text','key':'12345','title':'Digits'}}");
    HttpResponse<String> byAgent = http.send("POST", "/api/v2/user_fields",
        "{'user_field':{'type':'text','key':'agent_field','title':'A'}}",
        "Basic " + java.util.Base64.getEncoder().encodeToString(
            "agent@fake-zendesk.test/token:fake-agent-api-token".getBytes()));

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(http.json("GET", "/api/v2/user_fields/vip_level", null).path("user_field")
        .path("type").asText()).isEqualTo("integer");
    assertThat(again.statusCode()).isEqualTo(422);
    assertThat(again.body()).contains("has already been taken");
    assertThat(badKey.statusCode()).isEqualTo(422);
    assertThat(byAgent.statusCode()).isEqualTo(403);
  }

  @Test
  void usersAreFoundByEmailExternalIdAndIds() throws Exception {
    FakeUser jane = fake.addUser("Jane", "jane@example.com", "M-1");
    fake.addUser("John", "john@example.com", "M-2");

    assertThat(http.json("GET", "/api/v2/users/search?query=email%3AJANE%40example.com", null)
        .path("users")).hasSize(1);
    assertThat(http.json("GET", "/api/v2/users/search?external_id=m-2", null)
        .path("users").get(0).path("name").asText()).isEqualTo("John");
    assertThat(http.json("GET", "/api/v2/users/show_many?external_ids=M-1,M-2,M-3", null)
        .path("users")).hasSize(2);
    assertThat(http.json("GET", "/api/v2/users/show_many?ids=" + jane.id(), null)
        .path("users").get(0).path("external_id").asText()).isEqualTo("M-1");
    assertThat(http.json("GET", "/api/v2/users/" + jane.id(), null).path("user")
        .path("email").asText()).isEqualTo("jane@example.com");
    assertThat(http.send("GET", "/api/v2/users/424242", null).statusCode()).isEqualTo(404);
  }

  @Test
  void faultsFailTheNextRequestsThenStop() throws Exception {
    fake.failNext(2, FakeEndpoint.LIST_USER_FIELDS, FakeFault.status(503));
    fake.failNext(1, FakeEndpoint.ANY, FakeFault.tooManyRequests(Duration.ofSeconds(9)));

    HttpResponse<String> first = http.send("GET", "/api/v2/user_fields", null);
    HttpResponse<String> second = http.send("GET", "/api/v2/user_fields", null);
    HttpResponse<String> third = http.send("GET", "/api/v2/users/search?query=x", null);
    HttpResponse<String> fourth = http.send("GET", "/api/v2/user_fields", null);

    assertThat(first.statusCode()).isEqualTo(503);
    assertThat(second.statusCode()).isEqualTo(503);
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(third.headers().firstValue("Retry-After")).contains("9");
    assertThat(fourth.statusCode()).isEqualTo(200);
    assertThat(fake.requests()).extracting(RecordedRequest::status).containsExactly(503, 503, 429, 200);
  }

  @Test
  void aConnectionResetGivesTheClientNoAnswer() {
    fake.failNext(1, FakeEndpoint.ANY, FakeFault.connectionReset());

    // a POST: over HTTP/1.1 the JDK's client sends an idempotent GET once more by itself
    assertThatThrownBy(() -> http.send("POST", "/api/v2/users/create_or_update",
        "{'user':{'name':'A','email':'a@example.com'}}"))
        .isInstanceOf(IOException.class);
    assertThat(fake.requests()).singleElement().extracting(RecordedRequest::status).isEqualTo(0);
  }

  @Test
  void aTooManyRequestsWithoutRetryAfter() throws Exception {
    fake.failNext(1, FakeEndpoint.SEARCH_USERS, FakeFault.tooManyRequestsWithoutRetryAfter());

    HttpResponse<String> reply = http.send("GET", "/api/v2/users/search?query=x", null);

    assertThat(reply.statusCode()).isEqualTo(429);
    assertThat(reply.headers().firstValue("Retry-After")).isEmpty();
  }

  @Test
  void aDelayHoldsTheAnswer() throws Exception {
    fake.failNext(1, FakeEndpoint.LIST_USER_FIELDS, FakeFault.delay(Duration.ofMillis(300)));
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
            fake.baseUri().resolve("/api/v2/user_fields"))
        .header("Authorization", Http.ADMIN).timeout(Duration.ofMillis(50)).build();

    assertThatThrownBy(() -> Http.http11()
        .send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(java.net.http.HttpTimeoutException.class);
  }

  @Test
  void theJournalRecordsWhatWasSent() throws Exception {
    http.send("POST", "/api/v2/users/create_or_update",
        "{'user':{'name':'A','email':'a@example.com'}}");

    RecordedRequest request = fake.requests(FakeEndpoint.CREATE_OR_UPDATE_USER).get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.header("user-agent")).isEqualTo("testkit-test");
    assertThat(request.body()).contains("\"email\":\"a@example.com\"");
    assertThat(request.status()).isEqualTo(201);
  }

  @Test
  void resetForgetsStateFaultsAndJournal() throws Exception {
    fake.addUser("A", "a@example.com", null);
    fake.bulkImport(false);
    fake.failNext(5, FakeEndpoint.ANY, FakeFault.status(500));
    http.send("GET", "/api/v2/user_fields", null);

    fake.reset();

    assertThat(fake.users()).isEmpty();
    assertThat(fake.userFields()).isEmpty();
    assertThat(fake.requests()).isEmpty();
    assertThat(http.send("POST", "/api/v2/users/create_or_update_many",
        "{'users':[{'name':'A','email':'a@example.com'}]}").statusCode()).isEqualTo(200);
  }

  @Test
  void unknownPathsAre404() throws Exception {
    assertThat(http.send("GET", "/api/v2/tickets", null).statusCode()).isEqualTo(404);
    assertThat(fake.requests()).singleElement().extracting(RecordedRequest::endpoint)
        .isEqualTo(FakeEndpoint.ANY);
  }

  @Test
  void decimalsKeepTheirValue() throws Exception {
    http.send("POST", "/api/v2/users/create_or_update", "{'user':{'name':'A','email':"
        + "'a@example.com','user_fields':{'zrl_member_available_points':1250.50}}}");

    assertThat(fake.user("a@example.com").orElseThrow().userFields()
        .get("zrl_member_available_points")).isInstanceOfSatisfying(BigDecimal.class,
            value -> assertThat(value).isEqualByComparingTo("1250.5"));
  }
}
