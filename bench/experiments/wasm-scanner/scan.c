// Prototype: strict JSON walk of transcript lines in wasm, extracting a few keys' value spans.
#include <wasm_simd128.h>
typedef unsigned char u8;
typedef unsigned int u32;
static const u8 *p, *e;
static int fail;
// value spans of interest: [slot*2] = start, [slot*2+1] = end (offsets from line start)
int spans[64];
static const u8 *line0;
static long long sum;

static inline void ws(void) { while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++; }
static int hex(u8 c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

static void str(void) { // p at opening quote; strict
  p++;
  for (;;) {
    // fast path 16 bytes at a time
    while (p + 16 <= e) {
      v128_t v = wasm_v128_load(p);
      v128_t m = wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(v, wasm_i8x16_splat('"')), wasm_i8x16_eq(v, wasm_i8x16_splat('\\'))), wasm_u8x16_lt(v, wasm_i8x16_splat(0x20)));
      u32 bits = wasm_i8x16_bitmask(m);
      if (bits) { p += __builtin_ctz(bits); break; }
      p += 16;
    }
    if (p >= e) { fail = 1; return; }
    u8 c = *p;
    if (c == '"') { p++; return; }
    if (c == '\\') {
      u8 n = p[1];
      if (n == 'u') { if (!(hex(p[2]) && hex(p[3]) && hex(p[4]) && hex(p[5]))) { fail = 1; return; } p += 6; }
      else if (n == '"' || n == '\\' || n == '/' || n == 'b' || n == 'f' || n == 'n' || n == 'r' || n == 't') p += 2;
      else { fail = 1; return; }
      continue;
    }
    if (c < 0x20) { fail = 1; return; }
    p++;
  }
}
static void loose_str(void) {
  p++;
  while (p < e) {
    while (p + 16 <= e) {
      v128_t v = wasm_v128_load(p);
      u32 bits = wasm_i8x16_bitmask(wasm_v128_or(wasm_i8x16_eq(v, wasm_i8x16_splat('"')), wasm_i8x16_eq(v, wasm_i8x16_splat('\\'))));
      if (bits) { p += __builtin_ctz(bits); break; }
      p += 16;
    }
    if (p >= e) break;
    if (*p == '\\') { p += 2; continue; }
    if (*p == '"') { p++; return; }
    p++;
  }
  fail = 1;
}
static void loose_container(void) {
  int depth = 0;
  while (p < e) {
    while (p + 16 <= e) {
      v128_t v = wasm_v128_load(p);
      v128_t m = wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(v, wasm_i8x16_splat('"')), wasm_i8x16_eq(v, wasm_i8x16_splat('{'))),
                 wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(v, wasm_i8x16_splat('}')), wasm_i8x16_eq(v, wasm_i8x16_splat('['))), wasm_i8x16_eq(v, wasm_i8x16_splat(']'))));
      u32 bits = wasm_i8x16_bitmask(m);
      if (bits) { p += __builtin_ctz(bits); break; }
      p += 16;
    }
    if (p >= e) break;
    u8 c = *p;
    if (c == '"') { loose_str(); if (fail) return; continue; }
    if (c == '[' || c == '{') depth++;
    else if (c == ']' || c == '}') { if (--depth == 0) { p++; return; } }
    p++;
  }
  fail = 1;
}
static long long num(void) {
  const u8 *s = p; long long v = 0;
  if (*p == '-') p++;
  if (p < e && *p == '0') p++; else if (p < e && *p >= '1' && *p <= '9') { while (p < e && *p >= '0' && *p <= '9') { v = v * 10 + (*p - '0'); p++; } } else { fail = 1; return 0; }
  if (p < e && *p == '.') { p++; if (!(p < e && *p >= '0' && *p <= '9')) { fail = 1; return 0; } while (p < e && *p >= '0' && *p <= '9') p++; }
  if (p < e && (*p == 'e' || *p == 'E')) { p++; if (p < e && (*p == '+' || *p == '-')) p++; if (!(p < e && *p >= '0' && *p <= '9')) { fail = 1; return 0; } while (p < e && *p >= '0' && *p <= '9') p++; }
  (void)s; return v;
}
static void value(int depth);
static inline int eq(const u8 *a, const char *b, int n) { for (int i = 0; i < n; i++) if (a[i] != (u8)b[i]) return 0; return 1; }
static void lit(const char *w, int n) { for (int k = 0; k < n; k++) if (p + k >= e || p[k] != (u8)w[k]) { fail = 1; return; } p += n; }
// key ids by name (schema): returns slot or -1; 100 = walk into (message/usage), 200 = bulk
static int keyslot(const u8 *k, int n, int depth) {
#define K(s, id) if (n == (int)sizeof(s) - 1 && eq(k, s, n)) return id;
  if (depth == 0) { K("type",0) K("message",100) K("requestId",1) K("timestamp",2) K("isSidechain",3) K("agentId",4) K("sessionId",5) K("cwd",6) K("uuid",7) K("toolUseResult",200) K("isApiErrorMessage",8) K("entrypoint",9) K("subtype",10) K("isMeta",11) }
  else if (depth == 1) { K("model",12) K("id",13) K("usage",101) K("content",200) }
  else if (depth == 2) { K("input_tokens",14) K("output_tokens",15) K("cache_read_input_tokens",16) K("cache_creation_input_tokens",17) K("service_tier",18) K("speed",19) K("inference_geo",20) }
  return -1;
#undef K
}
static void object(int depth) { // p at '{'
  p++; ws();
  if (p < e && *p == '}') { p++; return; }
  for (;;) {
    if (p >= e || *p != '"') { fail = 1; return; }
    const u8 *ks = p + 1; str(); if (fail) return; const u8 *ke = p - 1;
    ws(); if (p >= e || *p != ':') { fail = 1; return; } p++; ws();
    int slot = keyslot(ks, (int)(ke - ks), depth);
    if (slot == 200) { if (*p == '"') loose_str(); else if (*p == '[' || *p == '{') loose_container(); else value(depth + 1); }
    else if ((slot == 100 || slot == 101) && *p == '{') object(depth + 1);
    else if (slot >= 0 && slot < 32) { const u8 *vs = p; if (*p == '-' || (*p >= '0' && *p <= '9')) sum += num(); else value(depth + 1); spans[slot * 2] = (int)(vs - line0); spans[slot * 2 + 1] = (int)(p - line0); }
    else value(depth + 1);
    if (fail) return;
    ws(); if (p >= e) { fail = 1; return; }
    if (*p == '}') { p++; return; }
    if (*p != ',') { fail = 1; return; }
    p++; ws();
  }
}
static void array(int depth) {
  p++; ws(); if (p < e && *p == ']') { p++; return; }
  for (;;) { value(depth + 1); if (fail) return; ws(); if (p >= e) { fail = 1; return; } if (*p == ']') { p++; return; } if (*p != ',') { fail = 1; return; } p++; ws(); }
}
static void value(int depth) {
  if (p >= e) { fail = 1; return; }
  u8 c = *p;
  if (c == '"') str(); else if (c == '{') object(depth + 99); else if (c == '[') array(depth); else if (c == '-' || (c >= '0' && c <= '9')) num();
  else if (c == 't') lit("true", 4); else if (c == 'f') lit("false", 5); else if (c == 'n') lit("null", 4); else fail = 1;
}
// one line: returns 1 when scanned
int scan_line(int ptr, int len) {
  line0 = p = (const u8 *)ptr; e = p + len; fail = 0;
  for (int k = 0; k < 64; k++) spans[k] = -1;
  ws(); if (p >= e || *p != '{') return 0;
  object(0); if (fail) return 0; ws(); return p == e;
}
// every line of a buffer; returns lines scanned ok
int scan_all(int ptr, int len) {
  const u8 *b = (const u8 *)ptr, *end = b + len; int ok = 0;
  while (b < end) {
    const u8 *nl = b;
    while (nl + 16 <= end) { u32 bits = wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(nl), wasm_i8x16_splat('\n'))); if (bits) { nl += __builtin_ctz(bits); goto found; } nl += 16; }
    while (nl < end && *nl != '\n') nl++;
    found:
    ok += scan_line((int)b, (int)(nl - b));
    b = nl + 1;
  }
  return ok;
}
long long checksum(void) { return sum; }
int spans_ptr(void) { return (int)spans; }
extern unsigned char __heap_base;
int heap_base(void) { return (int)&__heap_base; }
void *memset(void *d, int c, unsigned long n) { u8 *q = d; while (n--) *q++ = (u8)c; return d; }
