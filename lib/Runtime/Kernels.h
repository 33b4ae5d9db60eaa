/*===- Kernels.h - what the compute kernels of every tile shape share -----===*
 *
 * The compute kernels of generated libraries exist once per register tile
 * shape and instruction set: KernelsAVX512.c (12 x 32 floats, 24
 * accumulators of 16) and KernelsAVX2.c (6 x 16, 12 accumulators of 8),
 * each compiling Gemm.inc for its ISA. They are linked into the runtime's
 * bitcode; kilnc calls the one that fits the target CPU (kiln.microkernel
 * ops, codegen/CPU/LowerMicrokernels.cpp) and packs constant weights for
 * its tile at compile time. Everything here is static: each ISA's file
 * gets its own copy, compiled for that ISA.
 *
 *===----------------------------------------------------------------------===*/

#ifndef KILN_KERNELS_H
#define KILN_KERNELS_H

#include "Runtime.h"

#include <string.h>

/* Cache blocking: KC rows of the reduction, NC output pixels per packed
   block of the input patches (KC x NC floats fit in the scratch buffer). */
#define KILN_KC 256
#define KILN_NC 384
_Static_assert(KILN_KC * KILN_NC <= KILN_SCRATCH_FLOATS, "scratch too small");

/* The tallest kernel the channels-last convolution takes (Nhwc.inc). */
#define KILN_NHWC_MAX_KH 16

/* How the constant weights of the f32 convolution and dense kernels are
   stored (the kernels' last parameter): f32, or rounded at compile time to
   bf16 or f16, half the bytes, and widened to f32 as the kernels read them
   (codegen/CPU/Microkernels.cpp stores a layer's weights narrow when every
   value is exact in the narrow type, as after kiln-quantize-float). */
enum { KILN_W_F32 = 0, KILN_W_BF16 = 1, KILN_W_F16 = 2 };

/* The address of weight `index` in weights of type wtype. */
static inline const void *kiln_weight_at(const void *w, int64_t index, int64_t wtype) {
  return (const char *)w + index * (wtype == KILN_W_F32 ? 4 : 2);
}

/* dst[0, n) = the n weights of type wtype at src, as f32. bf16 is the top
   half of an f32; f16 converts exactly (F16C, part of every target ISA). */
static inline void kiln_widen(float *restrict dst, const void *restrict src, int64_t n,
                              int64_t wtype) {
  if (wtype == KILN_W_BF16) {
    const uint16_t *s = (const uint16_t *)src;
    for (int64_t i = 0; i < n; ++i) {
      union { uint32_t u; float f; } v = {(uint32_t)s[i] << 16};
      dst[i] = v.f;
    }
  } else if (wtype == KILN_W_F16) {
    const _Float16 *s = (const _Float16 *)src;
    for (int64_t i = 0; i < n; ++i)
      dst[i] = (float)s[i];
  } else {
    const float *s = (const float *)src;
    for (int64_t i = 0; i < n; ++i)
      dst[i] = s[i];
  }
}

/* The KILN_STAGE_FLOATS floats for widened weights that follow a thread's
   scratch buffer (Runtime.h). */
static inline float *kiln_stage(float *scratch) { return scratch + KILN_SCRATCH_FLOATS; }

/* What follows a matrix product, per output element of row m:
   v = act(v + bias[m] + residual). */
enum { KILN_ACT_NONE = 0, KILN_ACT_RELU = 1, KILN_ACT_CLIP = 2, KILN_ACT_LEAKY_RELU = 3,
       KILN_ACT_HARD_SIGMOID = 4, KILN_ACT_HARD_SWISH = 5 };

typedef struct kiln_epilogue {
  const float *bias;
  int64_t act;
  float alpha, beta; /* clip: min, max; leaky: alpha; hard_*: alpha, beta */
  /* After an activation: v = v * post_scale + post_shift when post is set
     (PaddleOCR's learnable affine after an activation). */
  int post;
  float post_scale, post_shift;
} kiln_epilogue;

