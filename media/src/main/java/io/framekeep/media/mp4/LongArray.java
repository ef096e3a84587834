package io.framekeep.media.mp4;

import java.util.Arrays;

/** A growable array of primitive longs (one per sample or chunk, never per byte). Not thread-safe. */
final class LongArray {
  private long[] values;
  private int size;

  LongArray() {
    this(16);
  }

  LongArray(int initialCapacity) {
    values = new long[Math.max(1, initialCapacity)];
  }

  void add(long value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  long get(int i) {
    if (i >= size) {
      throw new IndexOutOfBoundsException(i + " >= " + size);
    }
    return values[i];
  }

  void set(int i, long value) {
    if (i >= size) {
      throw new IndexOutOfBoundsException(i + " >= " + size);
    }
    values[i] = value;
  }

  int size() {
    return size;
  }

  long[] toArray() {
    return Arrays.copyOf(values, size);
  }
}
