// A worker thread does not inherit the parent's --import hooks: it registers tsx itself.
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
