/*===- Runtime.c - the fixed part of every Kiln-generated library ---------===*
 *
 * Compiled to LLVM bitcode when Kiln is built and linked into each
 * generated library, whose generated part (codegen/Library/ModelGlue.cpp)
 * supplies a `kiln_model_impl` and exports thin NAME_* functions that call
 * these. Everything here has hidden visibility. It depends on libc only and
 * keeps no global mutable state: all state lives in contexts.
 *
 *===----------------------------------------------------------------------===*/

#define _GNU_SOURCE /* dladdr, O_CLOEXEC */

#include "Runtime.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The generated part of a model. The layout must match ModelGlue.cpp. */
typedef struct kiln_model_impl {
  kiln_model model;
  /* Runs the model on buffers (inputs, then outputs, then the weights
     base); kernels get the context for its threads and scratch buffers. */
  void (*invoke)(void *const *buffers, kiln_context *context);
  /* Embedded weights (NULL with --weights=external). */
  const unsigned char *weights;
  uint64_t weights_size;
  /* Identifies the weights an external file must hold. */
  uint64_t weights_hash;
  /* Default file name of external weights, beside the library. */
  const char *weights_file;
  /* Bytes of the arena of the model's temporaries (0: none). */
  int64_t arena_bytes;
} kiln_model_impl;

/* The header of an external weights file; the data follows at offset 64. */
#define KILN_WEIGHTS_MAGIC "KILNWGT1"
#define KILN_WEIGHTS_HEADER 64

/* The context's worker threads. A parallel loop publishes a job (fn, arg,
   count) and then a new `generation`; workers and the caller take tasks
   from `next` until none is left, and each worker decrements `busy` when
   it is out of tasks. Between jobs a worker spins on `generation` for a
   while (KILN_SPIN polls) and then sleeps on `wake`; the caller likewise
   spins on `busy` before sleeping on `done`. Spinning keeps the hand-off
   between consecutive small ops at well under a microsecond. */
#define KILN_SPIN 20000
typedef struct kiln_pool {
  pthread_t *threads; /* num_threads - 1 workers */
  int workers;
  pthread_mutex_t lock;
  pthread_cond_t wake, done;
  _Atomic uint64_t generation;
  _Atomic int busy; /* workers still in the current job */
  _Atomic int stop;
  kiln_task_fn fn;
  void *arg;
  int64_t count;
  _Atomic int64_t next;
} kiln_pool;

static inline void kiln_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

struct kiln_context {
  const kiln_model_impl *impl;
  const unsigned char *weights;
  void *mapping;
  size_t mapping_size;
  void **buffers; /* inputs, outputs, weights base */
  int num_threads;
  float *scratch; /* num_threads * (KILN_SCRATCH_FLOATS + KILN_STAGE_FLOATS) */
  void *arena;    /* the model's temporaries (kiln-plan-memory) */
  int64_t arena_bytes;
  kiln_pool pool;
  char error[512];
};

static void run_tasks(kiln_pool *pool, int thread) {
  for (;;) {
    int64_t t = atomic_fetch_add_explicit(&pool->next, 1, memory_order_relaxed);
    if (t >= pool->count)
      return;
    pool->fn(pool->arg, t, thread);
  }
}

typedef struct worker_start {
  kiln_pool *pool;
  int thread;
} worker_start;

static void *worker_main(void *p) {
  kiln_pool *pool = ((worker_start *)p)->pool;
  int thread = ((worker_start *)p)->thread;
  free(p);
  uint64_t seen = 0;
  for (;;) {
    /* Wait for a new job: spin, then sleep. */
    int spins = 0;
    while (atomic_load_explicit(&pool->generation, memory_order_acquire) == seen &&
           !atomic_load_explicit(&pool->stop, memory_order_acquire) && spins < KILN_SPIN) {
      kiln_pause();
      ++spins;
    }
    if (spins == KILN_SPIN) {
      pthread_mutex_lock(&pool->lock);
      while (atomic_load_explicit(&pool->generation, memory_order_acquire) == seen &&
             !atomic_load_explicit(&pool->stop, memory_order_acquire))
        pthread_cond_wait(&pool->wake, &pool->lock);
      pthread_mutex_unlock(&pool->lock);
    }
    if (atomic_load_explicit(&pool->stop, memory_order_acquire))
      break;
    seen = atomic_load_explicit(&pool->generation, memory_order_acquire);
    run_tasks(pool, thread);
    if (atomic_fetch_sub_explicit(&pool->busy, 1, memory_order_acq_rel) == 1) {
      pthread_mutex_lock(&pool->lock);
      pthread_cond_signal(&pool->done);
      pthread_mutex_unlock(&pool->lock);
    }
  }
  return NULL;
}