/* The threads a kernel runs on: the context's, or one when its work
   (about its multiply-adds) is too small to pay for waking the pool. */
static inline int64_t kiln_threads_for(kiln_context *ctx, double work) {
  return work < 2e5 ? 1 : kiln_num_threads(ctx);
}

/* The epilogue of a convolution kernel's arguments. */
static inline kiln_epilogue kiln_make_epilogue(const float *bias, int64_t act, float alpha,
                                              float beta, float post_scale,
                                              float post_shift) {
  kiln_epilogue e = {bias, act, alpha, beta, post_scale != 1.0f || post_shift != 0.0f,
                     post_scale, post_shift};
  return e;
}

/* Pooling: the window taps of output position o along one axis (stride s,
   begin pad p, k taps at dilation d, input size `size`, end pad pe) that
   count in an average: those inside the input, or with include_pad those
   inside the padded input. */
static inline int64_t kiln_window_count(int64_t o, int64_t s, int64_t p, int64_t k,
                                        int64_t d, int64_t size, int64_t pe,
                                        int include_pad) {
  int64_t lo = include_pad ? -p : 0, hi = include_pad ? size + pe : size, count = 0;
  for (int64_t t = 0; t < k; ++t) {
    int64_t i = o * s - p + t * d;
    count += i >= lo && i < hi;
  }
  return count;
}

/* Max pooling's maximum: NaN propagates. */
static inline float kiln_max_nan(float acc, float v) { return (v > acc || v != v) ? v : acc; }

static inline float kiln_activate_only(float v, const kiln_epilogue *e) {
  switch (e->act) {
  case KILN_ACT_RELU: return v > 0 ? v : 0;
  case KILN_ACT_CLIP: return v < e->alpha ? e->alpha : v > e->beta ? e->beta : v;
  case KILN_ACT_LEAKY_RELU: return v >= 0 ? v : v * e->alpha;
  case KILN_ACT_HARD_SIGMOID: {
    float s = v * e->alpha + e->beta;
    return s < 0 ? 0 : s > 1 ? 1 : s;
  }
  case KILN_ACT_HARD_SWISH: {
    float s = v * (1.0f / 6) + 0.5f;
    return v * (s < 0 ? 0 : s > 1 ? 1 : s);
  }
  }
  return v;
}

static inline float kiln_activate(float v, const kiln_epilogue *e) {
  v = kiln_activate_only(v, e);
  return e->post ? v * e->post_scale + e->post_shift : v;
}

/* kiln_activate_only on a vector (elementwise, branch-free per element). */
#define kiln_activate_only_v(v, e)                                              \
  __extension__({                                                               \
    __typeof__(v) _v = (v);                                                     \
    __typeof__(v) _z = (__typeof__(v)){};                                       \
    switch ((e)->act) {                                                         \
    case KILN_ACT_RELU: _v = __builtin_elementwise_max(_v, _z); break;          \
    case KILN_ACT_CLIP:                                                         \
      _v = __builtin_elementwise_min(__builtin_elementwise_max(_v, _z + (e)->alpha), \
                                     _z + (e)->beta);                           \
      break;                                                                    \
    case KILN_ACT_LEAKY_RELU:                                                   \
      _v = __builtin_elementwise_max(_v, _z) +                                  \
           __builtin_elementwise_min(_v, _z) * (e)->alpha;                      \
      break;                                                                    \
    case KILN_ACT_HARD_SIGMOID:                                                 \
      _v = __builtin_elementwise_min(                                           \
          __builtin_elementwise_max(_v * (e)->alpha + (e)->beta, _z), _z + 1.0f); \
      break;                                                                    \
    case KILN_ACT_HARD_SWISH:                                                   \
      _v = _v * __builtin_elementwise_min(                                      \
                    __builtin_elementwise_max(_v * (1.0f / 6) + 0.5f, _z), _z + 1.0f); \
      break;                                                                    \
    }                                                                           \
    _v;                                                                         \
  })

