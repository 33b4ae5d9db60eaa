// RUN: kiln-opt %s --split-input-file --kiln-plan-memory | FileCheck %s

// Three temporaries: %a and %b are alive together, %c only after %a is
// freed, so %c reuses %a's bytes. Largest first: %b (4096 bytes) at 0, %a
// (1024) at 4096, %c (1024, 64-byte aligned from 1000) at 4096 too. The
// arena (5120 bytes) comes from kiln_arena(context) through a context argument
// that the pass adds.
// CHECK-LABEL: func.func @main
// CHECK-SAME: %[[CTX:[^:]*]]: !llvm.ptr {kiln.context}
// CHECK-SAME: attributes {kiln.arena_bytes = 5120 : i64}
// CHECK: %[[SIZE:.*]] = llvm.mlir.constant(5120 : i64) : i64
// CHECK: %[[BASE:.*]] = call @kiln_arena(%[[CTX]]) : (!llvm.ptr) -> !llvm.ptr
// CHECK: llvm.insertvalue %[[BASE]], %{{.*}}[1]
// CHECK: llvm.insertvalue %[[SIZE]], %{{.*}}[3, 0]
// CHECK: %[[ARENA:.*]] = builtin.unrealized_conversion_cast %{{.*}} : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> to memref<5120xi8>
// CHECK-DAG: %[[O4096:.*]] = arith.constant 4096 : index
// CHECK: memref.view %[[ARENA]][%[[O4096]]][] : memref<5120xi8> to memref<256xf32>
// CHECK: %[[O0:.*]] = arith.constant 0 : index
// CHECK: memref.view %[[ARENA]][%[[O0]]][] : memref<5120xi8> to memref<1024xf32>
// CHECK: %[[O4096B:.*]] = arith.constant 4096 : index
// CHECK: memref.view %[[ARENA]][%[[O4096B]]][] : memref<5120xi8> to memref<250xf32>
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc
// CHECK: func.func private @kiln_arena(!llvm.ptr) -> !llvm.ptr
func.func @main(%x: memref<256xf32>, %y: memref<250xf32>) {
  %a = memref.alloc() : memref<256xf32>
  memref.copy %x, %a : memref<256xf32> to memref<256xf32>
  %b = memref.alloc() : memref<1024xf32>
  memref.copy %a, %a : memref<256xf32> to memref<256xf32>
  memref.dealloc %a : memref<256xf32>
  %c = memref.alloc() : memref<250xf32>
  memref.copy %c, %y : memref<250xf32> to memref<250xf32>
  memref.dealloc %b : memref<1024xf32>
  memref.dealloc %c : memref<250xf32>
  return
}

// -----

// Left alone: a buffer freed inside a loop, one never freed (it escapes),
// a dynamic one and one of i1. An existing context argument is used.
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%{{.*}}: index, %{{.*}}: memref<4xf32>, %[[CTX:.*]]: !llvm.ptr {kiln.context})
// CHECK: call @kiln_arena(%[[CTX]]
// CHECK: memref.view {{.*}} to memref<8xf32>
// CHECK: memref.alloc() : memref<16xf32>
// CHECK: memref.alloc() : memref<4xf32>
// CHECK: memref.alloc(%{{.*}}) : memref<?xf32>
// CHECK: memref.alloc() : memref<8xi1>
func.func @main(%n: index, %out: memref<4xf32>, %ctx: !llvm.ptr {kiln.context}) -> memref<4xf32> {
  %plain = memref.alloc() : memref<8xf32>
  memref.dealloc %plain : memref<8xf32>
  %looped = memref.alloc() : memref<16xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %c1 step %c1 {
    memref.dealloc %looped : memref<16xf32>
  }
  %escapes = memref.alloc() : memref<4xf32>
  %dyn = memref.alloc(%n) : memref<?xf32>
  memref.dealloc %dyn : memref<?xf32>
  %bits = memref.alloc() : memref<8xi1>
  memref.dealloc %bits : memref<8xi1>
  return %escapes : memref<4xf32>
}

// -----

// Nothing to plan: no arena, no context argument.
// CHECK-LABEL: func.func @main(%{{.*}}: memref<4xf32>)
// CHECK-NOT: kiln_arena
func.func @main(%x: memref<4xf32>) {
  return
}
