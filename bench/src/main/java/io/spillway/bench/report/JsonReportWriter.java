package io.spillway.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a {@link BenchReport} as indented JSON. Thread-safe. */
public final class JsonReportWriter {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReportWriter() {}

  /** Writes {@code report} to {@code file}, creating its parent directories and replacing the file. */
  public static void write(BenchReport report, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    MAPPER.writeValue(file.toFile(), report);
  }

  /** {@code report} as a JSON string. */
  public static String toJson(BenchReport report) throws IOException {
    return MAPPER.writeValueAsString(report);
  }
}
