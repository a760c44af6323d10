package io.spillway.bench.html;

/** Escapes text for HTML and SVG, element content and quoted attribute values alike. Stateless. */
final class HtmlText {

  private HtmlText() {}

  /** {@code text} with {@code & < > " '} replaced by character references; {@code "null"} for null. */
  static String escape(Object text) {
    String s = String.valueOf(text);
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
