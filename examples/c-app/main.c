/* classify: runs the tiny_cnn example model through its generated library.
 *
 * Everything it needs is tiny_cnn.h and libtiny_cnn.so; it prints the
 * model's interface, the class probabilities of an 8x8 image with a
 * diagonal stroke, and what the library says about a wrong buffer size. */

#include "tiny_cnn.h"

#include <stdio.h>
#include <string.h>

static void print_tensor(const char *kind, const kiln_tensor_info *info) {
  int32_t d;
  printf("%s '%s': dtype %d, shape [", kind, info->name, (int)info->dtype);
  for (d = 0; d < info->rank; ++d)
    printf(d ? ",%lld" : "%lld", (long long)info->shape[d]);
  printf("], %zu bytes\n", info->size_bytes);
}

int main(void) {
  const kiln_model *model = tiny_cnn_model();
  float image[TINY_CNN_INPUT_0_ELEMENTS];
  float probabilities[TINY_CNN_OUTPUT_0_ELEMENTS];
  const void *inputs[1];
  void *outputs[1];
  size_t input_sizes[1], output_sizes[1];
  kiln_context *context = NULL;
  kiln_options options;
  char error[256] = "";
  kiln_status status;
  int i, best = 0;

  printf("model '%s'\n", model->name);
  print_tensor("input", &model->inputs[0]);
  print_tensor("output", &model->outputs[0]);

  memset(&options, 0, sizeof options);
  options.struct_size = sizeof options;
  options.error_buffer = error;
  options.error_buffer_size = sizeof error;
  if (tiny_cnn_create(&options, &context) != KILN_OK) {
    fprintf(stderr, "create failed: %s\n", error);
    return 1;
  }

  memset(image, 0, sizeof image);
  for (i = 0; i < 8; ++i) {
    image[i * 8 + i] = 1.0f;
    if (i + 1 < 8)
      image[i * 8 + i + 1] = 0.5f;
  }
  inputs[0] = image;
  outputs[0] = probabilities;
  input_sizes[0] = sizeof image;
  output_sizes[0] = sizeof probabilities;
  status = tiny_cnn_run(context, inputs, input_sizes, outputs, output_sizes);
  if (status != KILN_OK) {
    fprintf(stderr, "run failed: %s\n", tiny_cnn_error_message(context));
    tiny_cnn_destroy(context);
    return 1;
  }
  for (i = 0; i < TINY_CNN_OUTPUT_0_ELEMENTS; ++i) {
    printf("class %d: %.6f\n", i, probabilities[i]);
    if (probabilities[i] > probabilities[best])
      best = i;
  }
  printf("predicted class: %d\n", best);

  /* A wrong size is an error with a message, not a crash. */
  input_sizes[0] = sizeof image - 4;
  status = tiny_cnn_run(context, inputs, input_sizes, outputs, output_sizes);
  printf("wrong input size: status %d: %s\n", (int)status,
         tiny_cnn_error_message(context));
  tiny_cnn_destroy(context);
  return status == KILN_ERROR_INVALID_ARGUMENT ? 0 : 1;
}
