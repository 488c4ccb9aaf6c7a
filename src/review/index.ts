// Access review: questions asked of a checked program (who can, what one role can do), and their reports.
export { parseObjectArgument, type ObjectArgument } from "./object-argument.js";
export { resolveQuestion, isVerb, type AccessQuestion } from "./resolve-question.js";
export { whoCan, type RoleThatCan, type GrantHolder } from "./who-can.js";
export { whoCanLive } from "./who-can-live.js";
export { accessOf, type RoleAccess, type AccessEntry } from "./access.js";
export { renderWhoCanText, whoCanJson, describeQuestion, type ShowSpan } from "./render-who-can.js";
export { renderAccessText, accessJson } from "./render-access.js";
export { membershipChains, chainLimit } from "./membership-chains.js";
export { accessSnapshot, type AccessSnapshot } from "./access-snapshot.js";
export { diffAccess, hasChanges, type AccessDiff } from "./access-diff.js";
export { renderDiffText, renderDiffMarkdown, diffJson } from "./render-diff.js";
export { markdownText } from "./markdown-text.js";
export { buildReviewReport, type ReviewReport, type ReviewedRole, type MatrixCell } from "./review-report.js";
export { renderReviewHtml } from "./render-review-html.js";
export { renderReviewMarkdown } from "./render-review-markdown.js";
export { htmlText } from "./html-text.js";
