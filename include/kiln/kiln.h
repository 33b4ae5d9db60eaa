/*===- kiln/kiln.h - the C interface of Kiln-generated libraries ----------===*
 *
 * Every library `kilnc model.onnx -o libNAME.so` generates exports the
 * functions its header NAME.h declares (NAME_create, NAME_run, ...) and
 * `kiln_get_model`, which tools use to drive any Kiln library. This header
 * holds the types they share; NAME.h includes a copy, so a product needs
 * only NAME.h.
 *
 * Contexts are independent: any number may run at once on different
 * threads. A context runs one inference at a time. Libraries keep no global
 * mutable state.
 *
 *===----------------------------------------------------------------------===*/

#ifndef KILN_KILN_H
#define KILN_KILN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Version of this interface; kiln_get_model checks it. */
#define KILN_ABI_VERSION 1u

typedef enum kiln_status {
  KILN_OK = 0,
  /* A null pointer, a wrong buffer size, an unknown option. */
  KILN_ERROR_INVALID_ARGUMENT = 1,
  KILN_ERROR_OUT_OF_MEMORY = 2,
  /* External weights could not be read or do not match the library. */
  KILN_ERROR_IO = 3,
  KILN_ERROR_INTERNAL = 4
} kiln_status;

/* Element types, numbered as ONNX's TensorProto.DataType. */
typedef enum kiln_dtype {
  KILN_FLOAT32 = 1,
  KILN_UINT8 = 2,
  KILN_INT8 = 3,
  KILN_UINT16 = 4,
  KILN_INT16 = 5,
  KILN_INT32 = 6,
  KILN_INT64 = 7,
  KILN_BOOL = 9, /* one byte per element, 0 or 1 */
  KILN_FLOAT16 = 10,
  KILN_FLOAT64 = 11,
  KILN_UINT32 = 12,
  KILN_UINT64 = 13,
  KILN_BFLOAT16 = 16
} kiln_dtype;

/* A model input or output: dense, row-major, in native byte order. */
typedef struct kiln_tensor_info {
  const char *name;
  kiln_dtype dtype;
  int32_t rank;
  const int64_t *shape;
  size_t num_elements;
  size_t size_bytes;
} kiln_tensor_info;

/* Options for creating a context. Zero-initialize and set `struct_size`;
   fields added later keep their zero meaning for older callers. */
typedef struct kiln_options {
  uint32_t struct_size;     /* sizeof(kiln_options) */
  int32_t num_threads;      /* threads for this context's kernels; 0: one
                               per online CPU (at most 64) */
  const char *weights_path; /* --weights=external: the weights file;
                               NULL: NAME.weights beside the library */
  char *error_buffer;       /* if set, why a create failed */
  size_t error_buffer_size;
} kiln_options;

typedef struct kiln_context kiln_context;

/* The interface of one compiled model, for tools that load any Kiln
   library: `kiln_get_model(KILN_ABI_VERSION)`. */
typedef struct kiln_model {
  uint32_t abi_version;
  const char *name;
  size_t num_inputs;
  size_t num_outputs;
  const kiln_tensor_info *inputs;
  const kiln_tensor_info *outputs;
  /* See NAME_create, NAME_destroy, NAME_run and NAME_error_message. */
  kiln_status (*create)(const kiln_options *options, kiln_context **context);
  void (*destroy)(kiln_context *context);
  kiln_status (*run)(kiln_context *context, const void *const *inputs,
                     const size_t *input_sizes, void *const *outputs,
                     const size_t *output_sizes);
  const char *(*error_message)(const kiln_context *context);
} kiln_model;

/* The model this library holds, or NULL if `abi_version` is not the one it
   was built for. */
const kiln_model *kiln_get_model(uint32_t abi_version);

#ifdef __cplusplus
}
#endif

#endif /* KILN_KILN_H */
