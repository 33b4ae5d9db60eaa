//===- Passes.td - shaping a model into a library's calling convention ---===//

#ifndef KILN_CODEGEN_LIBRARY_PASSES_TD
#define KILN_CODEGEN_LIBRARY_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnOutlineWeights : Pass<"kiln-outline-weights", "::mlir::ModuleOp"> {
  let summary = "Move large constants of @main into one weights blob that "
                "@main receives as its last argument";
  let description = [{
    Every dense constant of at least `min-bytes` bytes in `@main` is laid
    out in one blob (each at a 64-byte aligned offset; equal constants
    share their bytes), and replaced by a read-only view of a new last
    argument of `@main`, `memref<Nxi8>`. The blob is kept in the module as
    the `kiln.weights` attribute (a `dense_resource`), from which the
    library emitter embeds it or writes it to a side file. Large splats stay
    constants: they cost no bytes in the blob.

    The pass also marks the model's inputs read-only
    (`bufferization.writable = false`): the library never writes into a
    caller's buffers.
  }];
  let options = [
    Option<"minBytes", "min-bytes", "int64_t", /*default=*/"64",
           "Constants smaller than this stay inline">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def KilnDropEmptyTensors : Pass<"kiln-drop-empty-tensors", "::mlir::ModuleOp"> {
  let summary = "Remove inputs and results of @main that hold no elements";
  let description = [{
    A tensor with a zero-sized dimension carries no data, so `@main` needs
    no buffer for it: it stops taking such inputs (their uses read an empty
    tensor instead) and returning such results. The library's C ABI still
    lists them, a caller may pass NULL for them, and the glue passes `@main`
    nothing.
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

def KilnDistinctResults : Pass<"kiln-distinct-results", "::mlir::ModuleOp"> {
  let summary = "Give every result of @main a value of its own";
  let description = [{
    Each output of the library is a separate caller buffer, but a model may
    return one value twice (two outputs that compute the same thing, merged
    by CSE). Every repeated result of `@main` becomes a copy
    (`bufferization.alloc_tensor() copy(...)`), so that bufferization writes
    each output buffer once.
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect"];
}

#endif // KILN_CODEGEN_LIBRARY_PASSES_TD
