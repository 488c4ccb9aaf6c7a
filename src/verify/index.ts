export { renderVerifyReport } from "./report.js";
