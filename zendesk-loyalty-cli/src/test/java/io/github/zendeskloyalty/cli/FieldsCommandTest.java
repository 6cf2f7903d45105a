package io.github.zendeskloyalty.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.ZendeskFieldType;
import io.github.zendeskloyalty.testkit.FakeUserField;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import io.github.zendeskloyalty.testkit.FakeZendeskExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class FieldsCommandTest {

  @RegisterExtension
  static FakeZendeskExtension zendesk = new FakeZendeskExtension();

  @Test
  void verifyListsTheMissingFieldsChangesNothingAndExitsOne(FakeZendesk fake) {
    Cli.Result result = Cli.admin(fake).run("fields", "verify");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out()).contains("zrl_member_available_points", "decimal", "missing",
        "0 present, 0 created, 21 missing, 0 of another type");
    assertThat(fake.userFields()).isEmpty();
  }

  @Test
  void ensureCreatesOnlyWhatIsMissingThenVerifyExitsZero(FakeZendesk fake) {
    fake.addUserField("zrl_member_member_id", ZendeskFieldType.TEXT, true);
    long existingId = fake.userFields().get(0).id();

    Cli.Result ensure = Cli.admin(fake).run("fields", "ensure");
    Cli.Result verify = Cli.admin(fake).run("fields", "verify");

    assertThat(ensure.exit()).isZero();
    assertThat(ensure.out()).contains("1 present, 20 created, 0 missing");
    assertThat(fake.userFields()).hasSize(21)
        .filteredOn(field -> field.key().equals("zrl_member_member_id"))
        .extracting(FakeUserField::id).containsExactly(existingId);
    assertThat(verify.exit()).isZero();
    assertThat(verify.out()).contains("21 present, 0 created, 0 missing, 0 of another type");
  }

  @Test
  void aFieldOfAnotherTypeIsShownAndKeepsTheExitCodeNonZero(FakeZendesk fake) {
    fake.addUserField("zrl_member_available_points", ZendeskFieldType.TEXT, true);

    Cli.Result ensure = Cli.admin(fake).run("fields", "ensure");

    assertThat(ensure.exit()).isEqualTo(1);
    assertThat(ensure.out()).containsPattern(
        "zrl_member_available_points\\s+decimal\\s+wrong type \\(text\\)");
    assertThat(fake.userFields()).filteredOn(f -> f.key().equals("zrl_member_available_points"))
        .extracting(FakeUserField::type).containsExactly(ZendeskFieldType.TEXT);
  }

  @Test
  void ensureWithAnAgentsTokenExitsFourAndCreatesNothing(FakeZendesk fake) {
    Cli.Result result = Cli.agent(fake).run("fields", "ensure");

    assertThat(result.exit()).isEqualTo(4);
    assertThat(result.err()).contains("admin");
    assertThat(fake.userFields()).isEmpty();
  }

  @Test
  void aSchemaFileExcludesRenamesAndRetypes(FakeZendesk fake, @TempDir Path dir) throws Exception {
    Path schema = dir.resolve("schema.properties");
    Files.writeString(schema, """
        # our account already has phone and email elsewhere
        exclude = phone, email
        key.first_name = given_name
        type.zrl_member_enrollment_date = date
        """);

    Cli.Result result = Cli.admin(fake).run("fields", "ensure", "--schema", schema.toString());

    assertThat(result.exit()).isZero();
    assertThat(fake.userFields()).hasSize(19)
        .extracting(FakeUserField::key).contains("given_name").doesNotContain("phone", "email",
            "first_name");
    assertThat(fake.userFields()).filteredOn(f -> f.key().equals("zrl_member_enrollment_date"))
        .extracting(FakeUserField::type).containsExactly(ZendeskFieldType.DATE);
  }

  @Test
  void aWrongSchemaFileIsNamedWithItsLineAndExitsTwo(FakeZendesk fake, @TempDir Path dir)
      throws Exception {
    Path schema = dir.resolve("schema.properties");
    Files.writeString(schema, "type.zrl_member_enrollment_date = calendar\n");

    Cli.Result result = Cli.admin(fake).run("fields", "verify", "--schema", schema.toString());

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("schema.properties", "type.zrl_member_enrollment_date",
        "calendar");
  }

  @Test
  void jsonOutputHasOneRowPerField(FakeZendesk fake) throws Exception {
    fake.provision(FieldSchema.standard());

    JsonNode rows = JsonMapper.builder().build()
        .readTree(Cli.admin(fake).run("fields", "verify", "--json").out());

    assertThat(rows).hasSize(21);
    assertThat(rows.get(0).path("state").asText()).isEqualTo("present");
  }
}
