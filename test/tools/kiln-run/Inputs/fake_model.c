/*===- fake_model.c - a hand-written Kiln library for kiln-run's tests ----===*
 *
 * Implements kiln.h as a generated library does, for a model "fake" with
 * inputs x: float32[2,3] and y: int64[2] and outputs z = x * 2 (float32[2,3])
 * and w = y + 1 (int64[2]). Only kiln_get_model is exported. Built with
 * FAKE_ABI_VERSION=2, it stands for a library of another ABI version.
 *
 * Tests can make it fail: create fails (KILN_ERROR_IO) when the weights path
 * it is given cannot be opened, and run fails when y holds INT64_MAX, whose
 * y + 1 would overflow.
 *
 *===----------------------------------------------------------------------===*/

#include "kiln/kiln.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef FAKE_ABI_VERSION
#define FAKE_ABI_VERSION KILN_ABI_VERSION
#endif

struct kiln_context {
  char error[256];
};

static const int64_t matrix_shape[] = {2, 3};
static const int64_t vector_shape[] = {2};

static const kiln_tensor_info inputs[] = {
    {"x", KILN_FLOAT32, 2, matrix_shape, 6, 6 * sizeof(float)},
    {"y", KILN_INT64, 1, vector_shape, 2, 2 * sizeof(int64_t)},
};
static const kiln_tensor_info outputs[] = {
    {"z", KILN_FLOAT32, 2, matrix_shape, 6, 6 * sizeof(float)},
    {"w", KILN_INT64, 1, vector_shape, 2, 2 * sizeof(int64_t)},
};
/* The types of inputs[i] and outputs[i], for messages. */
static const char *const types[] = {"float32[2,3]", "int64[2]"};

__attribute__((format(printf, 3, 4))) static void
set_error(char *buffer, size_t size, const char *format, ...) {
  if (!buffer || size == 0)
    return;
  va_list args;
  va_start(args, format);
  vsnprintf(buffer, size, format, args);
  va_end(args);
}

static kiln_status fake_create(const kiln_options *options,
                               kiln_context **out) {
  char *error = options ? options->error_buffer : NULL;
  size_t error_size = options ? options->error_buffer_size : 0;
  if (options && options->struct_size != sizeof(kiln_options))
    return KILN_ERROR_INVALID_ARGUMENT;
  if (!out) {
    set_error(error, error_size, "the context pointer is NULL");
    return KILN_ERROR_INVALID_ARGUMENT;
  }
  *out = NULL;
  if (options && options->num_threads < 0) {
    set_error(error, error_size, "num_threads must be >= 0");
    return KILN_ERROR_INVALID_ARGUMENT;
  }
  if (options && options->weights_path) {
    FILE *weights = fopen(options->weights_path, "rb");
    if (!weights) {
      set_error(error, error_size, "cannot open the weights file '%s'",
                options->weights_path);
      return KILN_ERROR_IO;
    }
    fclose(weights);
  }
  kiln_context *context = (kiln_context *)calloc(1, sizeof(kiln_context));
  if (!context) {
    set_error(error, error_size, "out of memory");
    return KILN_ERROR_OUT_OF_MEMORY;
  }
  *out = context;
  return KILN_OK;
}

static void fake_destroy(kiln_context *context) { free(context); }

static kiln_status check_buffers(kiln_context *context, const char *kind,
                                 const kiln_tensor_info *infos,
                                 const void *const *buffers,
                                 const size_t *sizes) {
  if (!buffers || !sizes) {
    set_error(context->error, sizeof context->error,
              "the %s array or its sizes array is NULL", kind);
    return KILN_ERROR_INVALID_ARGUMENT;
  }
  for (size_t i = 0; i < 2; ++i) {
    if (!buffers[i]) {
      set_error(context->error, sizeof context->error, "%s %zu ('%s') is NULL",
                kind, i, infos[i].name);
      return KILN_ERROR_INVALID_ARGUMENT;
    }
    if (sizes[i] != infos[i].size_bytes) {
      set_error(context->error, sizeof context->error,
                "%s %zu ('%s') has %zu bytes, expected %zu for %s", kind, i,
                infos[i].name, sizes[i], infos[i].size_bytes, types[i]);
      return KILN_ERROR_INVALID_ARGUMENT;
    }
  }
  return KILN_OK;
}

static kiln_status fake_run(kiln_context *context, const void *const *in,
                            const size_t *in_sizes, void *const *out,
                            const size_t *out_sizes) {
  if (!context)
    return KILN_ERROR_INVALID_ARGUMENT;
  context->error[0] = '\0';
  kiln_status status = check_buffers(context, "input", inputs, in, in_sizes);
  if (status == KILN_OK)
    status = check_buffers(context, "output", outputs, (const void *const *)out,
                           out_sizes);
  if (status != KILN_OK)
    return status;
  const float *x = (const float *)in[0];
  const int64_t *y = (const int64_t *)in[1];
  float *z = (float *)out[0];
  int64_t *w = (int64_t *)out[1];
  for (size_t i = 0; i < 2; ++i) {
    if (y[i] == INT64_MAX) {
      set_error(context->error, sizeof context->error,
                "y[%zu] is INT64_MAX, so y + 1 overflows", i);
      return KILN_ERROR_INVALID_ARGUMENT;
    }
  }
  for (size_t i = 0; i < 6; ++i)
    z[i] = x[i] * 2;
  for (size_t i = 0; i < 2; ++i)
    w[i] = y[i] + 1;
  return KILN_OK;
}

static const char *fake_error_message(const kiln_context *context) {
  return context ? context->error : "no context";
}

static const kiln_model model = {
    FAKE_ABI_VERSION,
    "fake",
    2,
    2,
    inputs,
    outputs,
    fake_create,
    fake_destroy,
    fake_run,
    fake_error_message,
};

__attribute__((visibility("default"))) const kiln_model *
kiln_get_model(uint32_t abi_version) {
  return abi_version == FAKE_ABI_VERSION ? &model : NULL;
}
