export { rolesLexer, tokenEnd, verbNames, type VerbName } from "./tokens.js";
export * as tokens from "./tokens.js";
export { rolesParser, strictRolesParser, RolesParser } from "./parser.js";
