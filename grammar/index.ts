export { makeRolesLexer, tokenizeRoles, tokenEnd, verbNames, roleAttributeNames, accountFlagNames, accountTextNames, accountNumberNames, type VerbName, type RoleAttributeName, type AccountOptionName } from "./tokens.js";
export * as tokens from "./tokens.js";
export { rolesParser, strictRolesParser, RolesParser } from "./parser.js";
