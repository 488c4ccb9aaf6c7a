export { loadSources, type LoadedSources } from "./load-sources.js";
export { compileProgram, type Program } from "./program.js";
export { loadSnapshot } from "./load-snapshot.js";
export { loadGitRevision } from "./load-git-revision.js";
export { loadProjectConfig, applyProjectSeverities, parseProjectConfig, configFileName, type ProjectConfig } from "./load-config.js";
export { readRegularFile } from "./read-small-file.js";
