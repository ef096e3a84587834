package io.framekeep.images;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_INPUT_BUFFER_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/**
 * One FFmpeg video decoder (libavcodec through JavaCPP), single-threaded: it decodes on the thread
 * that calls it and starts no threads of its own. Packets go in decode order with a caller-chosen
 * {@code pts}; pictures come out in presentation order carrying that {@code pts}.
 *
 * <p>Native memory (codec context, packet, picture) is freed by {@link #close()}. Not thread-safe:
 * one instance per decode.
 */
final class FfmpegDecoder implements AutoCloseable {
  /**
   * {@code AVERROR(EAGAIN)} on Linux (errno 11): the decoder wants more input. The natives used
   * are the linux-x86_64 build, and JavaCPP's preset exposes no constant for it.
   */
  private static final int AVERROR_EAGAIN = -11;
  /** Size of the buffer FFmpeg's av_strerror writes its message into. */
  private static final int ERROR_TEXT_BYTES = 256;

  private static final LinkageError LOAD_FAILURE = loadNatives();

  private final AVCodecContext context;
  private final AVPacket packet;
  private final AVFrame picture;

  private FfmpegDecoder(AVCodecContext context, AVPacket packet, AVFrame picture) {
    this.context = context;
    this.packet = packet;
    this.picture = picture;
  }

  /** Loads the natives once and silences FFmpeg's own logging; null when that worked. */
  private static LinkageError loadNatives() {
    try {
      av_log_set_level(AV_LOG_QUIET);
      return null;
    } catch (LinkageError e) {
      return e;
    }
  }

  /**
   * Opens a decoder for {@code codec} with {@code codecPrivate} as its extradata.
   *
   * @throws ImageException unsupported when the natives or the decoder are missing, undecodable
   *     when the decoder refuses the codec private data
   */
  static FfmpegDecoder open(VideoCodec codec, byte[] codecPrivate) throws ImageException {
    if (LOAD_FAILURE != null) {
      throw ImageException.unsupported("FFmpeg is not available on this platform", LOAD_FAILURE);
    }
    AVCodec decoder = avcodec_find_decoder(codec == VideoCodec.H264 ? AV_CODEC_ID_H264
        : AV_CODEC_ID_HEVC);
    if (decoder == null || decoder.isNull()) {
      throw ImageException.unsupported("no " + codec + " decoder in this FFmpeg build");
    }
    AVCodecContext context = avcodec_alloc_context3(decoder);
    AVPacket packet = av_packet_alloc();
    AVFrame picture = av_frame_alloc();
    FfmpegDecoder d = new FfmpegDecoder(context, packet, picture);
    try {
      if (codecPrivate.length > 0) {
        // FFmpeg owns extradata (frees it with the context) and reads up to the padding past it.
        BytePointer extradata = new BytePointer(
            av_malloc(codecPrivate.length + AV_INPUT_BUFFER_PADDING_SIZE));
        extradata.capacity(codecPrivate.length + AV_INPUT_BUFFER_PADDING_SIZE);
        extradata.put(codecPrivate);
        extradata.position(codecPrivate.length)
            .put(new byte[AV_INPUT_BUFFER_PADDING_SIZE]).position(0);
        context.extradata(extradata);
        context.extradata_size(codecPrivate.length);
      }
      context.thread_count(1);
      int rc = avcodec_open2(context, decoder, (AVDictionary) null);
      if (rc < 0) {
        throw ImageException.undecodable("the " + codec + " decoder refused the codec private data: "
            + errorText(rc));
      }
      return d;
    } catch (ImageException | RuntimeException e) {
      d.close();
      throw e;
    }
  }

  /** Sends one coded frame; {@code pts} comes back on its picture. */
  void send(byte[] data, long pts) throws ImageException {
    int rc = av_new_packet(packet, data.length);
    if (rc < 0) {
      throw ImageException.undecodable("cannot allocate a packet: " + errorText(rc));
    }
    try {
      packet.data().capacity(data.length).put(data);
      packet.pts(pts);
      packet.dts(pts);
      rc = avcodec_send_packet(context, packet);
    } finally {
      av_packet_unref(packet);
    }
    if (rc < 0 && rc != AVERROR_EAGAIN) {
      throw ImageException.undecodable("the frame does not decode: " + errorText(rc));
    }
  }

  /** Signals the end of input, so that {@link #receive()} returns the pictures still held. */
  void flush() throws ImageException {
    int rc = avcodec_send_packet(context, null);
    if (rc < 0 && rc != AVERROR_EOF) {
      throw ImageException.undecodable("the decoder failed to drain: " + errorText(rc));
    }
  }

  /**
   * The next decoded picture, or null when the decoder needs more input or is drained. The picture
   * is valid until the next call.
   */
  AVFrame receive() throws ImageException {
    int rc = avcodec_receive_frame(context, picture);
    if (rc == AVERROR_EAGAIN || rc == AVERROR_EOF) {
      return null;
    }
    if (rc < 0) {
      throw ImageException.undecodable("the frame does not decode: " + errorText(rc));
    }
    return picture;
  }

  private static String errorText(int rc) {
    byte[] text = new byte[ERROR_TEXT_BYTES];
    av_strerror(rc, text, text.length);
    int end = 0;
    while (end < text.length && text[end] != 0) {
      end++;
    }
    return new String(text, 0, end, java.nio.charset.StandardCharsets.US_ASCII) + " (" + rc + ")";
  }

  @Override
  public void close() {
    av_frame_free(picture);
    av_packet_free(packet);
    avcodec_free_context(context);
  }
}
