package io.framekeep.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the header and each known-size Cluster of an MKV file lie, found by reading element heads only
 * (a 1.9 GB file is never loaded). A Cluster's range is exactly what PutMedia stores as one fragment.
 */
record MkvClusters(Path file, long headerBytes, long[] offsets, long[] lengths) {
  private static final long ID_SEGMENT = 0x18538067L;
  private static final long ID_CLUSTER = 0x1F43B675L;

  static MkvClusters scan(Path file) throws IOException {
    List<long[]> clusters = new ArrayList<>();
    long headerEnd = -1;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long pos = 0;
      long size = ch.size();
      ByteBuffer head = ByteBuffer.allocate(16);
      while (pos < size) {
        head.clear();
        ch.read(head, pos);
        int idLen = Integer.numberOfLeadingZeros(head.get(0) & 0xFF) - 23;
        long id = 0;
        for (int i = 0; i < idLen; i++) {
          id = (id << 8) | (head.get(i) & 0xFF);
        }
        int first = head.get(idLen) & 0xFF;
        int sizeLen = Integer.numberOfLeadingZeros(first) - 23;
        long dataSize = first & (0xFF >> sizeLen);
        boolean unknown = dataSize == (0xFF >> sizeLen);
        for (int i = 1; i < sizeLen; i++) {
          int b = head.get(idLen + i) & 0xFF;
          unknown &= b == 0xFF;
          dataSize = (dataSize << 8) | b;
        }
        long dataStart = pos + idLen + sizeLen;
        if (id == ID_SEGMENT) {
          pos = dataStart;
          continue;
        }
        if (unknown) {
          throw new IOException("unknown-size element at " + pos);
        }
        if (id == ID_CLUSTER) {
          if (headerEnd < 0) {
            headerEnd = pos;
          }
          clusters.add(new long[] {pos, dataStart + dataSize - pos});
        }
        pos = dataStart + dataSize;
      }
    }
    long[] offsets = clusters.stream().mapToLong(c -> c[0]).toArray();
    long[] lengths = clusters.stream().mapToLong(c -> c[1]).toArray();
    return new MkvClusters(file, headerEnd, offsets, lengths);
  }

  int count() {
    return offsets.length;
  }

  long clusterBytes() {
    long total = 0;
    for (long l : lengths) {
      total += l;
    }
    return total;
  }
}
