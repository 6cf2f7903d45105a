package io.github.zendeskloyalty.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.zendeskloyalty.core.ZendeskFieldType;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fake against Zendesk's API reference (Users, User Fields, Job Statuses, Search): what it
 * accepts, refuses and answers, as any Zendesk client would see it over plain HTTP.
 */
class FakeFidelityTest {

  private final ManualClock time = new ManualClock();
  private FakeZendesk fake;
  private Http http;

  @BeforeEach
  void start() {
    fake = FakeZendesk.builder().clock(time).start();
    http = new Http(fake);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  /** A single-user write, a second after the last: Zendesk allows one a second. */
  private HttpResponse<String> singleUserWrite(String json) throws Exception {
    time.advance(Duration.ofSeconds(1));
    return http.send("POST", "/api/v2/users/create_or_update", json);
  }

  private JsonNode createUser(String json) throws Exception {
    return Http.JSON.readTree(singleUserWrite(json).body()).path("user");
  }

  @Test
  void createOrUpdateMatchedByAnExternalIdOfAnotherCaseKeepsTheRequestsCase() throws Exception {
    createUser("{'user':{'name':'A','email':'a@example.com','external_id':'gold-7'}}");

    JsonNode updated = createUser("{'user':{'name':'A','external_id':'GOLD-7'}}");

    assertThat(updated.path("external_id").asText()).isEqualTo("GOLD-7");
    assertThat(fake.users()).singleElement().satisfies(user ->
        assertThat(user.externalId()).isEqualTo("GOLD-7"));
  }

  @Test
  void aTextareaValueWithLineBreaksIsStoredAndReadBack() throws Exception {
    fake.addUserField("notes", ZendeskFieldType.TEXTAREA, true);

    JsonNode created = createUser("{'user':{'name':'A','email':'a@example.com',"
        + "'user_fields':{'notes':'line one\\nline two'}}}");
    JsonNode read = Http.JSON.readTree(http.send("GET", "/api/v2/users/"
        + created.path("id").asLong(), null).body()).path("user");

    assertThat(created.path("user_fields").path("notes").asText()).isEqualTo("line one\nline two");
    assertThat(read.path("user_fields").path("notes").asText()).isEqualTo("line one\nline two");

    time.advance(Duration.ofSeconds(1));
    http.send("PUT", "/api/v2/users/" + created.path("id").asLong(),
        "{'user':{'user_fields':{'notes':'three\\r\\nfour\\n'}}}");
    assertThat(fake.user("a@example.com").orElseThrow().userFields().get("notes"))
        .isEqualTo("three\r\nfour\n");
    time.advance(Duration.ofSeconds(1));
    http.send("POST", "/api/v2/users/create_or_update_many",
        "{'users':[{'email':'a@example.com','user_fields':{'notes':'five\\nsix'}}]}");
    for (int i = 0; i < 50 && !"five\nsix".equals(fake.user("a@example.com").orElseThrow()
        .userFields().get("notes")); i++) {
      time.advance(Duration.ofSeconds(1)); // the job runs on the fake's clock
    }
    assertThat(fake.user("a@example.com").orElseThrow().userFields().get("notes"))
        .isEqualTo("five\nsix");
  }

  @Test
  void aUserFieldDeletedAndCreatedAgainStartsEmpty() throws Exception {
    FakeUserField field = fake.addUserField("tier", ZendeskFieldType.TEXT, true);
    createUser("{'user':{'name':'A','email':'a@example.com','user_fields':{'tier':'Gold'}}}");

    http.send("DELETE", "/api/v2/user_fields/" + field.id(), null);
    http.send("POST", "/api/v2/user_fields",
        "{'user_field':{'key':'tier','type':'text','title':'Tier'}}");
    JsonNode user = Http.JSON.readTree(http.send("GET", "/api/v2/users/"
        + fake.user("a@example.com").orElseThrow().id(), null).body()).path("user");

    assertThat(user.path("user_fields").has("tier")).isTrue();
    assertThat(user.path("user_fields").path("tier").isNull()).as("the old value is gone")
        .isTrue();
  }

  @Test
  void usersAndFieldsCarryEveryDocumentedKeyAndTimesInWholeSeconds() throws Exception {
    time.advance(Duration.ofNanos(123_456_789));
    fake.addUserField("tier", ZendeskFieldType.TEXT, true);
    JsonNode user = createUser("{'user':{'name':'A','email':'a@example.com'}}");
    JsonNode field = Http.JSON.readTree(http.send("GET", "/api/v2/user_fields", null).body())
        .path("user_fields").get(0);

    // Zendesk's API reference, Users and User Fields, JSON format
    assertThat(user.properties()).extracting(Map.Entry::getKey).contains("active", "alias",
        "chat_only", "created_at", "custom_role_id", "default_group_id", "details", "email",
        "external_id", "iana_time_zone", "id", "last_login_at", "locale", "locale_id",
        "moderator", "name", "notes", "only_private_comments", "organization_id", "phone",
        "photo", "remote_photo_url", "report_csv", "restricted_agent", "role", "role_type",
        "shared", "shared_agent", "shared_phone_number", "signature", "suspended", "tags",
        "ticket_restriction", "time_zone", "two_factor_auth_enabled", "updated_at", "url",
        "user_fields", "verified");
    assertThat(field.properties()).extracting(Map.Entry::getKey).contains("active",
        "created_at", "description", "id", "key", "position", "raw_description", "raw_title",
        "regexp_for_validation", "relationship_filter", "relationship_target_type", "system",
        "tag", "title", "type", "updated_at", "url");
    for (JsonNode time : List.of(user.path("created_at"), user.path("updated_at"),
        field.path("created_at"), field.path("updated_at"))) {
      assertThat(time.asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    }
  }

  @Test
  void dateFieldsTakeDatesOrDateTimesAndAnswerMidnightUtc() throws Exception {
    fake.addUserField("birthday", ZendeskFieldType.DATE, true);

    JsonNode fromDate = createUser("{'user':{'name':'A','email':'a@example.com',"
        + "'user_fields':{'birthday':'1980-02-29'}}}");
    JsonNode fromDateTime = createUser("{'user':{'name':'B','email':'b@example.com',"
        + "'user_fields':{'birthday':'2026-11-24T15:30:00Z'}}}");

    assertThat(fromDate.path("user_fields").path("birthday").asText())
        .isEqualTo("1980-02-29T00:00:00+00:00");
    assertThat(fromDateTime.path("user_fields").path("birthday").asText())
        .isEqualTo("2026-11-24T00:00:00+00:00");
  }

  @ParameterizedTest
  @ValueSource(strings = {"'24/11/2026'", "'2026-02-30'", "20261124", "'yesterday'", "true"})
  void dateFieldsRefuseWhatIsNotADate(String value) throws Exception {
    fake.addUserField("birthday", ZendeskFieldType.DATE, true);

    HttpResponse<String> reply = singleUserWrite(
        "{'user':{'name':'A','email':'a@example.com','user_fields':{'birthday':" + value + "}}}");

    assertThat(reply.statusCode()).isEqualTo(422);
    assertThat(reply.body()).contains("RecordInvalid", "birthday");
  }

  @Test
  void dropdownsNeedOptionsAndTakeOnlyTheirValues() throws Exception {
    HttpResponse<String> noOptions = http.send("POST", "/api/v2/user_fields",
        "{'user_field':{'type':'dropdown','key':'tier','title':'Tier'}}");
    JsonNode field = http.json("POST", "/api/v2/user_fields", "{'user_field':{'type':'dropdown',"
        + "'key':'tier','title':'Tier','custom_field_options':[{'name':'Gold','value':'gold'},"
        + "{'name':'Silver','value':'silver'}]}}").path("user_field");

    HttpResponse<String> wrong = singleUserWrite(
        "{'user':{'name':'A','email':'a@example.com','user_fields':{'tier':'Gold'}}}");
    JsonNode right = createUser(
        "{'user':{'name':'A','email':'a@example.com','user_fields':{'tier':'gold'}}}");

    assertThat(noOptions.statusCode()).isEqualTo(422);
    assertThat(noOptions.body()).contains("custom_field_options");
    assertThat(field.path("custom_field_options")).extracting(option -> option.path("value")
        .asText()).containsExactly("gold", "silver");
    assertThat(field.path("custom_field_options").get(0).path("id").asLong()).isPositive();
    assertThat(wrong.statusCode()).isEqualTo(422);
    assertThat(right.path("user_fields").path("tier").asText()).isEqualTo("gold");
    assertThat(fake.userFields()).singleElement()
        .satisfies(stored -> assertThat(stored.options()).containsExactly("gold", "silver"));
  }

  @Test
  void regexpFieldsNeedTheirPatternAndEnforceIt() throws Exception {
    HttpResponse<String> noPattern = http.send("POST", "/api/v2/user_fields",
        "{'user_field':{'type':'regexp','key':'code','title':'Code'}}");
    JsonNode field = http.json("POST", "/api/v2/user_fields", "{'user_field':{'type':'regexp',"
        + "'key':'code','title':'Code','regexp_for_validation':'[A-Z]{3}-\\\\d+'}}")
        .path("user_field");

    HttpResponse<String> wrong = singleUserWrite(
        "{'user':{'name':'A','email':'a@example.com','user_fields':{'code':'abc-1'}}}");
    JsonNode right = createUser(
        "{'user':{'name':'A','email':'a@example.com','user_fields':{'code':'ABC-12'}}}");

    assertThat(noPattern.statusCode()).isEqualTo(422);
    assertThat(field.path("regexp_for_validation").asText()).isEqualTo("[A-Z]{3}-\\d+");
    assertThat(wrong.statusCode()).isEqualTo(422);
    assertThat(right.path("user_fields").path("code").asText()).isEqualTo("ABC-12");
  }

  @Test
  void listingFieldsWithoutPageParametersPagesByOffset() throws Exception {
    for (int i = 0; i < 150; i++) {
      fake.addUserField("field_" + i, ZendeskFieldType.TEXT, true);
    }

    JsonNode first = http.json("GET", "/api/v2/user_fields", null);
    String next = first.path("next_page").asText();
    JsonNode second = http.json("GET", next.substring(next.indexOf("/api/v2")), null);
    JsonNode cursor = http.json("GET", "/api/v2/user_fields?page%5Bsize%5D=100", null);

    assertThat(first.path("count").asInt()).isEqualTo(150);
    assertThat(first.path("user_fields")).hasSize(100);
    assertThat(first.path("previous_page").isNull()).isTrue();
    assertThat(first.has("meta")).isFalse();
    assertThat(second.path("user_fields")).hasSize(50);
    assertThat(second.path("next_page").isNull()).isTrue();
    assertThat(second.path("previous_page").asText()).contains("page=1");
    assertThat(cursor.path("meta").path("has_more").asBoolean()).isTrue();
    assertThat(cursor.has("count")).isFalse();
  }

  @Test
  void updateManyAlsoTakesIdsWithOneUserObject() throws Exception {
    fake.addUserField("tier", ZendeskFieldType.TEXT, true);
    FakeUser a = fake.addUser("A", "a@example.com", "ext-a");
    FakeUser b = fake.addUser("B", "b@example.com", "ext-b");

    JsonNode byIds = http.json("PUT", "/api/v2/users/update_many?ids=" + a.id() + "," + b.id(),
        "{'user':{'user_fields':{'tier':'Gold'}}}").path("job_status");
    JsonNode byExternalIds = http.json("PUT", "/api/v2/users/update_many?external_ids=ext-a",
        "{'user':{'user_fields':{'tier':'Platinum'}}}").path("job_status");

    assertThat(byIds.path("total").asInt()).isEqualTo(2);
    assertThat(byExternalIds.path("total").asInt()).isEqualTo(1);
    ZendeskAssertions.assertThat(fake).user("a@example.com").hasField("tier", "Platinum");
    ZendeskAssertions.assertThat(fake).user("b@example.com").hasField("tier", "Gold");
  }

  @Test
  void userFieldsCanBeUpdatedAndDeletedButNotReKeyedOrReTyped() throws Exception {
    FakeUserField field = fake.addUserField("tier", ZendeskFieldType.TEXT, true);

    JsonNode updated = http.json("PUT", "/api/v2/user_fields/" + field.id(),
        "{'user_field':{'title':'Loyalty tier','active':false,'key':'other','type':'integer'}}")
        .path("user_field");
    HttpResponse<String> deleted = http.send("DELETE", "/api/v2/user_fields/" + field.id(), null);
    HttpResponse<String> gone = http.send("GET", "/api/v2/user_fields/" + field.id(), null);

    assertThat(updated.path("title").asText()).isEqualTo("Loyalty tier");
    assertThat(updated.path("active").asBoolean()).isFalse();
    assertThat(updated.path("key").asText()).isEqualTo("tier");
    assertThat(updated.path("type").asText()).isEqualTo("text");
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(fake.userFields()).isEmpty();
  }

  @Test
  void agentsMayNotChangeUserFields() throws Exception {
    FakeUserField field = fake.addUserField("tier", ZendeskFieldType.TEXT, true);
    String agent = "Basic " + Base64.getEncoder().encodeToString((FakeZendesk.AGENT_EMAIL
        + "/token:" + FakeZendesk.AGENT_API_TOKEN).getBytes(StandardCharsets.UTF_8));

    assertThat(http.send("PUT", "/api/v2/user_fields/" + field.id(),
        "{'user_field':{'title':'x'}}", agent).statusCode()).isEqualTo(403);
    assertThat(http.send("DELETE", "/api/v2/user_fields/" + field.id(), null, agent)
        .statusCode()).isEqualTo(403);
  }

  @Test
  void usersMeSaysWhoTheCredentialsAre() throws Exception {
    String agent = "Basic " + Base64.getEncoder().encodeToString((FakeZendesk.AGENT_EMAIL
        + "/token:" + FakeZendesk.AGENT_API_TOKEN).getBytes(StandardCharsets.UTF_8));

    JsonNode admin = http.json("GET", "/api/v2/users/me", null).path("user");
    JsonNode oauth = Http.JSON.readTree(http.send("GET", "/api/v2/users/me.json", null,
        "Bearer " + FakeZendesk.OAUTH_ACCESS_TOKEN).body()).path("user");
    JsonNode asAgent = Http.JSON.readTree(http.send("GET", "/api/v2/users/me", null, agent)
        .body()).path("user");
    JsonNode anonymous = Http.JSON.readTree(http.send("GET", "/api/v2/users/me", null, null)
        .body()).path("user");
    int wrong = http.send("GET", "/api/v2/users/me", null, "Bearer nope").statusCode();

    assertThat(admin.path("role").asText()).isEqualTo("admin");
    assertThat(admin.path("email").asText()).isEqualTo(FakeZendesk.ADMIN_EMAIL);
    assertThat(oauth.path("role").asText()).isEqualTo("admin");
    assertThat(asAgent.path("role").asText()).isEqualTo("agent");
    assertThat(anonymous.path("id").isNull()).isTrue();
    assertThat(anonymous.path("name").asText()).isEqualTo("Anonymous user");
    assertThat(wrong).isEqualTo(401);
  }

  @Test
  void standardAttributesAreKeptAndAnswered() throws Exception {
    JsonNode user = createUser("{'user':{'name':'Jane','email':'jane@example.com',"
        + "'phone':'+15551234','tags':['vip','gold'],'notes':'prefers email','details':'Lisbon',"
        + "'verified':true,'locale':'pt-PT','time_zone':'Lisbon','organization_id':42,"
        + "'role':'end-user','external_id':'M-1'}}");
    JsonNode shown = http.json("GET", "/api/v2/users/" + user.path("id").asLong(), null)
        .path("user");

    for (JsonNode answer : List.of(user, shown)) {
      assertThat(answer.path("phone").asText()).isEqualTo("+15551234");
      assertThat(answer.path("tags")).extracting(JsonNode::asText).containsExactly("vip", "gold");
      assertThat(answer.path("notes").asText()).isEqualTo("prefers email");
      assertThat(answer.path("details").asText()).isEqualTo("Lisbon");
      assertThat(answer.path("verified").asBoolean()).isTrue();
      assertThat(answer.path("locale").asText()).isEqualTo("pt-PT");
      assertThat(answer.path("time_zone").asText()).isEqualTo("Lisbon");
      assertThat(answer.path("organization_id").asLong()).isEqualTo(42);
      assertThat(answer.path("role").asText()).isEqualTo("end-user");
      assertThat(answer.path("active").asBoolean()).isTrue();
      assertThat(answer.path("created_at").asText()).isEqualTo("2026-01-01T00:00:01Z");
      assertThat(answer.path("updated_at").asText()).isNotEmpty();
    }
    assertThat(fake.user("jane@example.com").orElseThrow().attributes())
        .containsEntry("phone", "+15551234").containsEntry("organization_id", 42);
    assertThat(singleUserWrite(
        "{'user':{'name':'X','email':'x@example.com','role':'boss'}}").statusCode())
        .isEqualTo(422);
  }

  @Test
  void aCreatedUserOrFieldIsAt201WithItsLocation() throws Exception {
    HttpResponse<String> created = singleUserWrite(
        "{'user':{'name':'A','email':'a@example.com'}}");
    HttpResponse<String> updated = singleUserWrite(
        "{'user':{'name':'A','email':'a@example.com'}}");
    HttpResponse<String> field = http.send("POST", "/api/v2/user_fields",
        "{'user_field':{'type':'text','key':'tier','title':'Tier'}}");

    long id = Http.JSON.readTree(created.body()).path("user").path("id").asLong();
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).hasValue(
        fake.baseUri() + "/api/v2/users/" + id + ".json");
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(updated.headers().firstValue("Location")).isEmpty();
    assertThat(field.statusCode()).isEqualTo(201);
    assertThat(field.headers().firstValue("Location")).isPresent();
  }

  @Test
  void decimalsKeepTheirExactValue() throws Exception {
    fake.addUserField("points", ZendeskFieldType.DECIMAL, true);

    HttpResponse<String> reply = singleUserWrite(
        "{'user':{'name':'A','email':'a@example.com',"
            + "'user_fields':{'points':12345678901234567890.123456789}}}");

    assertThat(reply.body()).contains("\"points\":12345678901234567890.123456789");
    assertThat(fake.user("a@example.com").orElseThrow().userFields().get("points"))
        .hasToString("12345678901234567890.123456789");
  }

  @Test
  void searchUnderstandsCompoundQueriesAndRefusesWhatItDoesNot() throws Exception {
    fake.addUser("Jane Doe", "jane@example.com", "M-1");
    fake.addUser("Jane Roe", "roe@example.com", "M-2");

    List<String> found = new ArrayList<>();
    for (String query : List.of("type%3Auser%20email%3Ajane%40example.com",
        "name%3A%22Jane%20Doe%22", "external_id%3AM-2", "type%3Auser%20jane", "role%3Aend-user")) {
      JsonNode answer = http.json("GET", "/api/v2/users/search?query=" + query, null);
      List<String> emails = new ArrayList<>();
      answer.path("users").forEach(user -> emails.add(user.path("email").asText()));
      found.add(String.join(",", emails) + "/" + answer.path("count").asInt());
    }
    HttpResponse<String> unknown = http.send("GET",
        "/api/v2/users/search?query=created%3E2020-01-01", null);

    assertThat(found).containsExactly("jane@example.com/1", "jane@example.com/1",
        "roe@example.com/1", "jane@example.com,roe@example.com/2",
        "jane@example.com,roe@example.com/2");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("Unsupported search query");
  }

  @Test
  void theJournalNeverShowsCredentials() throws Exception {
    http.send("GET", "/api/v2/users/me", null);
    http.send("GET", "/api/v2/users/me", null, "Bearer " + FakeZendesk.OAUTH_ACCESS_TOKEN);

    assertThat(fake.requests().toString()).doesNotContain(FakeZendesk.ADMIN_API_TOKEN,
        FakeZendesk.OAUTH_ACCESS_TOKEN, Http.ADMIN.substring("Basic ".length()));
    assertThat(fake.requests()).extracting(request -> request.header("Authorization"))
        .containsExactly("Basic ****", "Bearer ****");
  }

  @Test
  void theJournalIsBoundedAndCanBeSwitchedOff() throws Exception {
    try (FakeZendesk small = FakeZendesk.builder().journalSize(2).start();
         FakeZendesk silent = FakeZendesk.builder().journalSize(0).writeLogSize(0).start()) {
      Http smallHttp = new Http(small);
      Http silentHttp = new Http(silent);
      for (int i = 0; i < 5; i++) {
        smallHttp.send("GET", "/api/v2/users/me?n=" + i, null);
        silentHttp.send("POST", "/api/v2/users/create_or_update",
            "{'user':{'name':'A','email':'a@example.com'}}");
      }

      assertThat(small.requests()).extracting(request -> request.query().get("n"))
          .containsExactly("3", "4");
      assertThat(silent.requests()).isEmpty();
      assertThat(silent.userWrites()).isEmpty();
    }
  }

  @Test
  void theExportReportsItsOwnLimitOnEveryAnswerAndRefusesTheEleventhCallOfAMinute()
      throws Exception {
    time.advance(Duration.ofSeconds(15));
    List<String> reported = new ArrayList<>();
    HttpResponse<String> last = null;
    for (int call = 0; call < 11; call++) {
      last = http.send("GET", "/api/v2/incremental/users/cursor?start_time=0", null);
      reported.add(last.headers().firstValue("Zendesk-RateLimit-incremental-exports-cursor")
          .orElse("none"));
    }

    assertThat(reported.subList(0, 3)).containsExactly("total=10; remaining=9; resets=45",
        "total=10; remaining=8; resets=45", "total=10; remaining=7; resets=45");
    assertThat(last.statusCode()).isEqualTo(429);
    assertThat(reported.get(10)).isEqualTo("total=10; remaining=0; resets=45");
    assertThat(last.headers().firstValue("Retry-After")).contains("45");
    assertThat(http.send("GET", "/api/v2/users/count", null).headers()
        .firstValue("Zendesk-RateLimit-incremental-exports-cursor")).isEmpty();
  }
}