/* kiln_activate on a vector: the activation, then the affine. */
#define kiln_activate_v(v, e)                                                   \
  __extension__({                                                               \
    __typeof__(v) _a = kiln_activate_only_v(v, e);                              \
    (e)->post ? _a * (e)->post_scale + (e)->post_shift : _a;                    \
  })

/* kiln_activate on every accumulator of a register tile of VF_ vectors:
   EACH_ is the tile's loop header (unrolled, so the accumulators stay on
   the registers) and ACC the accumulator it names. The kind is tested
   once per tile. */
#define kiln_activate_tile(VF_, EACH_, ACC, e)                                  \
  do {                                                                          \
    const VF_ _z = (VF_){}, _lo = _z + (e)->alpha, _hi = _z + (e)->beta;        \
    switch ((e)->act) {                                                         \
    case KILN_ACT_NONE:                                                         \
      break;                                                                    \
    case KILN_ACT_RELU:                                                         \
      EACH_ ACC = __builtin_elementwise_max(ACC, _z);                           \
      break;                                                                    \
    case KILN_ACT_CLIP:                                                         \
      EACH_ ACC = __builtin_elementwise_min(__builtin_elementwise_max(ACC, _lo), _hi); \
      break;                                                                    \
    default:                                                                    \
      EACH_ ACC = kiln_activate_only_v(ACC, e);                                 \
      break;                                                                    \
    }                                                                           \
    if ((e)->post)                                                              \
      EACH_ ACC = ACC * (e)->post_scale + (e)->post_shift;                      \
  } while (0)

/* Input lines to bring into the cache while a kernel computes: `left`
   pixels from p on, `stride` bytes apart, `lines` cache lines each,
   `per_step` pixels per kiln_prefetch_step. */
typedef struct kiln_prefetch {
  const char *p;
  int64_t left, stride, lines, per_step;
} kiln_prefetch;

static inline void kiln_prefetch_step(kiln_prefetch *pf) {
  int64_t n = pf->per_step < pf->left ? pf->per_step : pf->left;
  for (int64_t q = 0; q < n; ++q, pf->p += pf->stride)
    for (int64_t l = 0; l < pf->lines; ++l)
      __builtin_prefetch(pf->p + l * 64, 0, 3);
  pf->left -= n;
}

/* The activation over a row of n floats (one loop per kind, vectorized). */
static inline void kiln_activate_row(float *restrict v, int64_t n, const kiln_epilogue *e) {
  const float a = e->alpha, b = e->beta;
  switch (e->act) {
  case KILN_ACT_RELU:
    for (int64_t i = 0; i < n; ++i)
      v[i] = v[i] > 0 ? v[i] : 0;
    break;
  case KILN_ACT_CLIP:
    for (int64_t i = 0; i < n; ++i)
      v[i] = v[i] < a ? a : v[i] > b ? b : v[i];
    break;
  case KILN_ACT_LEAKY_RELU:
    for (int64_t i = 0; i < n; ++i)
      v[i] = v[i] >= 0 ? v[i] : v[i] * a;
    break;
  case KILN_ACT_HARD_SIGMOID:
    for (int64_t i = 0; i < n; ++i) {
      float s = v[i] * a + b;
      v[i] = s < 0 ? 0 : s > 1 ? 1 : s;
    }
    break;
  case KILN_ACT_HARD_SWISH:
    for (int64_t i = 0; i < n; ++i) {
      float s = v[i] * (1.0f / 6) + 0.5f;
      v[i] *= s < 0 ? 0 : s > 1 ? 1 : s;
    }
    break;
  }
  if (e->post)
    for (int64_t i = 0; i < n; ++i)
      v[i] = v[i] * e->post_scale + e->post_shift;
}

/* A convolution call and how it is split into tasks. c and m are the input
   and output channels of one of the g groups. */