__attribute__((visibility("hidden"))) void
kiln_parallel_for(kiln_context *ctx, int64_t count, kiln_task_fn fn, void *arg) {
  kiln_pool *pool = &ctx->pool;
  if (pool->workers == 0 || count <= 1) {
    for (int64_t t = 0; t < count; ++t)
      fn(arg, t, 0);
    return;
  }
  pool->fn = fn;
  pool->arg = arg;
  pool->count = count;
  atomic_store_explicit(&pool->next, 0, memory_order_relaxed);
  atomic_store_explicit(&pool->busy, pool->workers, memory_order_relaxed);
  atomic_fetch_add_explicit(&pool->generation, 1, memory_order_release);
  /* Sleeping workers check the generation under the lock. */
  pthread_mutex_lock(&pool->lock);
  pthread_cond_broadcast(&pool->wake);
  pthread_mutex_unlock(&pool->lock);
  run_tasks(pool, 0);
  for (int spins = 0; spins < KILN_SPIN; ++spins) {
    if (atomic_load_explicit(&pool->busy, memory_order_acquire) == 0)
      return;
    kiln_pause();
  }
  pthread_mutex_lock(&pool->lock);
  while (atomic_load_explicit(&pool->busy, memory_order_acquire) > 0)
    pthread_cond_wait(&pool->done, &pool->lock);
  pthread_mutex_unlock(&pool->lock);
}

__attribute__((visibility("hidden"))) int kiln_num_threads(const kiln_context *ctx) {
  return ctx->num_threads;
}

/* The arena of the model's temporary buffers, allocated when the context
   is created; generated code asks for it at the start of each run
   (codegen/CPU/PlanMemory.cpp). Runs of one context never overlap, so the
   arena is theirs alone. */
__attribute__((visibility("hidden"))) void *kiln_arena(kiln_context *ctx) {
  return ctx->arena;
}

__attribute__((visibility("hidden"))) float *kiln_scratch(kiln_context *ctx, int thread) {
  return ctx->scratch + (size_t)thread * (KILN_SCRATCH_FLOATS + KILN_STAGE_FLOATS);
}

static void stop_pool(kiln_pool *pool) {
  if (!pool->threads)
    return;
  pthread_mutex_lock(&pool->lock);
  atomic_store_explicit(&pool->stop, 1, memory_order_release);
  pthread_cond_broadcast(&pool->wake);
  pthread_mutex_unlock(&pool->lock);
  for (int i = 0; i < pool->workers; ++i)
    pthread_join(pool->threads[i], NULL);
  free(pool->threads);
  pool->threads = NULL;
  pool->workers = 0;
}

/* Starts num_threads - 1 workers; 0 on failure (none left running). */
static int start_pool(kiln_context *ctx, int num_threads) {
  kiln_pool *pool = &ctx->pool;
  pthread_mutex_init(&pool->lock, NULL);
  pthread_cond_init(&pool->wake, NULL);
  pthread_cond_init(&pool->done, NULL);
  ctx->num_threads = num_threads;
  ctx->scratch = (float *)aligned_alloc(
      64, (size_t)num_threads * (KILN_SCRATCH_FLOATS + KILN_STAGE_FLOATS) * sizeof(float));
  if (!ctx->scratch)
    return 0;
  if (num_threads == 1)
    return 1;
  pool->threads = (pthread_t *)calloc((size_t)num_threads - 1, sizeof(pthread_t));
  if (!pool->threads)
    return 0;
  for (int i = 1; i < num_threads; ++i) {
    worker_start *start = (worker_start *)malloc(sizeof(worker_start));
    if (!start || (start->pool = pool, start->thread = i,
                   pthread_create(&pool->threads[i - 1], NULL, worker_main, start) != 0)) {
      free(start);
      stop_pool(pool);
      return 0;
    }
    pool->workers = i;
  }
  return 1;
}

