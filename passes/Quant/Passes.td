//===- Passes.td - post-training quantization passes ---------------------===//
//
// Quantization as four steps, each a pass of its own (run them one at a time
// with kiln-opt): collect the ranges of the values on calibration data,
// choose scales from the ranges, rewrite ops onto quantized types, and
// (codegen's kiln-lower-quant) lower quantized types to integer storage.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_QUANT_PASSES_TD
#define KILN_PASSES_QUANT_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnQuantCollectRanges : Pass<"kiln-quant-collect-ranges", "::mlir::ModuleOp"> {
  let summary = "Run the model on calibration data and record the range of "
                "each input of a quantizable op";
  let description = [{
    Finds the ops `kiln-quantize` can quantize (2-D `kiln.conv` with one
    group, constant weights and at least 2^17 multiply-adds per image, not
    marked `kiln.precision = "f32"`; smaller ones, such as the 1x1
    convolutions of squeeze-and-excitation blocks, gain nothing from
    integers and stay in float),
    compiles a copy of the model that also returns their inputs, runs it
    on every input set under `calibration` (`set_K/input_J.pb`, or
    `input_J.pb`; each checked against the model's inputs) and records on
    each op `kiln.input_range = {min, max, histogram}`: the input's
    extremes over all sets, and a histogram of `bins` equal bins over
    [min(min, 0), max(max, 0)], for the percentile and entropy methods of
    `kiln-quant-choose-scales`.
  }];
  let options = [
    Option<"calibration", "calibration", "std::string", /*default=*/"\"\"",
           "The folder of calibration input sets">,
    Option<"bins", "bins", "int64_t", /*default=*/"2048",
           "Histogram bins per value">
  ];
  let dependentDialects = ["::mlir::kiln::KilnDialect"];
}

def KilnQuantChooseScales : Pass<"kiln-quant-choose-scales", "::mlir::ModuleOp"> {
  let summary = "Choose a quantized type for each recorded range";
  let description = [{
    Turns every `kiln.input_range` into `kiln.input_qtype`, a per-tensor
    `!quant.uniform` type with f32 expressed type: u8 with a zero point
    (`activations=uint8`, the default) or i8 with zero point 0
    (`activations=int8`). The range it covers comes from `method`:
      - `minmax`: [min, max] as recorded;
      - `percentile:P`: the P-th percentile of the histogram at the top and
        the (100 - P)-th at the bottom, clipping outliers;
      - `entropy`: the range whose quantized histogram diverges least from
        the recorded one (Kullback-Leibler, over 128 candidate ranges).
    Every range includes 0, so that zero (padding, ReLU) is exact.
  }];
  let options = [
    Option<"method", "method", "std::string", /*default=*/"\"minmax\"",
           "minmax, percentile:P (0 < P <= 100) or entropy">,
    Option<"activations", "activations", "std::string", /*default=*/"\"uint8\"",
           "uint8 (asymmetric) or int8 (symmetric)">
  ];
  let dependentDialects = ["::mlir::quant::QuantDialect"];
}

