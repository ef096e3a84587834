package io.framekeep.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class AckEventTest {
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void persisted_isFlatObjectWithStringNumberAndNumericTimecode() throws Exception {
    String line = AckEvent.of(AckEvent.PERSISTED, 252467, "91000000000000000000000000000000000000000000007")
        .toJsonLine();
    assertThat(line).endsWith("}\n");
    JsonNode node = mapper.readTree(line);
    assertThat(node.get("EventType").asText()).isEqualTo("PERSISTED");
    assertThat(node.get("FragmentTimecode").isNumber()).isTrue();
    assertThat(node.get("FragmentTimecode").asLong()).isEqualTo(252467);
    assertThat(node.get("FragmentNumber").isTextual()).isTrue();
    assertThat(node.has("ErrorId")).isFalse();
  }

  @Test
  void error_carriesNumericErrorIdAndName() throws Exception {
    JsonNode node = mapper.readTree(AckEvent.error(-1, null, AckErrors.INVALID_MKV_DATA).toJsonLine());
    assertThat(node.get("EventType").asText()).isEqualTo("ERROR");
    assertThat(node.get("ErrorId").asInt()).isEqualTo(4006);
    assertThat(node.get("ErrorCode").asText()).isEqualTo("INVALID_MKV_DATA");
    assertThat(node.get("FragmentNumber").asText()).isEmpty();
    assertThat(node.get("FragmentTimecode").asLong()).isEqualTo(-1);
  }

  @Test
  void idle_hasOnlyEventType() throws Exception {
    JsonNode node = mapper.readTree(AckEvent.idle().toJsonLine());
    assertThat(node.size()).isEqualTo(1);
    assertThat(node.get("EventType").asText()).isEqualTo("IDLE");
  }
}