static void free_context(kiln_context *context) {
  stop_pool(&context->pool);
  pthread_mutex_destroy(&context->pool.lock);
  pthread_cond_destroy(&context->pool.wake);
  pthread_cond_destroy(&context->pool.done);
  free(context->scratch);
  free(context->arena);
  if (context->mapping)
    munmap(context->mapping, context->mapping_size);
  free(context->buffers);
  free(context);
}

__attribute__((format(printf, 3, 4))) static kiln_status
fail(char *buffer, size_t size, const char *format, ...) {
  if (buffer && size > 0) {
    va_list args;
    va_start(args, format);
    vsnprintf(buffer, size, format, args);
    va_end(args);
  }
  return KILN_ERROR_INVALID_ARGUMENT;
}

static const char *dtype_name(kiln_dtype dtype) {
  switch (dtype) {
  case KILN_FLOAT32: return "float32";
  case KILN_UINT8: return "uint8";
  case KILN_INT8: return "int8";
  case KILN_UINT16: return "uint16";
  case KILN_INT16: return "int16";
  case KILN_INT32: return "int32";
  case KILN_INT64: return "int64";
  case KILN_BOOL: return "bool";
  case KILN_FLOAT16: return "float16";
  case KILN_FLOAT64: return "float64";
  case KILN_UINT32: return "uint32";
  case KILN_UINT64: return "uint64";
  case KILN_BFLOAT16: return "bfloat16";
  }
  return "?";
}

/* Writes "float32[1,3,224,224]" into `out`. */
static void describe(const kiln_tensor_info *info, char *out, size_t size) {
  int n = snprintf(out, size, "%s[", dtype_name(info->dtype));
  for (int32_t d = 0; d < info->rank && n > 0 && (size_t)n < size; ++d)
    n += snprintf(out + n, size - (size_t)n, d ? ",%lld" : "%lld",
                  (long long)info->shape[d]);
  if (n > 0 && (size_t)n < size)
    snprintf(out + n, size - (size_t)n, "]");
}

/* Maps the external weights file and checks it belongs to this model. */
static kiln_status map_weights(kiln_context *context, const char *path,
                               char *error, size_t error_size) {
  const kiln_model_impl *impl = context->impl;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fail(error, error_size, "cannot open the weights file '%s'", path),
           KILN_ERROR_IO;
  struct stat st;
  if (fstat(fd, &st) != 0 ||
      (uint64_t)st.st_size != KILN_WEIGHTS_HEADER + impl->weights_size) {
    close(fd);
    return fail(error, error_size,
                "the weights file '%s' has %lld bytes, this library needs %llu",
                path, (long long)st.st_size,
                (unsigned long long)(KILN_WEIGHTS_HEADER + impl->weights_size)),
           KILN_ERROR_IO;
  }
  void *mapping = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (mapping == MAP_FAILED)
    return fail(error, error_size, "cannot map the weights file '%s'", path),
           KILN_ERROR_IO;
  const unsigned char *header = (const unsigned char *)mapping;
  uint64_t hash;
  memcpy(&hash, header + 8, sizeof hash);
  if (memcmp(header, KILN_WEIGHTS_MAGIC, 8) != 0 || hash != impl->weights_hash) {
    munmap(mapping, (size_t)st.st_size);
    return fail(error, error_size,
                "the weights file '%s' does not belong to this library", path),
           KILN_ERROR_IO;
  }
  context->mapping = mapping;
  context->mapping_size = (size_t)st.st_size;
  context->weights = header + KILN_WEIGHTS_HEADER;
  return KILN_OK;
}

/* The default weights path: `weights_file` in the library's directory. */
static int default_weights_path(const kiln_model_impl *impl, char *path,
                                size_t size);