typedef struct kiln_conv {
  const float *x, *res;
  const void *w; /* of type wtype */
  float *y;
  int64_t n, c, h, w_, m, oh, ow, kh, kw, sh, sw, dh, dw, pt, pl, g;
  /* shuffle: y's channels are shuffled (ShuffleNet's reshape, transpose,
     reshape): channel i of group k is stored at channel i * g + k. */
  int64_t shuffle;
  int64_t wtype;
  kiln_epilogue epilogue;
  int64_t tasks, pblock, mblock; /* per image and group: pixel and row blocks */
  kiln_context *ctx;
} kiln_conv;

/* Packing copies short runs: as inline loops they cost less than a
   library call each. Functions that copy so, and their callers, are
   marked KILN_INLINE_COPIES (each one before it is inlined anywhere). */
#define KILN_INLINE_COPIES __attribute__((no_builtin("memcpy", "memmove", "memset")))

/* dst[e] = row[ix0 + e * s] for e in [0, n), zero where the index leaves
   [0, w) (padding). */
KILN_INLINE_COPIES static inline void kiln_gather_row(float *restrict dst, const float *restrict row,
                                   int64_t n, int64_t ix0, int64_t s, int64_t w) {
  int64_t lo = ix0 >= 0 ? 0 : (-ix0 + s - 1) / s;     /* first e inside */
  int64_t hi = w - 1 - ix0 >= 0 ? (w - 1 - ix0) / s + 1 : 0; /* past the last */
  if (lo > n)
    lo = n;
  if (hi > n)
    hi = n;
  if (hi < lo)
    hi = lo;
  for (int64_t e = 0; e < lo; ++e)
    dst[e] = 0.0f;
  if (s == 1) {
    for (int64_t e = lo; e < hi; ++e)
      dst[e] = row[ix0 + e];
  } else {
    /* Gathers are slower than scalar loads here. */
#pragma clang loop vectorize(disable)
    for (int64_t e = lo; e < hi; ++e)
      dst[e] = row[ix0 + e * s];
  }
  for (int64_t e = hi; e < n; ++e)
    dst[e] = 0.0f;
}

/* Whether each output pixel's patch is the input pixel at the same index:
   a 1x1 window at stride 1 with no padding (padding at the end also makes
   the output larger than the input, so its pixels' indices differ). */
static inline int kiln_conv_pointwise(const kiln_conv *cv) {
  return cv->kh == 1 && cv->kw == 1 && cv->sh == 1 && cv->sw == 1 && cv->pt == 0 &&
         cv->pl == 0 && cv->oh == cv->h && cv->ow == cv->w_;
}

/* Packs the patches of pixels [p0, p0 + nc) for reduction rows [k0, k0 + kc)
   (k = (c * kh + i) * kw + j) into NR-column panels [nc/NR][kc][NR], with
   zeros for padding and for columns past nc. Pixels are taken in runs
   along an output row (and within a panel), so each run is one strided
   read of an input row. */
