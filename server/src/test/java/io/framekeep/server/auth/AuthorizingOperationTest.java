package io.framekeep.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AuthorizingOperationTest {
  private static String nameOf(String json) {
    return AuthorizingOperation.streamNameOf(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void streamNameOf_streamName_isTheName() {
    assertEquals("cam1", nameOf("{\"MaxResults\":5,\"StreamName\":\"cam1\",\"FragmentSelector\":"
        + "{\"StreamName\":\"nested\",\"TimestampRange\":{\"StartTimestamp\":1}}}"));
  }

  @Test
  void streamNameOf_arnOnly_isTheArnsStreamName() {
    assertEquals("cam2", nameOf("{\"StreamARN\":"
        + "\"arn:aws:kinesisvideo:us-east-1:000000000000:stream/cam2/1700000000000\"}"));
    assertEquals("cam3", nameOf("{\"ResourceARN\":"
        + "\"arn:aws:kinesisvideo:us-east-1:000000000000:stream/cam3/1700000000000\"}"));
  }

  @Test
  void streamNameOf_nameBeforeArn_nameWins() {
    assertEquals("byName", nameOf("{\"StreamARN\":"
        + "\"arn:aws:kinesisvideo:us-east-1:000000000000:stream/byArn/1\",\"StreamName\":\"byName\"}"));
  }

  @Test
  void streamNameOf_duplicateMember_lastOneCounts() {
    assertEquals("second", nameOf("{\"StreamName\":\"first\",\"StreamName\":\"second\"}"));
    assertNull(nameOf("{\"StreamName\":\"first\",\"StreamName\":7}"));
  }

  @Test
  void streamNameOf_nonStringName_fallsBackToArn() {
    assertEquals("cam4", nameOf("{\"StreamName\":{\"a\":1},\"StreamARN\":"
        + "\"arn:aws:kinesisvideo:us-east-1:000000000000:stream/cam4/1\"}"));
  }

  @Test
  void streamNameOf_notOneJsonObject_isNull() {
    assertNull(nameOf(""));
    assertNull(nameOf("[\"StreamName\"]"));
    assertNull(nameOf("\"StreamName\""));
    assertNull(nameOf("{\"StreamName\":\"cam1\""));
    assertNull(nameOf("{\"StreamName\":\"cam1\",\"X\":[1,2}"));
    assertNull(nameOf("not json"));
  }
}
