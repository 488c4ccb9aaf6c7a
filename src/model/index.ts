export * from "./ir.js";
export * from "./verbs.js";
export { effectiveGrants, effectiveGrantsOf, ancestorsOf, transitiveParents, grantsByRole, schemaUsage, schemaCreate, effectiveSchemaGrants, type EffectiveGrant, type EffectiveSchemaGrant } from "./effective.js";
export { sha256 } from "./digest.js";
