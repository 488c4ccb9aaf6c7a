import type { Rule } from "../resolved-program.js";
import { appendOnlyOnTablesRule } from "./append-only-on-tables.js";
import { foreignKeyColumnsPairUpRule } from "./foreign-key-columns-pair-up.js";
import { accountNeedsLoginRule } from "./account-needs-login.js";
import { identifierLengthRule } from "./identifier-length.js";
import { knownForeignKeyReferencesRule } from "./known-foreign-key-references.js";
import { mysqlConnectionLimitRule } from "./mysql-connection-limit.js";
import { mysqlDistinctColumnNamesRule } from "./mysql-distinct-column-names.js";
import { mysqlGrantableVerbsRule } from "./mysql-grantable-verbs.js";
import { mysqlNameCharactersRule } from "./mysql-name-characters.js";
import { mysqlNameLengthRule } from "./mysql-name-length.js";
import { mysqlNoLoginRoleAsParentRule } from "./mysql-no-login-role-as-parent.js";
import { mysqlNoRoleAttributesRule } from "./mysql-no-role-attributes.js";
import { mysqlNoRoleSettingsRule } from "./mysql-no-role-settings.js";
import { mysqlNoPredefinedRolesRule } from "./mysql-no-predefined-roles.js";
import { mysqlNoSchemaGrantsRule } from "./mysql-no-schema-grants.js";
import { mysqlNoDefaultPrivilegesRule } from "./mysql-no-default-privileges.js";
import { adminOptionRule } from "./admin-option.js";
import { grantOptionOnObjectsRule } from "./grant-option-on-objects.js";
import { mysqlNoGrantOptionRule } from "./mysql-no-grant-option.js";
import { mysqlRoutineNamesRule } from "./mysql-routine-names.js";
import { mysqlRoutineGrantNamesRule } from "./mysql-routine-grant-names.js";
import { mysqlNoTypesRule } from "./mysql-no-types.js";
import { mysqlNoDatabaseGrantsRule } from "./mysql-no-database-grants.js";
import { mysqlNoPublicBlockRule } from "./mysql-no-public-block.js";
import { mysqlSequencesLeftOutRule } from "./mysql-sequences-left-out.js";
import { mysqlUsableHostsRule } from "./mysql-usable-hosts.js";
import { noEmptyRolesRule } from "./no-empty-roles.js";
import { noMembershipCyclesRule } from "./no-membership-cycles.js";
import { noRedundantGrantsRule } from "./no-redundant-grants.js";
import { noReservedRoleNamesRule } from "./no-reserved-role-names.js";
import { noRewritingForeignKeysOnAppendOnlyRule } from "./no-rewriting-foreign-keys-on-append-only.js";
import { noUnguardedAppendOnlyChildrenRule } from "./no-unguarded-append-only-children.js";
import { partitionsOnTablesRule } from "./partitions-on-tables.js";
import { publicTakesGrantsOnlyRule } from "./public-takes-grants-only.js";
import { powerfulRoleAttributesRule } from "./powerful-role-attributes.js";
import { powerfulPredefinedRolesRule } from "./powerful-predefined-roles.js";
import { powerfulServerPrivilegesRule } from "./powerful-server-privileges.js";
import { postgresNoServerGrantsRule } from "./postgres-no-server-grants.js";
import { mysqlNoPartitionGrantsRule } from "./mysql-no-partition-grants.js";
import { postgresNoAccountOptionsRule } from "./postgres-no-account-options.js";
import { uniqueColumnsRule } from "./unique-columns.js";
import { validNamesRule } from "./valid-names.js";
import { reviewAllGrantedRule } from "./review-all-granted.js";
import { reviewWildcardWritesRule } from "./review-wildcard-writes.js";
import { reviewLoginWritesDirectlyRule } from "./review-login-writes-directly.js";
import { reviewUnusedRolesRule } from "./review-unused-roles.js";
import { reviewAuditTrailsRule } from "./review-audit-trails.js";
import { reviewAppendOnlyInsertsRule } from "./review-append-only-inserts.js";
import { reviewPublicGrantsRule } from "./review-public-grants.js";

/**
 * The rules every program is held to, whatever its targets. Each reports its own codes and no
 * two report the same code at the same place, so the order here does not change the output:
 * diagnostics are sorted by place and code before anyone sees them.
 */
export const specifiedRules: readonly Rule[] = [
  validNamesRule,
  identifierLengthRule,
  uniqueColumnsRule,
  appendOnlyOnTablesRule,
  partitionsOnTablesRule,
  noUnguardedAppendOnlyChildrenRule,
  knownForeignKeyReferencesRule,
  foreignKeyColumnsPairUpRule,
  noRewritingForeignKeysOnAppendOnlyRule,
  noReservedRoleNamesRule,
  accountNeedsLoginRule,
  powerfulRoleAttributesRule,
  powerfulPredefinedRolesRule,
  powerfulServerPrivilegesRule,
  adminOptionRule,
  grantOptionOnObjectsRule,
  noMembershipCyclesRule,
  noRedundantGrantsRule,
  noEmptyRolesRule,
  publicTakesGrantsOnlyRule,
];

/**
 * Review lints (docs/lints.md): what a reviewer of an access change should look at twice. They
 * run where a person reads the result (the command line), not for every caller of the library,
 * and a project changes their severity in rolec.config.json.
 */
export const reviewRules: readonly Rule[] = [
  reviewAllGrantedRule,
  reviewWildcardWritesRule,
  reviewLoginWritesDirectlyRule,
  reviewUnusedRolesRule,
  reviewAuditTrailsRule,
  reviewAppendOnlyInsertsRule,
  reviewPublicGrantsRule,
];

/** What only the MySQL/MariaDB target asks of a program: its names, the verbs it can grant, accounts never granted to roles. */
export const mysqlRules: readonly Rule[] = [
  mysqlSequencesLeftOutRule,
  mysqlNameLengthRule,
  mysqlNameCharactersRule,
  mysqlDistinctColumnNamesRule,
  mysqlUsableHostsRule,
  mysqlConnectionLimitRule,
  mysqlNoRoleAttributesRule,
  mysqlNoRoleSettingsRule,
  mysqlNoPredefinedRolesRule,
  mysqlNoSchemaGrantsRule,
  mysqlNoDefaultPrivilegesRule,
  mysqlNoGrantOptionRule,
  mysqlRoutineNamesRule,
  mysqlRoutineGrantNamesRule,
  mysqlNoTypesRule,
  mysqlNoPartitionGrantsRule,
  mysqlNoDatabaseGrantsRule,
  mysqlNoPublicBlockRule,
  mysqlNoLoginRoleAsParentRule,
  mysqlGrantableVerbsRule,
];

/** What only the PostgreSQL target asks of a program: no MySQL/MariaDB server privileges, and a word on account options. */
export const postgresRules: readonly Rule[] = [postgresNoServerGrantsRule, postgresNoAccountOptionsRule];
