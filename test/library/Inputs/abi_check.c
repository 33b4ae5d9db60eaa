/* Exercises the C ABI of a generated library through its header alone:
 * argument validation, error messages, metadata, external weights and
 * concurrent contexts. Build with -DPREFIX=name -DHEADER='"name.h"'.
 * Usage: abi_check [weights-path-to-try]   (prints what it sees) */
#include HEADER

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAT2(a, b) a##_##b
#define CAT(a, b) CAT2(a, b)
#define F(x) CAT(PREFIX, x)

#ifndef THREADS
#define THREADS 4
#endif
#ifndef RUNS
#define RUNS 50
#endif

static const kiln_model *model;
static unsigned char *reference[16];

/* Fills inputs deterministically and allocates outputs. */
static void make_buffers(void **inputs, size_t *input_sizes, void **outputs,
                         size_t *output_sizes) {
  size_t i, j;
  for (i = 0; i < model->num_inputs; ++i) {
    input_sizes[i] = model->inputs[i].size_bytes;
    inputs[i] = malloc(input_sizes[i] + 1);
    for (j = 0; j < input_sizes[i]; ++j)
      ((unsigned char *)inputs[i])[j] = (unsigned char)(j * 7 % 61);
  }
  for (i = 0; i < model->num_outputs; ++i) {
    output_sizes[i] = model->outputs[i].size_bytes;
    outputs[i] = malloc(output_sizes[i] + 1);
  }
}

static kiln_context *create(const char *weights, kiln_status *status,
                            char *error, size_t size) {
  kiln_options options;
  kiln_context *context = NULL;
  memset(&options, 0, sizeof options);
  options.struct_size = sizeof options;
  options.weights_path = weights;
  options.error_buffer = error;
  options.error_buffer_size = size;
  *status = F(create)(&options, &context);
  return context;
}

static void *worker(void *arg) {
  void *inputs[16], *outputs[16];
  size_t input_sizes[16], output_sizes[16], i;
  kiln_status status;
  char error[256];
  int run, *mismatches = (int *)arg;
  kiln_context *context = create(NULL, &status, error, sizeof error);
  if (!context) {
    ++*mismatches;
    return NULL;
  }
  make_buffers(inputs, input_sizes, outputs, output_sizes);
  for (run = 0; run < RUNS; ++run) {
    if (F(run)(context, (const void *const *)inputs, input_sizes, outputs,
               output_sizes) != KILN_OK)
      ++*mismatches;
    for (i = 0; i < model->num_outputs; ++i)
      if (memcmp(outputs[i], reference[i], output_sizes[i]) != 0)
        ++*mismatches;
  }
  F(destroy)(context);
  for (i = 0; i < model->num_inputs; ++i)
    free(inputs[i]);
  for (i = 0; i < model->num_outputs; ++i)
    free(outputs[i]);
  return NULL;
}

int main(int argc, char **argv) {
  void *inputs[16], *outputs[16];
  size_t input_sizes[16], output_sizes[16], i;
  kiln_status status;
  kiln_context *context;
  kiln_options options;
  char error[256] = "";
  pthread_t threads[THREADS];
  int mismatches[THREADS] = {0}, total = 0, t;

  model = F(model)();
  printf("model %s: %zu inputs, %zu outputs\n", model->name, model->num_inputs,
         model->num_outputs);
  printf("abi 1 model is this model: %s\n",
         kiln_get_model(KILN_ABI_VERSION) == model ? "yes" : "no");
  printf("abi 2 model: %s\n", kiln_get_model(2) ? "found" : "NULL");

  /* Creating: bad arguments. */
  printf("create(NULL out): %d\n", (int)F(create)(NULL, NULL));
  memset(&options, 0, sizeof options);
  printf("create(struct_size 0): %d\n", (int)F(create)(&options, &context));
  options.struct_size = sizeof options;
  options.num_threads = -1;
  options.error_buffer = error;
  options.error_buffer_size = sizeof error;
  status = F(create)(&options, &context);
  printf("create(num_threads -1): %d: %s\n", (int)status, error);
  if (argc > 1) {
    context = create(argv[1], &status, error, sizeof error);
    printf("create(weights %s): %d: %s\n", argv[1], (int)status,
           status == KILN_OK ? "ok" : error);
    F(destroy)(context);
    return 0;
  }

  context = create(NULL, &status, error, sizeof error);
  if (!context) {
    printf("create failed: %d: %s\n", (int)status, error);
    return 1;
  }
  make_buffers(inputs, input_sizes, outputs, output_sizes);

  /* Running: bad arguments, then a good run. */
  input_sizes[0] -= 4;
  status = F(run)(context, (const void *const *)inputs, input_sizes, outputs, output_sizes);
  printf("run(short input): %d: %s\n", (int)status, F(error_message)(context));
  input_sizes[0] += 8;
  status = F(run)(context, (const void *const *)inputs, input_sizes, outputs, output_sizes);
  printf("run(long input): %d: %s\n", (int)status, F(error_message)(context));
  input_sizes[0] -= 4;
  output_sizes[0] += 1;
  status = F(run)(context, (const void *const *)inputs, input_sizes, outputs, output_sizes);
  printf("run(output size): %d: %s\n", (int)status, F(error_message)(context));
  output_sizes[0] -= 1;
  status = F(run)(context, NULL, input_sizes, outputs, output_sizes);
  printf("run(NULL inputs): %d: %s\n", (int)status, F(error_message)(context));
  status = F(run)(NULL, (const void *const *)inputs, input_sizes, outputs, output_sizes);
  printf("run(NULL context): %d\n", (int)status);
  status = F(run)(context, (const void *const *)inputs, input_sizes, outputs, output_sizes);
  printf("run: %d: '%s'\n", (int)status, F(error_message)(context));
  for (i = 0; i < model->num_outputs; ++i) {
    reference[i] = malloc(output_sizes[i]);
    memcpy(reference[i], outputs[i], output_sizes[i]);
  }
  F(destroy)(context);
  F(destroy)(NULL);

  /* Contexts on several threads at once compute the same results. */
  for (t = 0; t < THREADS; ++t)
    pthread_create(&threads[t], NULL, worker, &mismatches[t]);
  for (t = 0; t < THREADS; ++t) {
    pthread_join(threads[t], NULL);
    total += mismatches[t];
  }
  printf("%d threads x %d runs: %d mismatches\n", THREADS, RUNS, total);
  return total != 0;
}
