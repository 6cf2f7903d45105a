package io.github.zendeskloyalty.cli.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * A member export, read one row at a time: CSV with a header row of attribute names, or JSON
 * Lines with one object per line, UTF-8 (a byte order mark is skipped). Attribute names are the seed's keys ({@code
 * zrl_member_available_points}, {@code first_name}, ...). A row that cannot be read at all comes
 * back with its problem, so it is rejected alone. Not part of the API.
 */
public final class MemberFile implements Iterable<MemberFile.Row>, AutoCloseable {

  /** Decimals as written: 0.10000000000000001 stays that, not the nearest double. */
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
  /** What spreadsheet programs put before the first column of a UTF-8 CSV. */
  private static final int BYTE_ORDER_MARK = '\uFEFF';

  /**
   * One row: its line in the file, and its values by attribute key, or why it cannot be read.
   *
   * @param problem null, or what is wrong with the whole row
   * @param attribute the attribute the problem is about, or null
   */
  public record Row(int line, Map<String, String> values, String attribute, String problem) {}

  private final BufferedReader reader;
  private final boolean csv;
  private final List<String> header;
  private int lineNumber;

  private MemberFile(BufferedReader reader, boolean csv, List<String> header, int lineNumber) {
    this.reader = reader;
    this.csv = csv;
    this.header = header;
    this.lineNumber = lineNumber;
  }

  /**
   * Opens a file: CSV when it ends in {@code .csv}, JSON Lines otherwise.
   *
   * @throws IllegalArgumentException when a CSV header names no attribute, or names one twice
   */
  public static MemberFile open(Path file) throws IOException {
    BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    reader.mark(1);
    if (reader.read() != BYTE_ORDER_MARK) {
      reader.reset();
    }
    boolean csv = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
    if (!csv) {
      return new MemberFile(reader, false, List.of(), 0);
    }
    MemberFile probe = new MemberFile(reader, true, List.of(), 0);
    List<String> header = probe.record();
    if (header == null) {
      reader.close();
      throw new IllegalArgumentException(file + " is empty: the first line must name the"
          + " columns");
    }
    List<String> keys = new ArrayList<>();
    for (String column : header) {
      String key = MemberParser.key(column.strip());
      if (key == null) {
        reader.close();
        throw new IllegalArgumentException(file + ": column '" + column.strip() + "' is not an"
            + " attribute; the columns are the seed's keys, such as zrl_member_member_id,"
            + " zrl_member_available_points, email");
      }
      if (keys.contains(key)) {
        reader.close();
        throw new IllegalArgumentException(file + ": column '" + column.strip() + "' twice");
      }
      keys.add(key);
    }
    return new MemberFile(reader, true, List.copyOf(keys), probe.lineNumber);
  }

  /** Counts the data rows of a file, for a progress estimate. */
  public static long countRows(Path file) throws IOException {
    try (MemberFile rows = open(file)) {
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
    try {
      return csv ? readCsv() : readJsonLine();
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
    if (!object.isObject()) {
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
      values.put(key, value.isNumber() ? value.decimalValue().toPlainString() : value.asText());
    }
    return new Row(lineNumber, values, null, null);
  }

  private Row readCsv() throws IOException {
    int first = lineNumber + 1;
    List<String> fields = record();
    while (fields != null && fields.size() == 1 && fields.get(0).isBlank()) {
      first = lineNumber + 1;
      fields = record();
    }
    if (fields == null) {
      return null;
    }
    if (fields.size() != header.size()) {
      return new Row(first, Map.of(), null, fields.size() + " values for " + header.size()
          + " columns");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < header.size(); i++) {
      if (!fields.get(i).isEmpty()) {
        values.put(header.get(i), fields.get(i));
      }
    }
    return new Row(first, values, null, null);
  }

  /** One CSV record (RFC 4180: quoted fields may hold commas, quotes and line breaks). */
  private List<String> record() throws IOException {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    int c;
    while ((c = reader.read()) != -1) {
      any = true;
      if (quoted) {
        if (c == '"') {
          reader.mark(1);
          int after = reader.read();
          if (after == '"') {
            field.append('"');
          } else {
            quoted = false;
            if (after != -1) {
              reader.reset();
            }
          }
        } else {
          if (c == '\n') {
            lineNumber++;
          }
          field.append((char) c);
        }
      } else if (c == '"' && field.length() == 0) {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else if (c == '\n') {
        lineNumber++;
        break;
      } else if (c != '\r') {
        field.append((char) c);
      }
    }
    if (!any) {
      return null;
    }
    if (c == -1) {
      lineNumber++;
    }
    fields.add(field.toString());
    return fields;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
