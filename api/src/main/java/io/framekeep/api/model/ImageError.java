package io.framekeep.api.model;

/** Why a GetImages entry has no {@code ImageContent}; constant names are the wire values. */
public enum ImageError {
    /** No fragment holds media at the entry's timestamp. */
    NO_MEDIA,
    /** Media exists but no image could be made from it (not video, or it does not decode). */
    MEDIA_ERROR
}
