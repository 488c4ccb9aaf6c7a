export { rolesLexer, tokenEnd, verbNames, roleAttributeNames, type VerbName, type RoleAttributeName } from "./tokens.js";
export * as tokens from "./tokens.js";
export { rolesParser, strictRolesParser, RolesParser } from "./parser.js";
