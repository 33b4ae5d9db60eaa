// Times ONNX Runtime (onnxruntime-node, CPU) on one model, for bench.py.
//
// usage: node ort_bench.js MODEL.onnx THREADS RUNS INPUT.json
// INPUT.json: [{"name": ..., "dims": [...], "file": "raw little-endian float32"}]
// Prints one line: {"median_ms": M, "min_ms": N}
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

async function main() {
  const [model, threads, runs, inputJson] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: Number(threads),
    interOpNumThreads: 1,
  });
  const feeds = {};
  for (const input of JSON.parse(fs.readFileSync(inputJson, 'utf8'))) {
    const bytes = fs.readFileSync(input.file);
    const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    feeds[input.name] = new ort.Tensor('float32', Float32Array.from(data), input.dims);
  }
  for (let i = 0; i < 3; ++i) await session.run(feeds);  // warm up
  const times = [];
  for (let i = 0; i < Number(runs); ++i) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({median_ms: times[Math.floor(times.length / 2)], min_ms: times[0]}));
}

main().catch((e) => { console.error(String(e)); process.exit(1); });
