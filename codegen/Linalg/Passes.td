//===- Passes.td - lowering kiln to upstream MLIR dialects ---------------===//

#ifndef KILN_CODEGEN_LINALG_PASSES_TD
#define KILN_CODEGEN_LINALG_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnToLinalg : Pass<"kiln-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Lower kiln ops to linalg, tensor, arith, math and scf on "
                "statically shaped tensors";
  let description = [{
    Every kiln op becomes upstream ops on tensors: named or generic linalg
    ops for computation, tensor ops for data movement, scf for control
    flow. Unsigned element types become signless ones (arithmetic picks
    signed or unsigned forms from the kiln types); function arguments and
    results that were unsigned keep a `kiln.unsigned` attribute so that the
    library's metadata can still say so.

    Before converting anything, the pass checks the whole module and
    reports at once every op that cannot be lowered: ops with dynamic
    shapes (give them with `kilnc --input-shape`) and op types without a
    lowering, each with its count and first location.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def KilnLowerQuant : Pass<"kiln-lower-quant", "::mlir::ModuleOp"> {
  let summary = "Lower quantized types and ops to integer storage and kiln's "
                "integer ops";
  let description = [{
    Values of `!quant.uniform` tensor types become tensors of their storage
    type (ui8 or i8). `quant.qcast` becomes `kiln.quantize_linear` and
    `quant.dcast` becomes `kiln.dequantize_linear`, with the type's scales
    and zero points as constants (per tensor or per axis). `quant.scast`
    disappears. `kiln.quantized_conv` becomes `kiln.conv_integer` with the
    input's zero point, accumulating in i32, followed in f32 by the
    product of the input and filter scales per output channel, the bias,
    the clamp and, for a quantized result, `kiln.quantize_linear`. Ops that
    only move data keep their operands' bits under the storage type.

    This is the generic lowering, exact as ONNX specifies; the CPU pipeline
    first gives convolutions with an integer kernel to
    `kiln-cpu-microkernels`, and this pass lowers the rest. With
    `kernel-isa` set (`avx512vnni`), a per-tensor conversion of a static f32
    tensor to u8 storage calls the runtime's `quantize_u8` kernel instead
    (vectorized, split over the context's threads, the same rounding):
    `quant.qcast`, and `kiln.quantize_linear` with a constant scalar scale
    and zero point (a pre-quantized model's quantizations that float ops
    read).
  }];
  let options = [
    Option<"kernelIsa", "kernel-isa", "std::string", /*default=*/"\"\"",
           "The runtime kernels' instruction set for quantization (avx512vnni), "
           "or none">
  ];
  let dependentDialects = ["::mlir::kiln::KilnDialect",
                           "::mlir::quant::QuantDialect"];
}

#endif // KILN_CODEGEN_LINALG_PASSES_TD
