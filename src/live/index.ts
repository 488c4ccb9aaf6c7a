export { renderPlanText, planJson, summarize } from "./render-plan.js";
export { desiredState, PUBLIC, type PermissionState, type PrivilegeFact } from "../model/permission-state.js";
export type { LiveDatabase, LiveObject } from "../model/live-database.js";
