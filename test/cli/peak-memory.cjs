// Loaded with `node --require` into a command under measurement: samples the V8 heap every 20 ms
// and, at exit, writes the peaks (and the kernel's highest resident set size) as JSON to the file
// named by SRG_PEAK_MEMORY_FILE.
const { writeFileSync } = require('node:fs');
const { getHeapStatistics } = require('node:v8');

const file = process.env.SRG_PEAK_MEMORY_FILE;
if (file) {
  let maxHeapUsed = 0;
  const sample = () => {
    maxHeapUsed = Math.max(maxHeapUsed, process.memoryUsage().heapUsed);
  };
  setInterval(sample, 20).unref();
  process.on('exit', () => {
    sample();
    const mib = (bytes) => Math.round((bytes / 1048576) * 10) / 10;
    writeFileSync(
      file,
      JSON.stringify({
        maxRssMiB: mib(process.resourceUsage().maxRSS * 1024),
        maxHeapUsedMiB: mib(maxHeapUsed),
        heapLimitMiB: mib(getHeapStatistics().heap_size_limit),
      }),
    );
  });
}
