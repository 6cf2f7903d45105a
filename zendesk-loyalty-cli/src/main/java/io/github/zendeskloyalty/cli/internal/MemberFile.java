package io.github.zendeskloyalty.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A member export, read once, one row at a time: CSV with a header row of attribute names (read
 * by Jackson's CSV parser: RFC 4180 quotes, commas and line breaks in quoted values), or JSON
 * Lines with one object per line; UTF-8 (a byte order mark is skipped); a file or standard input.
 * Attribute names are the seed's keys ({@code zrl_member_available_points}, {@code first_name},
 * ...). A row that cannot be read comes back with its problem, so it is rejected alone. Not part
 * of the API.
 */
public final class MemberFile implements Iterable<MemberFile.Row>, AutoCloseable {

  /** Decimals as written: 0.10000000000000001 stays that, not the nearest double. */
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
  private static final CsvFactory CSV = CsvFactory.builder()
      .enable(CsvParser.Feature.SKIP_EMPTY_LINES).build();
  /** What spreadsheet programs put before the first column of a UTF-8 CSV. */
  private static final int BYTE_ORDER_MARK = '\uFEFF';
  /** Longer numbers are not written out digit by digit (a value this long is refused anyway). */
  private static final int PLAIN_DIGITS = 64;

  /**
   * One row: its line in the file, and its values by attribute key, or why it cannot be read.
   *
   * @param problem null, or what is wrong with the whole row
   * @param attribute the attribute the problem is about, or null
   */
  public record Row(int line, Map<String, String> values, String attribute, String problem) {}

  private final BufferedReader reader;
  private final CsvParser csv;
  private final List<String> header;
  private int lineNumber;
  /**
   * Line breaks inside quoted values read so far: Jackson's CSV parser counts a line per record
   * and blank line, not those, so a row's line in the file is its count plus these plus one.
   */
  private int lineBreaksInValues;
  private boolean ended;

  private final String name;

  private MemberFile(BufferedReader reader, CsvParser csv, List<String> header, String name) {
    this.name = name;
    this.reader = reader;
    this.csv = csv;
    this.header = header;
  }

