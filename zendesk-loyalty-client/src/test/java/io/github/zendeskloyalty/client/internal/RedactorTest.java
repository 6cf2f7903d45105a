package io.github.zendeskloyalty.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Emails in Zendesk's free text are masked, whatever their shape, at a cost that does not grow. */
class RedactorTest {

  /** Text that counts how many of its characters are ever read. */
  private static final class CountingText implements CharSequence {
    private final String text;
    long read;

    CountingText(String text) {
      this.text = text;
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public char charAt(int index) {
      read++;
      return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      read += end - start;
      return text.substring(start, end);
    }

    @Override
    public String toString() {
      read += text.length();
      return text;
    }
  }

  /** An HTML error page with an inline image: one huge token without separators. */
  private static String errorPageWithImage(int imageBytes) {
    return "<html><body><h1>503 Service Unavailable</h1><img src=\"data:image/png;base64,"
        + "iVBORw0KGgo".repeat(imageBytes / 11) + "\"> contact ops@example.com</body></html>";
  }

  @Test
  void theWorkOnAMultiMegabyteBodyIsTheSameAsOnASmallOne() {
    CountingText small = new CountingText(errorPageWithImage(40_000));
    CountingText huge = new CountingText(errorPageWithImage(8_000_000));

    String fromSmall = Redactor.clean(small);
    String fromHuge = Redactor.clean(huge);

    assertThat(huge.read).isEqualTo(small.read).isLessThanOrEqualTo(Redactor.MAX_SCAN);
    assertThat(fromHuge).isEqualTo(fromSmall).startsWith("<html><body><h1>503 Service")
        .hasSizeLessThanOrEqualTo(Redactor.MAX_TEXT + 1);
  }

  @Test
  void aLongLocalPartIsMaskedWhole() {
    assertThat(Redactor.maskEmails("a".repeat(5_000) + "@" + "b".repeat(5_000) + ".com"))
        .isEqualTo("a***@" + "b".repeat(5_000) + ".com");
  }

  @ParameterizedTest
  @ValueSource(strings = {"mary-jane.o'connor@example.com", "\"jdoe\"@example.com",
      "first.last+tag@sub.example.co.uk", "JANE_DOE@EXAMPLE.COM", "élodie@exemple.fr"})
  void everyShapeOfLocalPartIsMasked(String email) {
    String local = email.substring(0, email.lastIndexOf('@'));

    String cleaned = Redactor.clean("Email: " + email + " is not properly formatted.");

    assertThat(cleaned).doesNotContain(local.substring(1))
        .contains(email.charAt(0) + "***@" + email.substring(email.lastIndexOf('@') + 1));
  }

  @Test
  void textAroundEmailsIsKeptOnOneLine() {
    assertThat(Redactor.clean("<p>jane@example.com\nand\t(bob@example.org).</p>"))
        .isEqualTo("<p>j***@example.com and (b***@example.org).</p>");
  }
}
