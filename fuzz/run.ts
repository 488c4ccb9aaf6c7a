import { writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { nextInput, randomSource, seedCorpus } from "./inputs.js";

// `npm run fuzz [-- --seconds N --seed S]`: feeds random, mutated, deeply nested and huge inputs
// to the parser, checker and formatter for a time budget, in a worker a watchdog can stop, and
// prints the inputs tried and every failure (a throw, a bad diagnostic, an unstable format, or a
// hang of more than --timeout seconds). Failing inputs are saved under fuzz/failures/.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const seconds = option("seconds", 60);
const seed = option("seed", Math.floor(Math.random() * 2 ** 31));
const timeoutMs = option("timeout", 20) * 1000;
const random = randomSource(seed);
const corpus = seedCorpus(root);
const failures: { input: string; problem: string }[] = [];
let tried = 0;

function startWorker(): Worker {
  return new Worker(new URL("./worker-entry.mjs", import.meta.url), { resourceLimits: { stackSizeMb: 4, maxOldGenerationSizeMb: 2048 } });
}

let worker = startWorker();
function check(input: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const current = worker;
    const finish = (problem: string | undefined) => {
      clearTimeout(timer);
      current.off("message", onMessage);
      current.off("error", onError);
      resolve(problem);
    };
    const onMessage = (problem: string | undefined) => finish(problem);
    const onError = (error: Error) => {
      worker = startWorker();
      finish(`the worker died: ${error.message}`);
    };
    const timer = setTimeout(() => {
      worker = startWorker();
      void current.terminate();
      finish(`hang: no answer within ${timeoutMs / 1000} s`);
    }, timeoutMs);
    current.on("message", onMessage);
    current.on("error", onError);
    current.postMessage(input);
  });
}

const deadline = Date.now() + seconds * 1000;
while (Date.now() < deadline) {
  const input = nextInput(random, corpus);
  const problem = await check(input);
  tried++;
  if (problem) {
    failures.push({ input, problem });
    const dir = path.join(root, "fuzz", "failures");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `seed-${seed}-${tried}.roles`), input);
    console.log(`failure ${failures.length} (input ${tried}, ${input.length} characters): ${problem.split("\n")[0]}`);
  }
}
await worker.terminate();
console.log(`fuzz: ${tried} inputs in ${seconds} s (seed ${seed}), ${failures.length} failure${failures.length === 1 ? "" : "s"}${failures.length > 0 ? ", saved in fuzz/failures/" : ""}`);
process.exitCode = failures.length > 0 ? 1 : 0;
