package io.framekeep.images;

/**
 * The video codecs stills can be made from. Codec private data is the ISO/IEC 14496-15 decoder
 * configuration record of the codec ({@code avcC} for H.264, {@code hvcC} for H.265), and frames
 * are length-prefixed NAL units with the length size that record declares.
 */
public enum VideoCodec {
  H264,
  H265
}
