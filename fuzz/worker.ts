import { parentPort } from "node:worker_threads";
import { frontEndProblem } from "./front-end-target.js";

// Runs inputs one at a time for fuzz/run.ts, which stops this worker if one hangs.
parentPort!.on("message", (input: string) => {
  parentPort!.postMessage(frontEndProblem(input));
});
