// Preloaded (node --import) into each Node process bench/measure.ts times: on exit, writes
// that process's peak resident memory (kilobytes) to the file ROLEC_BENCH_PEAK_FILE names.
import { writeFileSync } from "node:fs";

process.on("exit", () => {
  writeFileSync(process.env.ROLEC_BENCH_PEAK_FILE, String(process.resourceUsage().maxRSS));
});