KILN_INLINE_COPIES static void kiln_pack_b(const kiln_conv *cv, const float *restrict x, int64_t k0,
                        int64_t kc, int64_t p0, int64_t nc, int64_t nr,
                        float *restrict out) {
  const int64_t ow = cv->ow, H = cv->h, W = cv->w_;
  const int pointwise = kiln_conv_pointwise(cv);
  for (int64_t k = 0; k < kc; ++k) {
    int64_t kk = k0 + k;
    if (pointwise) { /* the patch of a pixel is the pixel itself */
      const float *src = x + kk * H * W + p0;
      for (int64_t q = 0; q < nc; q += nr) {
        int64_t cols = nc - q < nr ? nc - q : nr;
        float *dst = out + q * kc + k * nr;
        for (int64_t t = 0; t < cols; ++t)
          dst[t] = src[q + t];
        for (int64_t t = cols; t < nr; ++t)
          dst[t] = 0.0f;
      }
      continue;
    }
    int64_t j = kk % cv->kw, i = (kk / cv->kw) % cv->kh, ch = kk / (cv->kw * cv->kh);
    const float *plane = x + ch * H * W;
    int64_t t = 0, oy = p0 / ow, ox = p0 % ow;
    while (t < nc) {
      int64_t in_panel = nr - t % nr, in_row = ow - ox, left = nc - t;
      int64_t run = in_panel < in_row ? in_panel : in_row;
      if (left < run)
        run = left;
      float *dst = out + (t / nr) * nr * kc + k * nr + t % nr;
      int64_t iy = oy * cv->sh - cv->pt + i * cv->dh;
      if (iy < 0 || iy >= H) {
        for (int64_t e = 0; e < run; ++e)
          dst[e] = 0.0f;
      } else {
        kiln_gather_row(dst, plane + iy * W, run, ox * cv->sw - cv->pl + j * cv->dw, cv->sw, W);
      }
      t += run;
      ox += run;
      if (ox == ow) {
        ox = 0;
        ++oy;
      }
    }
    if (nc % nr) { /* columns past nc in the last panel */
      float *dst = out + (nc / nr) * nr * kc + k * nr;
      for (int64_t e = nc % nr; e < nr; ++e)
        dst[e] = 0.0f;
    }
  }
}

static inline int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

/* Splits the convolution into tasks of (image, group, pixel block, row
   block). */
static void kiln_conv_plan(kiln_context *ctx, kiln_conv *cv, int64_t mr, int64_t nr) {
  const int64_t P = cv->oh * cv->ow, K = cv->c * cv->kh * cv->kw;
  const int64_t images = cv->n * cv->g; /* independent products */
  int64_t threads =
      kiln_threads_for(ctx, (double)cv->m * (double)P * (double)K * (double)images);
  int64_t np = 1, nm = 1;
  if (threads > 1 && images < 2 * threads) {
    int64_t want = ceil_div(2 * threads, images); /* some slack for balance */
    np = ceil_div(P, nr) < want ? ceil_div(P, nr) : want;
    nm = ceil_div(want, np);
    if (nm > ceil_div(cv->m, mr))
      nm = ceil_div(cv->m, mr);
  }
  cv->pblock = ceil_div(ceil_div(P, np), nr) * nr;
  cv->mblock = ceil_div(ceil_div(cv->m, nm), mr) * mr;
  /* Narrow weights are widened per reduction block for a task's rows: at
     most KILN_STAGE_FLOATS floats. */
  const int64_t staged = KILN_STAGE_FLOATS / KILN_KC / mr * mr;
  if (cv->wtype != KILN_W_F32 && cv->mblock > staged)
    cv->mblock = staged;
  cv->tasks = images * ceil_div(P, cv->pblock) * ceil_div(cv->m, cv->mblock);
}

/* fn(cv, image * g + group, m0, m1, p0, p1, scratch) */
typedef void (*kiln_conv_task_fn)(const kiln_conv *, int64_t, int64_t, int64_t,
                                  int64_t, int64_t, float *);

static inline void kiln_conv_dispatch(const kiln_conv *cv, int64_t task, int thread,
                                      kiln_conv_task_fn fn) {
  const int64_t P = cv->oh * cv->ow;
  int64_t pblocks = ceil_div(P, cv->pblock), mblocks = ceil_div(cv->m, cv->mblock);
  int64_t mb = task % mblocks, pb = (task / mblocks) % pblocks, ng = task / (mblocks * pblocks);
  int64_t m0 = mb * cv->mblock, p0 = pb * cv->pblock;
  int64_t m1 = m0 + cv->mblock < cv->m ? m0 + cv->mblock : cv->m;
  int64_t p1 = p0 + cv->pblock < P ? p0 + cv->pblock : P;
  fn(cv, ng, m0, m1, p0, p1, kiln_scratch(cv->ctx, thread));
}

#endif /* KILN_KERNELS_H */
