//===- Passes.td - the CPU backend's passes -------------------------------===//

#ifndef KILN_CODEGEN_CPU_PASSES_TD
#define KILN_CODEGEN_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnCPUMicrokernels : Pass<"kiln-cpu-microkernels", "::mlir::func::FuncOp"> {
  let summary = "Convolutions (with their epilogues) as calls of the "
                "runtime's packed-GEMM kernels";
  let description = [{
    Each 2-D float32 `kiln.conv` with one group and constant weights becomes
    a `kiln.microkernel "conv2d_f32"` for the instruction set `isa`, whose
    register tile (avx512: 12 x 32, avx2: 6 x 16) decides how the weights
    are packed here, at compile time: panels of MR output channels, each
    `[C*KH*KW][MR]`, zero rows after the last channel. The kernel applies
    the bias and, when the convolution's only use is one, a residual
    `kiln.add` of a tensor of the same type and then one activation
    (`relu`, `clip` with constant bounds, `leaky_relu`, `hard_sigmoid`,
    `hard_swish`); those ops are folded into the call. Grouped convolutions
    are a product per group; a ShuffleNet channel shuffle of the result
    (reshape to `[N][G][M/G][H][W]`, transpose `[0, 2, 1, 3, 4]`, reshape
    back, with G the convolution's groups and no residual add) is folded
    too: the kernel writes channel m of group g to channel m * G + g (the
    params' 18th value). Nearest-neighbour `kiln.resize` by whole factors
    of H and W (the asymmetric transform with floor, or half_pixel with
    rounding; scales, when given, exactly the factors) becomes
    `resize_nearest_f32`, with a following add of a tensor of its type
    fused (a feature pyramid's upsample-and-add). Anything else is left for
    the generic lowering. With `isa=none` the pass changes nothing.

    With `layout=nhwc`, convolutions with one group and 2-D pooling use the
    channels-last kernels instead: `conv2d_nhwc_f32` (a direct convolution
    whose register tile is pixels of a row by output channels, weights
    packed into panels of 64 (avx512) or 16 (avx2) output channels, cut
    into chunks of input channels whose taps fit in L1) and
    `pool2d_nhwc_f32`, with `kiln.transpose` ops to NHWC before their
    inputs and back to NCHW after their results; `kiln-propagate-transposes`
    then cancels the transposes between neighbours. `layout=auto` chooses
    nhwc unless the function has a grouped or transposed convolution, whose
    kernels are NCHW only.

    With `int8` (the target has AVX-512 VNNI), each 2-D
    `kiln.quantized_conv` with one group becomes
    `conv2d_nhwc_u8s8` in the channels-last layout, whatever `layout`
    says: u8 activations times i8 weights packed at compile time into
    panels of 64 output channels, `[KH][KW][C/4][64][4]` (`vpdpbusd`'s
    operand), with i32 accumulation and an epilogue that scales per output
    channel, adds the bias (which absorbs the input zero point's product
    with the weight sums), a residual add and an activation as for float
    convolutions, and either stores f32 or requantizes to u8. Inputs of
    i8 storage are not taken (they are left for `kiln-lower-quant`).

    With `narrow-weights` (the default), the packed weights of
    `conv2d_f32`, `conv2d_nhwc_f32` and `dense_f32` whose every value is
    exact in f16 (or else in bf16) are stored in that type: half the
    bytes, the same numbers. The kernels widen them to f32 as they read
    them. Weights are exact so after `kiln-quantize-float` rounded them;
    f32 weights of any other model practically never are, and stay f32.
  }];
  let options = [
    Option<"isa", "isa", "std::string", /*default=*/"\"avx512\"",
           "Kernel instruction set: avx512, avx2 or none">,
    Option<"layout", "layout", "std::string", /*default=*/"\"nchw\"",
           "Activation layout of convolution and pooling kernels: nchw, nhwc or auto">,
    Option<"int8", "int8", "bool", /*default=*/"false",
           "Quantized convolutions call the integer (AVX-512 VNNI) kernels">,
    Option<"narrowWeights", "narrow-weights", "bool", /*default=*/"true",
           "Store packed f32 weights exact in f16 or bf16 in that type">
  ];
  let dependentDialects = ["::mlir::tensor::TensorDialect",
                           "::mlir::quant::QuantDialect"];
}

def KilnLowerMicrokernels : Pass<"kiln-lower-microkernels", "::mlir::ModuleOp"> {
  let summary = "Bufferized kiln.microkernel ops as calls of the runtime";
  let description = [{
    After bufferization, each `kiln.microkernel` on memrefs becomes a call
    of `kiln_uk_KERNEL_ISA(context, pointers..., params..., fparams...)`,
    with a null pointer for an absent optional operand. Operands that are
    not contiguous row-major views go through a temporary copy. `@main`
    gets the library context (for the kernels' threads and scratch memory)
    as a new last argument, `!llvm.ptr {kiln.context}`.
  }];
  let dependentDialects = [
    "::mlir::LLVM::LLVMDialect", "::mlir::memref::MemRefDialect",
    "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
  ];
}

def KilnPlanMemory : Pass<"kiln-plan-memory", "::mlir::ModuleOp"> {
  let summary = "@main's temporary buffers at compile-time offsets in one arena";
  let description = [{
    After bufferization and deallocation: each `memref.alloc` at the top
    level of `@main` with a static shape, an identity layout and exactly one
    `memref.dealloc` at the top level becomes a `memref.view` into one
    arena, and its dealloc goes away. Offsets are chosen largest buffer
    first, at the lowest address that overlaps no buffer alive at the same
    time (between its alloc and its dealloc), aligned to 64 bytes. The
    arena comes from the runtime once per context,
    `kiln_arena(context)` (the context allocates `kiln.arena_bytes` when it is created), with the context argument of `@main`
    (added, `!llvm.ptr {kiln.context}`, when there is none); `@main` gets
    `kiln.arena_bytes`. Buffers allocated in loops or that escape keep
    their own allocation.
  }];
  let dependentDialects = [
    "::mlir::LLVM::LLVMDialect", "::mlir::memref::MemRefDialect",
    "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
  ];
}

#endif // KILN_CODEGEN_CPU_PASSES_TD