__attribute__((visibility("hidden"))) kiln_status
kiln_rt_create(const kiln_model_impl *impl, const kiln_options *options,
               kiln_context **out) {
  char *error = NULL;
  size_t error_size = 0;
  if (options) {
    if (options->struct_size < sizeof(uint32_t) ||
        options->struct_size > sizeof(kiln_options))
      return KILN_ERROR_INVALID_ARGUMENT;
    if (options->struct_size >= offsetof(kiln_options, error_buffer_size) +
                                    sizeof(size_t)) {
      error = options->error_buffer;
      error_size = options->error_buffer_size;
    }
    if (options->struct_size >= offsetof(kiln_options, num_threads) + sizeof(int32_t) &&
        options->num_threads < 0)
      return fail(error, error_size, "num_threads must be >= 0");
  }
  if (!out)
    return fail(error, error_size, "the context pointer is NULL");
  *out = NULL;
  kiln_context *context = (kiln_context *)calloc(1, sizeof(kiln_context));
  size_t count = impl->model.num_inputs + impl->model.num_outputs + 1;
  void **buffers = context ? (void **)calloc(count, sizeof(void *)) : NULL;
  if (!context || !buffers) {
    free(context);
    fail(error, error_size, "out of memory");
    return KILN_ERROR_OUT_OF_MEMORY;
  }
  context->impl = impl;
  context->buffers = buffers;
  int threads = 0;
  if (options && options->struct_size >= offsetof(kiln_options, num_threads) + sizeof(int32_t))
    threads = options->num_threads;
  if (threads == 0) { /* the default: one per online CPU, at most 64 */
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    threads = cpus < 1 ? 1 : cpus > 64 ? 64 : (int)cpus;
  }
  if (threads > 1024)
    threads = 1024;
  if (!start_pool(context, threads)) {
    free_context(context);
    fail(error, error_size, "cannot start %d threads", threads);
    return KILN_ERROR_OUT_OF_MEMORY;
  }
  if (impl->arena_bytes > 0) {
    context->arena = aligned_alloc(64, (size_t)(impl->arena_bytes + 63) / 64 * 64);
    if (!context->arena) {
      free_context(context);
      fail(error, error_size, "cannot allocate %lld bytes for the model's temporaries",
           (long long)impl->arena_bytes);
      return KILN_ERROR_OUT_OF_MEMORY;
    }
    context->arena_bytes = impl->arena_bytes;
  }
  if (impl->weights) {
    context->weights = impl->weights;
  } else if (impl->weights_size > 0) {
    const char *path = NULL;
    char fallback[4096];
    if (options && options->struct_size >= offsetof(kiln_options, weights_path) +
                                               sizeof(const char *))
      path = options->weights_path;
    if (!path) {
      if (!default_weights_path(impl, fallback, sizeof fallback)) {
        free_context(context);
        return fail(error, error_size, "cannot locate the library to find '%s'",
                    impl->weights_file),
               KILN_ERROR_IO;
      }
      path = fallback;
    }
    kiln_status status = map_weights(context, path, error, error_size);
    if (status != KILN_OK) {
      free_context(context);
      return status;
    }
  }
  *out = context;
  return KILN_OK;
}

__attribute__((visibility("hidden"))) void kiln_rt_destroy(kiln_context *context) {
  if (context)
    free_context(context);
}

static kiln_status check_buffers(kiln_context *context, const char *kind,
                                 const kiln_tensor_info *infos, size_t count,
                                 const void *const *buffers,
                                 const size_t *sizes) {
  if (count == 0)
    return KILN_OK;
  if (!buffers || !sizes)
    return fail(context->error, sizeof context->error,
                "the %s array or its sizes array is NULL", kind);
  for (size_t i = 0; i < count; ++i) {
    if (!buffers[i] && infos[i].size_bytes != 0)
      return fail(context->error, sizeof context->error,
                  "%s %zu ('%s') is NULL", kind, i, infos[i].name);
    if (sizes[i] != infos[i].size_bytes) {
      char type[160];
      describe(&infos[i], type, sizeof type);
      return fail(context->error, sizeof context->error,
                  "%s %zu ('%s') has %zu bytes, expected %zu for %s", kind, i,
                  infos[i].name, sizes[i], infos[i].size_bytes, type);
    }
  }
  return KILN_OK;
}

