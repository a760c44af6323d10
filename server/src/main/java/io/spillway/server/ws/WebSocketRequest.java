package io.spillway.server.ws;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One command a WebSocket client sent as a JSON text frame: {@code {"op":"subscribe","channel":"x"}}, {@code
 * {"op":"unsubscribe","channel":"x"}} or {@code {"op":"publish","channel":"x","message":"…"}} (or {@code
 * "message_base64"} for a binary payload). Immutable.
 */
final class WebSocketRequest {

  /** RFC 6455 close code 1007: the frame's data is not what its type promises (here: not a JSON object). */
  static final int INVALID_PAYLOAD = 1007;
  /** RFC 6455 close code 1008: a policy violation (here: not a command this server knows). */
  static final int POLICY_VIOLATION = 1008;

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** What the client asks for. */
  enum Op {
    SUBSCRIBE("subscribe"),
    UNSUBSCRIBE("unsubscribe"),
    PUBLISH("publish");

    final String label;

    Op(String label) {
      this.label = label;
    }
  }

  final Op op;
  final String channel;
  /** The payload to publish, as bytes; null unless {@link Op#PUBLISH}. */
  final byte[] payload;

  private WebSocketRequest(Op op, String channel, byte[] payload) {
    this.op = op;
    this.channel = channel;
    this.payload = payload;
  }

  /**
   * Parses one text frame's payload.
   *
   * @throws WebSocketRequestException with {@link #INVALID_PAYLOAD} if it is not one JSON object (or its {@code
   *     message_base64} is not Base64), with {@link #POLICY_VIOLATION} if the object is not a known command
   */
  static WebSocketRequest parse(byte[] json) throws WebSocketRequestException {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new WebSocketRequestException(
          INVALID_PAYLOAD, "malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new WebSocketRequestException(INVALID_PAYLOAD, "malformed JSON");
    }
    if (node == null || !node.isObject()) {
      throw new WebSocketRequestException(INVALID_PAYLOAD, "expected a JSON object");
    }
    Op op = op(text(node, "op"));
    String channel = text(node, "channel");
    if (op != Op.PUBLISH) {
      return new WebSocketRequest(op, channel, null);
    }
    JsonNode message = node.get("message");
    JsonNode base64 = node.get("message_base64");
    if ((message == null) == (base64 == null)) {
      throw new WebSocketRequestException(
          POLICY_VIOLATION, "publish needs one of \"message\" or \"message_base64\"");
    }
    if (message != null) {
      return new WebSocketRequest(
          op, channel, text(node, "message").getBytes(StandardCharsets.UTF_8));
    }
    try {
      return new WebSocketRequest(
          op, channel, Base64.getDecoder().decode(text(node, "message_base64")));
    } catch (IllegalArgumentException e) {
      throw new WebSocketRequestException(INVALID_PAYLOAD, "\"message_base64\" is not Base64");
    }
  }

  private static Op op(String name) throws WebSocketRequestException {
    for (Op op : Op.values()) {
      if (op.label.equals(name)) {
        return op;
      }
    }
    throw new WebSocketRequestException(POLICY_VIOLATION, "unknown op \"" + name + "\"");
  }

  private static String text(JsonNode object, String field) throws WebSocketRequestException {
    JsonNode v = object.get(field);
    if (v == null || !v.isTextual()) {
      throw new WebSocketRequestException(POLICY_VIOLATION, "\"" + field + "\" must be a string");
    }
    return v.textValue();
  }
}
