//===- KilnQuantOps.td - ONNX-level quantization ops ---------------------===//
//
// These ops carry ONNX's quantization semantics with scales and zero points
// as tensor operands, as pre-quantized models state them. Quantization
// passes turn them (and float ops they calibrate) into ops on `quant`
// dialect element types.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_QUANT_OPS_TD
#define KILN_QUANT_OPS_TD

include "dialects/Kiln/KilnBase.td"

def Kiln_QuantizeLinearOp : Kiln_Op<"quantize_linear"> {
  let summary = "Affine quantization to an integer type";
  let description = [{
    `y = saturate(round_half_even(x / scale) + zero_point)`; `scale` and
    `zero_point` are scalars (per tensor) or 1-D along `axis` (per channel).
    The result element type is the zero point's (ui8 when it is absent).

    ```mlir
    %q = kiln.quantize_linear %x, %s, %zp {axis = 1 : i64}
        : (tensor<1x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x3xui8>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_FloatTensor:$scale,
                       Optional<Kiln_IntegerTensor>:$zero_point,
                       DefaultValuedAttr<Kiln_I64Attr, "1">:$axis);
  let results = (outs Kiln_IntegerTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale (`,` $zero_point^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_DequantizeLinearOp : Kiln_Op<"dequantize_linear"> {
  let summary = "Affine dequantization to float";
  let description = [{
    `y = (x - zero_point) * scale`, per tensor or per channel along `axis`.
    The result element type is the scale's.

    ```mlir
    %x = kiln.dequantize_linear %q, %s, %zp {axis = 1 : i64}
        : (tensor<1x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x3xf32>
    ```
  }];
  let arguments = (ins Kiln_IntegerTensor:$input, Kiln_FloatTensor:$scale,
                       Optional<Kiln_IntegerTensor>:$zero_point,
                       DefaultValuedAttr<Kiln_I64Attr, "1">:$axis);
  let results = (outs Kiln_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale (`,` $zero_point^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_DynamicQuantizeLinearOp : Kiln_Op<"dynamic_quantize_linear"> {
  let summary = "Quantize to ui8 with a scale and zero point computed from the data";
  let description = [{
    Computes `scale = (max(x, 0) - min(x, 0)) / 255` and the matching ui8 zero
    point from the data, then quantizes `x` with them.

    ```mlir
    %y, %s, %zp = kiln.dynamic_quantize_linear %x
        : (tensor<3x4xf32>) -> (tensor<3x4xui8>, tensor<f32>, tensor<ui8>)
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input);
  let results = (outs Kiln_IntegerTensor:$output, Kiln_FloatTensor:$scale,
                      Kiln_IntegerTensor:$zero_point);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Kiln_MatMulIntegerOp : Kiln_Op<"matmul_integer", [AttrSizedOperandSegments]> {
  let summary = "Integer matrix product with zero points, accumulating in i32";
  let description = [{
    numpy.matmul of `(a - a_zero_point)` and `(b - b_zero_point)` in i32.
    `a_zero_point` is a scalar or per-row; `b_zero_point` a scalar or
    per-column.

    ```mlir
    %y = kiln.matmul_integer %a, %b lhs_zero_point %azp rhs_zero_point %bzp
        : (tensor<4x3xui8>, tensor<3x2xui8>, tensor<ui8>, tensor<ui8>) -> tensor<4x2xi32>
    ```
  }];
  let arguments = (ins Kiln_IntegerTensor:$lhs, Kiln_IntegerTensor:$rhs,
                       Optional<Kiln_IntegerTensor>:$lhs_zero_point,
                       Optional<Kiln_IntegerTensor>:$rhs_zero_point);
  let results = (outs RankedTensorOf<[I32]>:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs (`lhs_zero_point` $lhs_zero_point^)?
    (`rhs_zero_point` $rhs_zero_point^)? attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_ConvIntegerOp : Kiln_Op<"conv_integer", [AttrSizedOperandSegments]> {
  let summary = "Integer convolution with zero points, accumulating in i32";
  let description = [{
    `kiln.conv` of `(input - input_zero_point)` and
    `(filter - filter_zero_point)` in i32; attributes as for `kiln.conv`.

    ```mlir
    %y = kiln.conv_integer %x, %w input_zero_point %xzp {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
                                        pads = array<i64: 0, 0, 0, 0>, group = 1 : i64}
        : (tensor<1x1x3x3xui8>, tensor<1x1x2x2xui8>, tensor<ui8>) -> tensor<1x1x2x2xi32>
    ```
  }];
  let arguments = (ins Kiln_IntegerTensor:$input, Kiln_IntegerTensor:$filter,
                       Optional<Kiln_IntegerTensor>:$input_zero_point,
                       Optional<Kiln_IntegerTensor>:$filter_zero_point,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$pads,
                       DefaultValuedAttr<Kiln_I64Attr, "1">:$group);
  let results = (outs RankedTensorOf<[I32]>:$output);
  let assemblyFormat = [{
    $input `,` $filter (`input_zero_point` $input_zero_point^)?
    (`filter_zero_point` $filter_zero_point^)? attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_QLinearMatMulOp : Kiln_Op<"qlinear_matmul"> {
  let summary = "Quantized matrix product with requantized output";
  let description = [{
    Dequantizes `lhs` and `rhs` with their scales and zero points, multiplies
    as numpy.matmul, and quantizes the product with `output_scale` and
    `output_zero_point` (whose type is the result element type).

    ```mlir
    %y = kiln.qlinear_matmul %a, %as, %azp, %b, %bs, %bzp, %ys, %yzp
        : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>, tensor<4x3xui8>, tensor<f32>, tensor<ui8>,
           tensor<f32>, tensor<ui8>) -> tensor<2x3xui8>
    ```
  }];
  let arguments = (ins Kiln_IntegerTensor:$lhs, Kiln_FloatTensor:$lhs_scale,
                       Kiln_IntegerTensor:$lhs_zero_point,
                       Kiln_IntegerTensor:$rhs, Kiln_FloatTensor:$rhs_scale,
                       Kiln_IntegerTensor:$rhs_zero_point,
                       Kiln_FloatTensor:$output_scale,
                       Kiln_IntegerTensor:$output_zero_point);
  let results = (outs Kiln_IntegerTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $lhs_scale `,` $lhs_zero_point `,` $rhs `,` $rhs_scale `,` $rhs_zero_point `,`
    $output_scale `,` $output_zero_point attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_QLinearConvOp : Kiln_Op<"qlinear_conv"> {
  let summary = "Quantized convolution with requantized output";
  let description = [{
    Dequantizes `input` (per-tensor) and `filter` (per-tensor or per output
    channel), convolves as `kiln.conv`, adds the i32 `bias` (whose scale is
    input_scale * filter_scale) and quantizes with `output_scale` and
    `output_zero_point`.

    ```mlir
    %y = kiln.qlinear_conv %x, %xs, %xzp, %w, %ws, %wzp, %ys, %yzp {strides = array<i64: 1, 1>,
           dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, group = 1 : i64}
        : (tensor<1x1x7x7xui8>, tensor<f32>, tensor<ui8>, tensor<1x1x1x1xui8>, tensor<1xf32>,
           tensor<1xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x1x7x7xui8>
    ```
  }];
  let arguments = (ins Kiln_IntegerTensor:$input, Kiln_FloatTensor:$input_scale,
                       Kiln_IntegerTensor:$input_zero_point,
                       Kiln_IntegerTensor:$filter, Kiln_FloatTensor:$filter_scale,
                       Kiln_IntegerTensor:$filter_zero_point,
                       Kiln_FloatTensor:$output_scale,
                       Kiln_IntegerTensor:$output_zero_point,
                       Optional<RankedTensorOf<[I32]>>:$bias,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$pads,
                       DefaultValuedAttr<Kiln_I64Attr, "1">:$group);
  let results = (outs Kiln_IntegerTensor:$output);
  let assemblyFormat = [{
    $input `,` $input_scale `,` $input_zero_point `,` $filter `,` $filter_scale `,`
    $filter_zero_point `,` $output_scale `,` $output_zero_point (`,` $bias^)? attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_QuantizedConvOp : Kiln_BaseOp<"quantized_conv"> {
  let summary = "Convolution of quantized tensors, accumulating in i32";
  let description = [{
    The form every quantized convolution takes, whether calibrated by
    `kiln-quantize` or imported from a pre-quantized model: `input` is a
    per-tensor `!quant.uniform` tensor (u8 or i8 storage), `filter` a
    per-output-channel (axis 0) or per-tensor `!quant.uniform` tensor of
    i8 storage with zero point 0, and `bias` an optional float tensor. The
    result is

      `y = clamp(sum((x - x_zp) * x_scale * w * w_scale[m]) + bias[m])`

    computed exactly in i32 and then in f32, clamped to
    [`clamp_min`, `clamp_max`] where given (a fused ReLU or Clip); then
    either returned as f32 (a dequantizing epilogue) or, when the result
    type is a `!quant.uniform` tensor, requantized to it: rounded half to
    even, offset by its zero point and saturated. Attributes are as for
    `kiln.conv`.

    ```mlir
    %y = kiln.quantized_conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
                                         pads = array<i64: 1, 1, 1, 1>, group = 1 : i64, clamp_min = 0.0 : f32}
        : (tensor<1x8x16x16x!quant.uniform<u8:f32, 0.02:128>>,
           tensor<16x8x3x3x!quant.uniform<i8<-127:127>:f32:0, {0.01, ...}>>, tensor<16xf32>)
        -> tensor<1x16x16x16x!quant.uniform<u8:f32, 0.05>>
    ```
  }];
  let arguments = (ins Kiln_Tensor:$input, Kiln_Tensor:$filter,
                       Optional<Kiln_FloatTensor>:$bias,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$pads,
                       DefaultValuedAttr<Kiln_I64Attr, "1">:$group,
                       OptionalAttr<F32Attr>:$clamp_min,
                       OptionalAttr<F32Attr>:$clamp_max);
  let results = (outs Kiln_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// The filter's scale for each output channel (one per-tensor scale
    /// repeated, or the per-axis scales).
    ::llvm::SmallVector<double> getFilterScales();
  }];
  let hasVerifier = 1;
}

#endif // KILN_QUANT_OPS_TD
