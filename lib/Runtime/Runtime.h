/*===- Runtime.h - what the kernels of a generated library share ----------===*
 *
 * Internal to the runtime compiled into each generated library (Runtime.c,
 * Kernels.c); not a public header.
 *
 *===----------------------------------------------------------------------===*/

#ifndef KILN_RUNTIME_H
#define KILN_RUNTIME_H

#include "kiln/kiln.h"

#include <stdint.h>

/* Floats in the per-thread scratch buffer of a context. */
#define KILN_SCRATCH_FLOATS (256 * 384)

/* Floats after each thread's scratch buffer where kernels widen weights
   stored as bf16 or f16 to f32 (Kernels.h: kiln_stage). */
#define KILN_STAGE_FLOATS (32 * 1024)

/* A task of a parallel loop: `task` in [0, count), run on `thread` (0 is the
   caller's thread), which owns kiln_scratch(ctx, thread) while it runs. */
typedef void (*kiln_task_fn)(void *arg, int64_t task, int thread);

/* Runs fn(arg, t, thread) for every t in [0, count) on the context's
   threads and returns when all are done. */
void kiln_parallel_for(kiln_context *ctx, int64_t count, kiln_task_fn fn, void *arg)
    __attribute__((visibility("hidden")));

/* The context's thread count (1 without a pool). */
int kiln_num_threads(const kiln_context *ctx) __attribute__((visibility("hidden")));

/* KILN_SCRATCH_FLOATS floats, 64-byte aligned, for `thread` alone,
   followed by its KILN_STAGE_FLOATS floats of staged weights. */
float *kiln_scratch(kiln_context *ctx, int thread) __attribute__((visibility("hidden")));

#endif /* KILN_RUNTIME_H */