def KilnQuantize : Pass<"kiln-quantize", "::mlir::ModuleOp"> {
  let summary = "Rewrite ops with a chosen input type onto quantized types";
  let description = [{
    Each `kiln.conv` with `kiln.input_qtype` becomes `kiln.quantized_conv`:
    its input is converted with `quant.qcast` to that type, its constant
    filter quantized per output channel, symmetric to i8 in [-127, 127]
    (`!quant.uniform<i8<-127:127>:f32:0, {...}>`, scale = max |w| / 127),
    and its bias kept in f32. The result is f32 (a dequantizing epilogue)
    unless every use of it, or of a ReLU or constant Clip that is its only
    use, converts it with `quant.qcast` to one type: then the op produces
    that type (a requantizing epilogue, the clip folded in as its clamp)
    and the conversions go. Ops without an integer form stay in float
    between the conversions. Every op created keeps the original's
    `kiln.layer` name. With `requantize=false` every result stays f32 (the
    CPU's channels-first integer kernels read f32 inputs and write f32).
  }];
  let options = [
    Option<"requantize", "requantize", "bool", /*default=*/"true",
           "Let ops whose users all convert their result produce the quantized type">
  ];
  let dependentDialects = ["::mlir::kiln::KilnDialect",
                           "::mlir::quant::QuantDialect"];
}

def KilnQuantizeFloat : Pass<"kiln-quantize-float", "::mlir::ModuleOp"> {
  let summary = "Round the constant weights of convolutions and matrix "
                "products to bf16 or f16";
  let description = [{
    The cheaper trade than int8: no calibration, half the weight bytes.
    The constant f32 weights of each `kiln.conv` (but depthwise ones),
    `kiln.conv_transpose` with one group, `kiln.gemm` with alpha 1 and
    `kiln.matmul` by a matrix are rounded to `type` (to nearest, ties to
    even) and stay f32 tensors, so that every later pass and the float
    lowering compute the rounded model; the op gets
    `kiln.precision = "<type>"` for the report. Activations and
    accumulation stay f32. The CPU code generator stores weights exact in a
    16-bit type in it (`kiln-cpu-microkernels{narrow-weights}`), so the
    library computes exactly this IR.

    Ops marked `kiln.precision = "f32"` (an accuracy budget's choice) are
    left alone. Ops of those kinds that the pass does not take (a
    depthwise convolution, say) get a `kiln.precision_reason` saying why,
    and so does one with a weight past f16's largest value (65504) with
    `type=f16`, which stays f32 (bf16 has f32's range). `explain` emits a
    remark for each op left in f32.
  }];
  let options = [
    Option<"type", "type", "std::string", /*default=*/"\"bf16\"",
           "bf16 or f16">,
    Option<"explain", "explain", "bool", /*default=*/"false",
           "Remark on every convolution or product left in f32, and why">
  ];
  let dependentDialects = ["::mlir::kiln::KilnDialect"];
}

def KilnFoldQDQ : Pass<"kiln-fold-qdq", "::mlir::ModuleOp"> {
  let summary = "Map a pre-quantized model's quantization ops onto quantized "
                "types and kiln.quantized_conv";
  let description = [{
    Models quantized ahead of time (by ONNX Runtime's tools, say) state
    quantization with ONNX ops and constant scales. This pass gives them
    the form `kiln-quantize` produces, so they reach the same integer
    kernels, computing what the ONNX ops compute:
      - `kiln.qlinear_conv` (one group) and `kiln.qlinear_matmul` with
        constant i8 weights of zero point 0 become `kiln.quantized_conv`
        (a matmul as a 1x1 convolution) between a dequantization of the
        input and a quantization of the result;
      - `kiln.dequantize_linear` of `kiln.quantize_linear` with the same
        constant scales and zero points becomes `quant.dcast` of
        `quant.qcast`; of an 8-bit constant, `quant.dcast` of `quant.scast`
        (a quantized f32 constant is quantized at compile time); of an i32
        constant (a bias), the f32 constant it computes;
      - `quant.qcast` of `quant.dcast` back to the same type disappears;
      - `kiln.conv` (one group), `kiln.gemm` and `kiln.matmul` whose input
        is dequantized per tensor and whose weights are dequantized i8
        constants of zero point 0 (per tensor, or per output channel)
        become `kiln.quantized_conv`, its result requantized when every
        user quantizes it to one type (its ReLU or Clip folded in);
      - signed 8-bit activations that only feed dequantizations and
        quantized convolutions take the unsigned type with the zero point
        plus 128: the same values and saturation, in the u8 x i8 form of
        the integer kernels;
      - dequantized constants left over fold to f32 constants.
    Whatever does not match keeps its ONNX form and its generic lowering;
    `explain` emits a remark for each such op saying why.
  }];
  let options = [
    Option<"explain", "explain", "bool", /*default=*/"false",
           "Remark on every quantized or dequantized op left unmapped, and why">
  ];
  let dependentDialects = ["::mlir::kiln::KilnDialect",
                           "::mlir::quant::QuantDialect"];
}

#endif // KILN_PASSES_QUANT_PASSES_TD