__attribute__((visibility("hidden"))) kiln_status
kiln_rt_run(kiln_context *context, const void *const *inputs,
            const size_t *input_sizes, void *const *outputs,
            const size_t *output_sizes) {
  if (!context)
    return KILN_ERROR_INVALID_ARGUMENT;
  const kiln_model *model = &context->impl->model;
  context->error[0] = '\0';
  kiln_status status = check_buffers(context, "input", model->inputs,
                                     model->num_inputs, inputs, input_sizes);
  if (status == KILN_OK)
    status = check_buffers(context, "output", model->outputs,
                           model->num_outputs, (const void *const *)outputs,
                           output_sizes);
  if (status != KILN_OK)
    return status;
  void **buffers = context->buffers;
  size_t n = 0;
  for (size_t i = 0; i < model->num_inputs; ++i)
    buffers[n++] = (void *)inputs[i];
  for (size_t i = 0; i < model->num_outputs; ++i)
    buffers[n++] = outputs[i];
  buffers[n] = (void *)context->weights;
  context->impl->invoke(buffers, context);
  return KILN_OK;
}

__attribute__((visibility("hidden"))) const char *
kiln_rt_error_message(const kiln_context *context) {
  return context ? context->error : "no context";
}

static int default_weights_path(const kiln_model_impl *impl, char *path,
                                size_t size) {
  Dl_info info;
  if (!dladdr((const void *)impl, &info) || !info.dli_fname)
    return 0;
  const char *slash = strrchr(info.dli_fname, '/');
  size_t dir = slash ? (size_t)(slash - info.dli_fname) + 1 : 0;
  int n = snprintf(path, size, "%.*s%s", (int)dir, info.dli_fname,
                   impl->weights_file);
  return n > 0 && (size_t)n < size;
}

/* A strided memref as MLIR's LLVM lowering lays it out, ranked or not. */
typedef struct kiln_strided {
  char *allocated;
  char *aligned;
  int64_t offset;
  int64_t sizes_and_strides[]; /* sizes[rank], then strides[rank] */
} kiln_strided;

typedef struct kiln_unranked {
  int64_t rank;
  kiln_strided *descriptor;
} kiln_unranked;

/* Copies between memrefs of any layout; generated code calls it for
   memref.copy on non-contiguous views (MLIR's name and signature). */
__attribute__((visibility("hidden"))) void
memrefCopy(int64_t element_size, const kiln_unranked *source,
           const kiln_unranked *target) {
  int64_t rank = source->rank;
  const kiln_strided *s = source->descriptor, *t = target->descriptor;
  const int64_t *sizes = s->sizes_and_strides;
  const int64_t *s_strides = s->sizes_and_strides + rank;
  const int64_t *t_strides = t->sizes_and_strides + rank;
  char *from = s->aligned + s->offset * element_size;
  char *to = t->aligned + t->offset * element_size;
  int64_t count = 1;
  for (int64_t d = 0; d < rank; ++d)
    count *= sizes[d];
  if (count == 0)
    return;
  /* Both row-major and contiguous: one memcpy. */
  int contiguous = 1;
  for (int64_t d = rank - 1, expected = 1; d >= 0; expected *= sizes[d], --d)
    if (sizes[d] != 1 && (s_strides[d] != expected || t_strides[d] != expected))
      contiguous = 0;
  if (contiguous) {
    memmove(to, from, (size_t)(count * element_size));
    return;
  }
  /* Runs along the innermost dimension: one memcpy each when both sides are
     contiguous there, an element loop otherwise; the outer dimensions are
     walked with an odometer. */
  int64_t inner = rank > 0 ? sizes[rank - 1] : 1;
  int64_t s_inner = rank > 0 ? s_strides[rank - 1] : 1;
  int64_t t_inner = rank > 0 ? t_strides[rank - 1] : 1;
  int64_t outer_rank = rank > 0 ? rank - 1 : 0;
  int64_t index[rank > 0 ? rank : 1];
  memset(index, 0, sizeof index);
  for (int64_t n = 0; n < count; n += inner) {
    int64_t src = 0, dst = 0;
    for (int64_t d = 0; d < outer_rank; ++d) {
      src += index[d] * s_strides[d];
      dst += index[d] * t_strides[d];
    }
    char *o = to + dst * element_size;
    const char *i = from + src * element_size;
    if (s_inner == 1 && t_inner == 1) {
      memmove(o, i, (size_t)(inner * element_size));
    } else if (element_size == 4) {
      for (int64_t e = 0; e < inner; ++e)
        memcpy(o + e * t_inner * 4, i + e * s_inner * 4, 4);
    } else {
      for (int64_t e = 0; e < inner; ++e)
        memcpy(o + e * t_inner * element_size, i + e * s_inner * element_size,
               (size_t)element_size);
    }
    for (int64_t d = outer_rank - 1; d >= 0; --d) {
      if (++index[d] < sizes[d])
        break;
      index[d] = 0;
    }
  }
}

