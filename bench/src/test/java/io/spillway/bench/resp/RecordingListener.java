package io.spillway.bench.resp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Records every frame a parser reports as a short text, for tests that compare readings of the same bytes. */
final class RecordingListener implements RespReplyListener {
  final List<String> frames = new ArrayList<>();

  @Override
  public void onMessage(
      ByteBuf f, int channelIndex, int channelLength, int payloadIndex, int payloadLength) {
    frames.add("message " + f.toString(channelIndex, channelLength, StandardCharsets.UTF_8) + " "
        + f.toString(payloadIndex, payloadLength, StandardCharsets.UTF_8));
  }

  @Override
  public void onSubscribed(ByteBuf f, int channelIndex, int channelLength, long count) {
    frames.add("subscribed " + f.toString(channelIndex, channelLength, StandardCharsets.UTF_8) + " "
        + count);
  }

  @Override
  public void onInteger(long value) {
    frames.add("integer " + value);
  }

  @Override
  public void onError(String text) {
    frames.add("error " + text);
  }

  @Override
  public void onOther() {
    frames.add("other");
  }
}
