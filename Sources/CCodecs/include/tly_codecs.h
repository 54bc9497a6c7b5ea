#ifndef TLY_CODECS_H
#define TLY_CODECS_H
#include <stddef.h>
#include <stdint.h>

/// Page compression codecs of Parquet, through Debian's libraries: snappy (libsnappy-dev), zstd (libzstd-dev) and
/// gzip (zlib). Each decompressor writes at most `capacity` bytes and returns how many it wrote, or -1 when the input
/// is damaged or does not fit; each compressor returns the compressed size, or -1.

long tly_snappy_decompress(const uint8_t *in, size_t length, uint8_t *out, size_t capacity);
long tly_zstd_decompress(const uint8_t *in, size_t length, uint8_t *out, size_t capacity);
long tly_gzip_decompress(const uint8_t *in, size_t length, uint8_t *out, size_t capacity);
/// Raw deflate (no header), as zip archives store their members.
long tly_inflate_raw(const uint8_t *in, size_t length, uint8_t *out, size_t capacity);
/// The CRC-32 (zlib's, as zip archives record for each member) of `length` bytes.
uint32_t tly_crc32(const uint8_t *in, size_t length);

/// The largest output `tly_snappy_compress` / `tly_zstd_compress` can produce for `length` input bytes.
size_t tly_snappy_bound(size_t length);
size_t tly_zstd_bound(size_t length);
long tly_snappy_compress(const uint8_t *in, size_t length, uint8_t *out, size_t capacity);
long tly_zstd_compress(const uint8_t *in, size_t length, uint8_t *out, size_t capacity, int level);

#endif
