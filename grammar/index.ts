export { rolesLexer, verbNames, type VerbName } from "./tokens.js";
export * as tokens from "./tokens.js";
export { rolesParser, RolesParser } from "./parser.js";
