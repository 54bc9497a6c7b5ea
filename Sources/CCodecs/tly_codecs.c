#include "tly_codecs.h"
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

long tly_snappy_decompress(const uint8_t *in, size_t length, uint8_t *out, size_t capacity) {
    size_t size = 0;
    if (snappy_uncompressed_length((const char *)in, length, &size) != SNAPPY_OK || size > capacity) return -1;
    if (snappy_uncompress((const char *)in, length, (char *)out, &size) != SNAPPY_OK) return -1;
    return (long)size;
}

long tly_zstd_decompress(const uint8_t *in, size_t length, uint8_t *out, size_t capacity) {
    size_t size = ZSTD_decompress(out, capacity, in, length);
    return ZSTD_isError(size) ? -1 : (long)size;
}

static long inflate_with(int window_bits, const uint8_t *in, size_t length, uint8_t *out, size_t capacity) {
    z_stream s = {0};
    if (length > UINT32_MAX || capacity > UINT32_MAX) return -1;
    if (inflateInit2(&s, window_bits) != Z_OK) return -1;
    s.next_in = (Bytef *)in;
    s.avail_in = (uInt)length;
    s.next_out = out;
    s.avail_out = (uInt)capacity;
    int status = inflate(&s, Z_FINISH);
    long written = (long)s.total_out;
    inflateEnd(&s);
    return status == Z_STREAM_END ? written : -1;
}

// 15 + 32: a zlib or gzip header, detected.
long tly_gzip_decompress(const uint8_t *in, size_t length, uint8_t *out, size_t capacity) { return inflate_with(15 + 32, in, length, out, capacity); }

long tly_inflate_raw(const uint8_t *in, size_t length, uint8_t *out, size_t capacity) { return inflate_with(-15, in, length, out, capacity); }

size_t tly_snappy_bound(size_t length) { return snappy_max_compressed_length(length); }

size_t tly_zstd_bound(size_t length) { return ZSTD_compressBound(length); }

long tly_snappy_compress(const uint8_t *in, size_t length, uint8_t *out, size_t capacity) {
    size_t size = capacity;
    if (snappy_compress((const char *)in, length, (char *)out, &size) != SNAPPY_OK) return -1;
    return (long)size;
}

long tly_zstd_compress(const uint8_t *in, size_t length, uint8_t *out, size_t capacity, int level) {
    size_t size = ZSTD_compress(out, capacity, in, length, level);
    return ZSTD_isError(size) ? -1 : (long)size;
}

uint32_t tly_crc32(const uint8_t *in, size_t length) {
    uLong crc = crc32(0L, Z_NULL, 0);
    while (length > 0) {
        uInt chunk = length > 0x40000000u ? 0x40000000u : (uInt)length;
        crc = crc32(crc, in, chunk);
        in += chunk;
        length -= chunk;
    }
    return (uint32_t)crc;
}
