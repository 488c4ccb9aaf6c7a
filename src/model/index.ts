export * from "./ir.js";
export * from "./verbs.js";
export { effectiveGrants, effectiveGrantsOf, ancestorsOf, transitiveParents, grantsByRole, schemaUsage, schemaCreate, effectiveSchemaGrants, effectiveDatabaseGrants, effectiveRoutineGrants, effectiveTypeGrants, type EffectiveTypeGrant, type EffectiveGrant, type EffectiveRoutineGrant, type EffectiveSchemaGrant, type EffectiveDatabaseGrant } from "./effective.js";
export { sha256 } from "./digest.js";
export { sensitiveColumnsReached } from "./sensitive.js";
