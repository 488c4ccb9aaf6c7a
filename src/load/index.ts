export { loadSources, describeFsError, type LoadedSources } from "./load-sources.js";
export { compileProgram, type Program } from "./program.js";
