package io.github.zendeskloyalty.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zendeskloyalty.core.internal.Redaction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactionTest {

  @ParameterizedTest
  @CsvSource(nullValues = "NULL", value = {
      "jane.doe@example.com, j***@example.com",
      "a@b.co, a***@b.co",
      "no-at-sign, n***",
      "@example.com, @***",
      "NULL, null"})
  void masksTheLocalPartOfAnEmail(String email, String masked) {
    assertThat(Redaction.maskEmail(email)).isEqualTo(masked);
  }
}
