// Generic helpers for the tsfpga Verilator harness (sim/harness/harness.cpp.tmpl):
// a seeded splitmix64/xoshiro256** PRNG, hex <-> 32-bit word-array conversion for
// any bit width, and overloads that copy word arrays into and out of Verilator port
// storage of every size class (CData/SData/IData/QData up to 64 bits, VlWide above).
// Independent of the design under test; copied verbatim next to the generated harness.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include "verilated.h"

namespace tb {

// ---- PRNG -----------------------------------------------------------------
struct Rng {
    uint64_t s[4];
    explicit Rng(uint64_t seed) {
        for (auto& w : s) {  // splitmix64 expansion of the seed
            seed += 0x9E3779B97F4A7C15ull;
            uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
            w = z ^ (z >> 31);
        }
    }
    static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    inline uint64_t next() {  // xoshiro256**
        const uint64_t r = rotl(s[1] * 5, 7) * 9;
        const uint64_t t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = rotl(s[3], 45);
        return r;
    }
};

// Probability p in [0,1] as a 32-bit threshold: event happens when (rng>>32) < thr.
inline uint64_t prob_threshold(double p) {
    if (p <= 0) return 0;
    if (p >= 1) return 1ull << 32;
    return static_cast<uint64_t>(p * 4294967296.0);
}
inline bool chance(Rng& r, uint64_t thr) { return (r.next() >> 32) < thr; }

// ---- hex <-> words (little-endian 32-bit words) ---------------------------
inline int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Parses hex text [b, e) (optional 0x prefix, '_' separators) into `words` of a
// `width`-bit value. Returns an error message, or empty on success.
inline std::string parse_hex(const char* b, const char* e, int width, uint32_t* words) {
    const int nw = (width + 31) / 32;
    std::memset(words, 0, sizeof(uint32_t) * nw);
    if (e - b >= 2 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X')) b += 2;
    if (b == e) return "empty hex value";
    int bit = 0;
    for (const char* p = e; p != b;) {
        const char c = *--p;
        if (c == '_') continue;
        const int v = hexval(c);
        if (v < 0) return std::string("bad hex digit '") + c + "'";
        for (int k = 0; k < 4; ++k, ++bit) {
            if (!((v >> k) & 1)) continue;
            if (bit >= width) return "value does not fit in " + std::to_string(width) + " bits";
            words[bit / 32] |= 1u << (bit % 32);
        }
    }
    return "";
}

// Writes `width` bits of `words` as fixed-width lowercase hex (ceil(width/4) digits).
inline char* format_hex(const uint32_t* words, int width, char* out) {
    static const char digits[] = "0123456789abcdef";
    for (int i = (width + 3) / 4 - 1; i >= 0; --i) *out++ = digits[(words[i / 8] >> (4 * (i % 8))) & 0xF];
    *out = '\0';
    return out;
}

// Writes a signed decimal integer (no terminator); returns the end pointer.
inline char* format_dec(int64_t v, char* out) {
    if (v < 0) {
        *out++ = '-';
        v = -v;
    }
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) *out++ = tmp[--n];
    return out;
}

// ---- Verilator port storage <-> words -------------------------------------
inline void put(CData& p, const uint32_t* w) { p = static_cast<CData>(w[0]); }
inline void put(SData& p, const uint32_t* w) { p = static_cast<SData>(w[0]); }
inline void put(IData& p, const uint32_t* w) { p = w[0]; }
inline void put(QData& p, const uint32_t* w) { p = static_cast<QData>(w[0]) | (static_cast<QData>(w[1]) << 32); }
template <std::size_t N>
inline void put(VlWide<N>& p, const uint32_t* w) {
    for (std::size_t i = 0; i < N; ++i) p[i] = w[i];
}

inline void get(CData p, uint32_t* w) { w[0] = p; }
inline void get(SData p, uint32_t* w) { w[0] = p; }
inline void get(IData p, uint32_t* w) { w[0] = p; }
inline void get(QData p, uint32_t* w) {
    w[0] = static_cast<uint32_t>(p);
    w[1] = static_cast<uint32_t>(p >> 32);
}
template <std::size_t N>
inline void get(const VlWide<N>& p, uint32_t* w) {
    for (std::size_t i = 0; i < N; ++i) w[i] = p[i];
}

}  // namespace tb
