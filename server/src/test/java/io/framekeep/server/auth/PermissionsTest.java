package io.framekeep.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PermissionsTest {
  private static final Credential OWNER = new Credential("OWNERKEY", "ownersecret");
  @TempDir Path dir;

  private Permissions load(String json) throws IOException {
    Path file = dir.resolve("permissions.json");
    Files.writeString(file, json);
    return Permissions.load(file, OWNER);
  }

  private static final String VIEWER = """
      {"principals": [{"accessKeyId": "VIEWER", "secretAccessKey": "viewersecret",
        "allow": [{"actions": ["GetClip", "ListFragments"], "streams": ["lobby-*", "dock-4"]},
                  {"actions": ["ListStreams"]}]}]}
      """;

  @Test
  void allows_viewerGrant_matchesActionsAndStreamPatterns() throws Exception {
    Permissions p = load(VIEWER);
    assertThat(p.allows("VIEWER", "GetClip", "lobby-east")).isTrue();
    assertThat(p.allows("VIEWER", "ListFragments", "dock-4")).isTrue();
    assertThat(p.allows("VIEWER", "GetClip", "dock-44")).isFalse();
    assertThat(p.allows("VIEWER", "PutMedia", "lobby-east")).isFalse();
    assertThat(p.allows("VIEWER", "ListStreams", null)).isTrue();
    assertThat(p.allows("VIEWER", "GetClip", "a.b")).isFalse();
  }

  @Test
  void allows_owner_mayDoEverything() throws Exception {
    Permissions p = load(VIEWER);
    assertThat(p.allows("OWNERKEY", "DeleteStream", "anything")).isTrue();
  }

  @Test
  void secretKey_knowsOwnerAndPrincipalsOnly() throws Exception {
    Permissions p = load(VIEWER);
    assertThat(p.secretKey("VIEWER")).contains("viewersecret");
    assertThat(p.secretKey("OWNERKEY")).contains("ownersecret");
    assertThat(p.secretKey("NOBODY")).isEmpty();
  }

  @Test
  void load_principalWithoutSecret_isRefused() {
    assertThatThrownBy(() -> load("{\"principals\":[{\"accessKeyId\":\"X\"}]}"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void load_unknownMember_isRefused() {
    assertThatThrownBy(() -> load("{\"principal\":[]}")).isInstanceOf(IOException.class);
  }

  @Test
  void authorizer_deniedStreamAction_isNotAuthorizedAndResourceActionAccessDenied()
      throws Exception {
    Authorizer a = Authorizer.of(load(VIEWER));
    VerifiedCaller viewer = new VerifiedCaller("VIEWER", "us-east-1");
    assertThatThrownBy(() -> a.check(viewer, "PutMedia", "lobby-1"))
        .isInstanceOfSatisfying(ApiException.class,
            e -> assertThat(e.error()).isEqualTo(AwsError.NOT_AUTHORIZED));
    assertThatThrownBy(() -> a.check(viewer, "TagResource", "lobby-1"))
        .isInstanceOfSatisfying(ApiException.class,
            e -> assertThat(e.error()).isEqualTo(AwsError.ACCESS_DENIED));
    a.check(viewer, "GetClip", "lobby-1");
  }
}