  /**
   * Opens an export: CSV when {@code csv}, JSON Lines otherwise, from {@code in} (read once).
   *
   * @param name the file's name in messages
   * @throws IllegalArgumentException when a CSV header names no attribute, or names one twice
   */
  public static MemberFile open(InputStream in, boolean csv, String name) throws IOException {
    // strict: a byte that is not UTF-8 stops the read (a replacement character would reach Zendesk)
    BufferedReader reader = new BufferedReader(new InputStreamReader(in,
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)));
    try {
      reader.mark(1);
      if (reader.read() != BYTE_ORDER_MARK) { // reads the first buffer: its bytes are decoded
        reader.reset();
      }
    } catch (CharacterCodingException notUtf8) {
      reader.close();
      throw notUtf8(name, "in its first 8,192 characters", notUtf8);
    }
    if (!csv) {
      return new MemberFile(reader, null, List.of(), name);
    }
    CsvParser parser = CSV.createParser(reader);
    try {
      return new MemberFile(reader, parser, header(parser, name), name);
    } catch (CharacterCodingException notUtf8) {
      parser.close();
      throw notUtf8(name, "in its first line", notUtf8);
    } catch (IOException | RuntimeException unreadable) {
      parser.close();
      throw unreadable;
    }
  }

  /** Opens a file: CSV when it ends in {@code .csv}, JSON Lines otherwise. */
  public static MemberFile open(Path file) throws IOException {
    return open(Files.newInputStream(file), isCsv(file), file.toString());
  }

  /**
   * The failure of a file that is not UTF-8 text; for a regular file, naming the first line
   * that is not (read again from the start), else {@code where} the reader noticed it.
   */
  private static IOException notUtf8(String name, String where, CharacterCodingException cause) {
    Path file = Path.of(name);
    String at = where;
    if (Files.isRegularFile(file)) {
      try {
        at = "line " + firstLineNotUtf8(file);
      } catch (IOException unreadable) {
        // the reader's guess stands
      }
    }
    return new IOException(name + " is not UTF-8 text (" + at + "): save it as UTF-8 and run"
        + " again", cause);
  }

  /** The number of the first line of {@code file} whose bytes are no UTF-8 text. */
  private static long firstLineNotUtf8(Path file) throws IOException {
    try (java.io.InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
      java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
      long number = 1;
      for (int b = in.read(); ; b = in.read()) {
        if (b == '\n' || b == -1) {
          try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(line.toByteArray()));
          } catch (CharacterCodingException here) {
            return number;
          }
          if (b == -1) {
            return number;
          }
          line.reset();
          number++;
        } else {
          line.write(b);
        }
      }
    }
  }

  /** Whether a file's name says CSV. */
  public static boolean isCsv(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
  }

  private static List<String> header(CsvParser parser, String name) throws IOException {
    List<String> columns = new ArrayList<>();
    if (parser.nextToken() != JsonToken.START_ARRAY) {
      throw new IllegalArgumentException(name + " is empty: the first line must name the"
          + " columns");
    }
    for (JsonToken token = parser.nextToken(); token == JsonToken.VALUE_STRING;
        token = parser.nextToken()) {
      columns.add(parser.getText());
    }
    List<String> keys = new ArrayList<>();
    for (String column : columns) {
      String key = MemberParser.key(column.strip());
      if (key == null) {
        throw new IllegalArgumentException(name + ": column '" + column.strip() + "' is not an"
            + " attribute; the columns are the seed's keys, such as zrl_member_member_id,"
            + " zrl_member_available_points, email");
      }
      if (keys.contains(key)) {
        throw new IllegalArgumentException(name + ": column '" + column.strip() + "' twice");
      }
      keys.add(key);
    }
    return List.copyOf(keys);
  }

  /** Counts the data rows of a regular file, for a progress estimate. */
  public static long countRows(Path file, boolean csv) throws IOException {
    try (MemberFile rows = open(Files.newInputStream(file), csv, file.toString())) {
      long count = 0;
      for (Row ignored : rows) {
        count++;
      }
      return count;
    }
  }

  @Override
  public Iterator<Row> iterator() {
    return new Iterator<>() {
      private Row next;

      @Override
      public boolean hasNext() {
        if (next == null) {
          next = read();
        }
        return next != null;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Row row = next;
        next = null;
        return row;
      }
    };
  }

  private Row read() {
    if (ended) {
      return null;
    }
    try {
      Row row = csv != null ? readCsv() : readJsonLine();
      ended = row == null;
      return row;
    } catch (CharacterCodingException notUtf8) {
      int line = csv != null ? csv.currentLocation().getLineNr() + lineBreaksInValues
          : lineNumber + 1;
      throw new UncheckedIOException(notUtf8(name, "at or after line " + line, notUtf8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Row readJsonLine() throws IOException {
    String line;
    do {
      line = reader.readLine();
      lineNumber++;
      if (line == null) {
        return null;
      }
    } while (line.isBlank());
    JsonNode object;
    try {
      object = JSON.readTree(line);
    } catch (IOException notJson) {
      return new Row(lineNumber, Map.of(), null, "not a JSON object");
    }
    if (object == null || !object.isObject()) {
      return new Row(lineNumber, Map.of(), null, "not a JSON object");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      String key = MemberParser.key(name);
      if (key == null) {
        return new Row(lineNumber, Map.of(), name, "not an attribute");
      }
      JsonNode value = object.get(name);
      if (value.isNull()) {
        continue;
      }
      if (value.isContainerNode()) {
        return new Row(lineNumber, Map.of(), key, "must be a single value");
      }
      values.put(key, value.isNumber() ? number(value.decimalValue()) : value.asText());
    }
    return new Row(lineNumber, values, null, null);
  }

  /** A number as written, never expanded to more than {@value #PLAIN_DIGITS} digits. */
  private static String number(BigDecimal value) {
    return Math.max(value.precision() - value.scale(), value.scale()) <= PLAIN_DIGITS
        ? value.toPlainString() : value.toString();
  }

  private Row readCsv() throws IOException {
    int first = -1;
    List<String> fields = new ArrayList<>();
    try {
      if (csv.nextToken() != JsonToken.START_ARRAY) {
        return null;
      }
      first = csv.currentTokenLocation().getLineNr() + 1 + lineBreaksInValues;
      for (JsonToken token = csv.nextToken(); token == JsonToken.VALUE_STRING;
          token = csv.nextToken()) {
        String value = csv.getText();
        lineBreaksInValues += (int) value.chars().filter(c -> c == '\n').count();
        fields.add(value);
      }
    } catch (JsonProcessingException unreadable) {
      // Jackson stops at an unclosed quote at the end of the file: the row that opened it fails
      int line = first > 0 ? first : csv.currentTokenLocation().getLineNr() + 1;
      ended = true;
      return new Row(line, Map.of(), null, "a quote opened on this line is never closed:"
          + " this row and every line after it were not sent");
    }
    if (fields.size() != header.size()) {
      return new Row(first, Map.of(), null, fields.size() + " values for " + header.size()
          + " columns");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < header.size(); i++) {
      String value = fields.get(i);
      if (holdsRows(value)) {
        return new Row(first, Map.of(), header.get(i), "a quoted value holds a line break"
            + " followed by what reads as another row (" + (header.size() - 1) + " commas):"
            + " a quote left open? Fix the row; nothing of it was sent");
      }
      if (!value.isEmpty()) {
        values.put(header.get(i), value);
      }
    }
    return new Row(first, values, null, null);
  }

  /** Whether a value goes on, after a line break, with a line shaped like a whole row. */
  private boolean holdsRows(String value) {
    if (header.size() < 2 || value.indexOf('\n') < 0) {
      return false;
    }
    String[] lines = value.split("\r?\n", -1);
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].chars().filter(c -> c == ',').count() >= header.size() - 1) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() throws IOException {
    if (csv != null) {
      csv.close();
    }
    reader.close();
  }
}
