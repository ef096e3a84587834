package io.framekeep.server.auth;

import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;

/** Decides whether a verified caller may perform an action on a stream. Thread-safe. */
public interface Authorizer {
  /**
   * @throws ApiException NotAuthorizedException (AccessDeniedException for the *Resource
   *     operations) when the caller may not
   */
  void check(VerifiedCaller caller, String action, String streamName);

  static Authorizer allowAll() {
    return (caller, action, streamName) -> {};
  }

  static Authorizer of(Permissions permissions) {
    return (caller, action, streamName) -> {
      if (permissions.allows(caller.accessKeyId(), action, streamName)) {
        return;
      }
      AwsError error = action.endsWith("Resource") ? AwsError.ACCESS_DENIED
          : AwsError.NOT_AUTHORIZED;
      throw ApiException.of(error, "User " + caller.accessKeyId()
          + " is not authorized to perform kinesisvideo:" + action
          + (streamName == null ? "" : " on stream " + streamName) + ".");
    };
  }
}