/* Conversions to and from 16-bit floats that LLVM calls when the target
   CPU has no instruction for them (compiler-rt's names and signatures).
   Rounding is to nearest, ties to even, directly from the source value. */

/* The bits of `x` rounded to a float format with `exp_bits` exponent and
   `man_bits` mantissa bits (half: 5, 10; bfloat16: 8, 7). */
static uint32_t narrow_float(double x, int exp_bits, int man_bits) {
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  uint32_t sign = (uint32_t)(bits >> 63) << (exp_bits + man_bits);
  uint32_t exp_max = (1u << exp_bits) - 1;
  int64_t bias = exp_max >> 1;
  int64_t e = (int64_t)((bits >> 52) & 0x7ff);
  uint64_t m = bits & ((1ull << 52) - 1);
  if (e == 0x7ff) /* infinity, or NaN kept quiet */
    return sign | (exp_max << man_bits) |
           (m ? (1u << (man_bits - 1)) | (uint32_t)(m >> (52 - man_bits)) : 0);
  if (e == 0 && m == 0)
    return sign;
  uint64_t significand = e ? (m | (1ull << 52)) : m;
  int64_t target_exp = (e ? e : 1) - 1023 + bias;
  int64_t shift = 52 - man_bits + (target_exp >= 1 ? 0 : 1 - target_exp);
  if (shift >= 64)
    return sign;
  uint64_t kept = significand >> shift;
  uint64_t rest = significand & ((1ull << shift) - 1), half = 1ull << (shift - 1);
  if (rest > half || (rest == half && (kept & 1)))
    ++kept;
  if (target_exp < 1) /* subnormal; rounding up may reach the smallest normal */
    return sign | (uint32_t)kept;
  if (kept >> (man_bits + 1)) {
    kept >>= 1;
    ++target_exp;
  }
  if (target_exp >= (int64_t)exp_max)
    return sign | (exp_max << man_bits);
  return sign | ((uint32_t)target_exp << man_bits) |
         ((uint32_t)kept & ((1u << man_bits) - 1));
}

static _Float16 half_from_bits(uint32_t bits) {
  uint16_t b = (uint16_t)bits;
  _Float16 h;
  memcpy(&h, &b, sizeof h);
  return h;
}

static __bf16 bfloat_from_bits(uint32_t bits) {
  uint16_t b = (uint16_t)bits;
  __bf16 h;
  memcpy(&h, &b, sizeof h);
  return h;
}

__attribute__((visibility("hidden"))) _Float16 __truncsfhf2(float x) {
  return half_from_bits(narrow_float(x, 5, 10));
}

__attribute__((visibility("hidden"))) _Float16 __truncdfhf2(double x) {
  return half_from_bits(narrow_float(x, 5, 10));
}

__attribute__((visibility("hidden"))) __bf16 __truncsfbf2(float x) {
  return bfloat_from_bits(narrow_float(x, 8, 7));
}

__attribute__((visibility("hidden"))) __bf16 __truncdfbf2(double x) {
  return bfloat_from_bits(narrow_float(x, 8, 7));
}

__attribute__((visibility("hidden"))) float __extendhfsf2(_Float16 x) {
  uint16_t h;
  memcpy(&h, &x, sizeof h);
  uint32_t sign = (uint32_t)(h >> 15) << 31;
  uint32_t e = (h >> 10) & 0x1f, m = h & 0x3ff, bits;
  if (e == 0x1f) {
    bits = sign | 0x7f800000u | (m << 13);
  } else if (e != 0) {
    bits = sign | ((e + 112) << 23) | (m << 13);
  } else if (m == 0) {
    bits = sign;
  } else { /* subnormal half: normalize */
    int shift = 0;
    while (!(m & 0x400)) {
      m <<= 1;
      ++shift;
    }
    bits = sign | ((uint32_t)(113 - shift) << 23) | ((m & 0x3ff) << 13);
  }
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}
