// Generated from grammar/parser.ts by `npm run cst-types`; do not edit.
import type { CstNode, ICstVisitor, IToken } from "chevrotain";

export interface FileCstNode extends CstNode {
  name: "file";
  children: FileCstChildren;
}

export type FileCstChildren = {
  topLevel?: TopLevelCstNode[];
};

export interface TopLevelCstNode extends CstNode {
  name: "topLevel";
  children: TopLevelCstChildren;
}

export type TopLevelCstChildren = {
  schemaBlock?: SchemaBlockCstNode[];
  roleBlock?: RoleBlockCstNode[];
  externalRoleBlock?: ExternalRoleBlockCstNode[];
  publicBlock?: PublicBlockCstNode[];
};

export interface PublicBlockCstNode extends CstNode {
  name: "publicBlock";
  children: PublicBlockCstChildren;
}

export type PublicBlockCstChildren = {
  Kw_public: IToken[];
  LBrace: IToken[];
  roleItem?: RoleItemCstNode[];
  RBrace: IToken[];
};

export interface SchemaBlockCstNode extends CstNode {
  name: "schemaBlock";
  children: SchemaBlockCstChildren;
}

export type SchemaBlockCstChildren = {
  Kw_schema: IToken[];
  name: NameCstNode[];
  LBrace: IToken[];
  objectDecl?: ObjectDeclCstNode[];
  RBrace: IToken[];
};

export interface ObjectDeclCstNode extends CstNode {
  name: "objectDecl";
  children: ObjectDeclCstChildren;
}

export type ObjectDeclCstChildren = {
  relationDecl?: RelationDeclCstNode[];
  sequenceDecl?: SequenceDeclCstNode[];
  routineDecl?: RoutineDeclCstNode[];
  typeDecl?: TypeDeclCstNode[];
  foreignKeyDecl?: ForeignKeyDeclCstNode[];
};

export interface ForeignKeyDeclCstNode extends CstNode {
  name: "foreignKeyDecl";
  children: ForeignKeyDeclCstChildren;
}

export type ForeignKeyDeclCstChildren = {
  Kw_foreign: IToken[];
  Kw_key: IToken[];
  name: (NameCstNode)[];
  nameList: (NameListCstNode)[];
  Kw_references: IToken[];
  Dot?: IToken[];
  foreignKeyAction?: ForeignKeyActionCstNode[];
};

export interface ForeignKeyActionCstNode extends CstNode {
  name: "foreignKeyAction";
  children: ForeignKeyActionCstChildren;
}

export type ForeignKeyActionCstChildren = {
  Kw_on: IToken[];
  Kw_delete?: IToken[];
  Kw_update?: IToken[];
  referentialAction: ReferentialActionCstNode[];
};

export interface ReferentialActionCstNode extends CstNode {
  name: "referentialAction";
  children: ReferentialActionCstChildren;
}

export type ReferentialActionCstChildren = {
  Kw_cascade?: IToken[];
  Kw_restrict?: IToken[];
  Kw_set?: IToken[];
  Kw_null?: IToken[];
  Kw_default?: IToken[];
  Kw_no?: IToken[];
  Kw_action?: IToken[];
};

export interface RelationDeclCstNode extends CstNode {
  name: "relationDecl";
  children: RelationDeclCstChildren;
}

export type RelationDeclCstChildren = {
  Kw_append_only?: IToken[];
  Kw_sensitive?: IToken[];
  relationKind: RelationKindCstNode[];
  name: NameCstNode[];
  columnList: ColumnListCstNode[];
  Kw_partitions?: IToken[];
  nameList?: NameListCstNode[];
};

export interface ColumnListCstNode extends CstNode {
  name: "columnList";
  children: ColumnListCstChildren;
}

export type ColumnListCstChildren = {
  LParen: IToken[];
  columnDecl: (ColumnDeclCstNode)[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface ColumnDeclCstNode extends CstNode {
  name: "columnDecl";
  children: ColumnDeclCstChildren;
}

export type ColumnDeclCstChildren = {
  Name: IToken[];
  Kw_sensitive?: IToken[];
};

export interface RelationKindCstNode extends CstNode {
  name: "relationKind";
  children: RelationKindCstChildren;
}

export type RelationKindCstChildren = {
  Kw_table?: IToken[];
  Kw_view?: IToken[];
};

export interface SequenceDeclCstNode extends CstNode {
  name: "sequenceDecl";
  children: SequenceDeclCstChildren;
}

export type SequenceDeclCstChildren = {
  Kw_sequence: IToken[];
  name: NameCstNode[];
};

export interface RoutineDeclCstNode extends CstNode {
  name: "routineDecl";
  children: RoutineDeclCstChildren;
}

export type RoutineDeclCstChildren = {
  routineKind: RoutineKindCstNode[];
  name: NameCstNode[];
  signature: SignatureCstNode[];
};

export interface RoutineKindCstNode extends CstNode {
  name: "routineKind";
  children: RoutineKindCstChildren;
}

export type RoutineKindCstChildren = {
  Kw_function?: IToken[];
  Kw_procedure?: IToken[];
};

export interface TypeDeclCstNode extends CstNode {
  name: "typeDecl";
  children: TypeDeclCstChildren;
}

export type TypeDeclCstChildren = {
  typeKind: TypeKindCstNode[];
  name: NameCstNode[];
};

export interface TypeKindCstNode extends CstNode {
  name: "typeKind";
  children: TypeKindCstChildren;
}

export type TypeKindCstChildren = {
  Kw_type?: IToken[];
  Kw_domain?: IToken[];
};

export interface SignatureCstNode extends CstNode {
  name: "signature";
  children: SignatureCstChildren;
}

export type SignatureCstChildren = {
  LParen: IToken[];
  argType?: (ArgTypeCstNode)[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface ArgTypeCstNode extends CstNode {
  name: "argType";
  children: ArgTypeCstChildren;
}

export type ArgTypeCstChildren = {
  name: (NameCstNode)[];
  Dot?: IToken[];
  ArraySuffix?: IToken[];
};

export interface RoleBlockCstNode extends CstNode {
  name: "roleBlock";
  children: RoleBlockCstChildren;
}

export type RoleBlockCstChildren = {
  Kw_role: IToken[];
  name: NameCstNode[];
  roleOption?: RoleOptionCstNode[];
  LBrace: IToken[];
  roleItem?: RoleItemCstNode[];
  RBrace: IToken[];
};

export interface ExternalRoleBlockCstNode extends CstNode {
  name: "externalRoleBlock";
  children: ExternalRoleBlockCstChildren;
}

export type ExternalRoleBlockCstChildren = {
  Kw_external: IToken[];
  Kw_role: IToken[];
  name: NameCstNode[];
  roleOption?: RoleOptionCstNode[];
  LBrace?: IToken[];
  roleItem?: RoleItemCstNode[];
  RBrace?: IToken[];
};

export interface RoleOptionCstNode extends CstNode {
  name: "roleOption";
  children: RoleOptionCstChildren;
}

export type RoleOptionCstChildren = {
  Kw_login?: IToken[];
  roleAttribute?: RoleAttributeCstNode[];
  accountOption?: AccountOptionCstNode[];
  Kw_connection_limit?: IToken[];
  Integer?: IToken[];
  Kw_host?: IToken[];
  name?: NameCstNode[];
  Kw_valid_until?: IToken[];
  StringLiteral?: IToken[];
};

export interface AccountOptionCstNode extends CstNode {
  name: "accountOption";
  children: AccountOptionCstChildren;
}

export type AccountOptionCstChildren = {
  Kw_require_ssl?: IToken[];
  Kw_require_x509?: IToken[];
  Kw_require_issuer?: IToken[];
  Kw_require_subject?: IToken[];
  Kw_require_cipher?: IToken[];
  StringLiteral?: IToken[];
  Kw_max_queries_per_hour?: IToken[];
  Kw_max_updates_per_hour?: IToken[];
  Kw_max_connections_per_hour?: IToken[];
  Kw_password_lifetime?: IToken[];
  Integer?: IToken[];
};

export interface RoleAttributeCstNode extends CstNode {
  name: "roleAttribute";
  children: RoleAttributeCstChildren;
}

export type RoleAttributeCstChildren = {
  Kw_createdb?: IToken[];
  Kw_createrole?: IToken[];
  Kw_bypassrls?: IToken[];
  Kw_replication?: IToken[];
  Kw_superuser?: IToken[];
  Kw_noinherit?: IToken[];
};

export interface RoleItemCstNode extends CstNode {
  name: "roleItem";
  children: RoleItemCstChildren;
}

export type RoleItemCstChildren = {
  membership?: MembershipCstNode[];
  setting?: SettingCstNode[];
  grant?: GrantCstNode[];
};

export interface MembershipCstNode extends CstNode {
  name: "membership";
  children: MembershipCstChildren;
}

export type MembershipCstChildren = {
  Kw_member: IToken[];
  Kw_of: IToken[];
  name: (NameCstNode)[];
  Comma?: IToken[];
  Kw_with?: IToken[];
  Kw_admin?: IToken[];
  Kw_option?: IToken[];
};

export interface SettingCstNode extends CstNode {
  name: "setting";
  children: SettingCstChildren;
}

export type SettingCstChildren = {
  Kw_set: IToken[];
  name: (NameCstNode)[];
  Dot?: IToken[];
  Equals: IToken[];
  settingValue: (SettingValueCstNode)[];
  Comma?: IToken[];
  Kw_in?: IToken[];
  Kw_database?: IToken[];
};

export interface SettingValueCstNode extends CstNode {
  name: "settingValue";
  children: SettingValueCstChildren;
}

export type SettingValueCstChildren = {
  StringLiteral?: IToken[];
  Integer?: IToken[];
  name?: NameCstNode[];
};

export interface GrantCstNode extends CstNode {
  name: "grant";
  children: GrantCstChildren;
}

export type GrantCstChildren = {
  privilege: (PrivilegeCstNode)[];
  Comma?: IToken[];
  Kw_on: IToken[];
  grantTarget: GrantTargetCstNode[];
  Kw_with?: IToken[];
  Kw_grant?: IToken[];
  Kw_option?: IToken[];
};

export interface GrantTargetCstNode extends CstNode {
  name: "grantTarget";
  children: GrantTargetCstChildren;
}

export type GrantTargetCstChildren = {
  Kw_database?: IToken[];
  Kw_server?: IToken[];
  schemaTarget?: SchemaTargetCstNode[];
  futureTarget?: FutureTargetCstNode[];
  objectRef?: ObjectRefCstNode[];
  signature?: SignatureCstNode[];
  Kw_except?: IToken[];
  exclusion?: (ExclusionCstNode)[];
  Comma?: IToken[];
};

export interface FutureTargetCstNode extends CstNode {
  name: "futureTarget";
  children: FutureTargetCstChildren;
}

export type FutureTargetCstChildren = {
  Kw_future: IToken[];
  name: (NameCstNode)[];
  Kw_in?: IToken[];
  Kw_schema?: IToken[];
  Kw_created: IToken[];
  Kw_by: IToken[];
};

export interface SchemaTargetCstNode extends CstNode {
  name: "schemaTarget";
  children: SchemaTargetCstChildren;
}

export type SchemaTargetCstChildren = {
  Kw_schema: IToken[];
  name: NameCstNode[];
};

export interface PrivilegeCstNode extends CstNode {
  name: "privilege";
  children: PrivilegeCstChildren;
}

export type PrivilegeCstChildren = {
  verb: VerbCstNode[];
  nameList?: NameListCstNode[];
};

export interface VerbCstNode extends CstNode {
  name: "verb";
  children: VerbCstChildren;
}

export type VerbCstChildren = {
  Kw_select?: IToken[];
  Kw_insert?: IToken[];
  Kw_update?: IToken[];
  Kw_delete?: IToken[];
  Kw_truncate?: IToken[];
  Kw_references?: IToken[];
  Kw_trigger?: IToken[];
  Kw_usage?: IToken[];
  Kw_execute?: IToken[];
  Kw_create?: IToken[];
  Kw_connect?: IToken[];
  Kw_temporary?: IToken[];
  Kw_process?: IToken[];
  Kw_replication_client?: IToken[];
  Kw_replication_slave?: IToken[];
  Kw_show_databases?: IToken[];
  Kw_all?: IToken[];
};

export interface ObjectRefCstNode extends CstNode {
  name: "objectRef";
  children: ObjectRefCstChildren;
}

export type ObjectRefCstChildren = {
  name: NameCstNode[];
  Dot: IToken[];
  objectTarget: ObjectTargetCstNode[];
};

export interface ObjectTargetCstNode extends CstNode {
  name: "objectTarget";
  children: ObjectTargetCstChildren;
}

export type ObjectTargetCstChildren = {
  Star?: IToken[];
  name?: NameCstNode[];
};

export interface ExclusionCstNode extends CstNode {
  name: "exclusion";
  children: ExclusionCstChildren;
}

export type ExclusionCstChildren = {
  name: (NameCstNode)[];
  Dot: IToken[];
  nameList?: NameListCstNode[];
};

export interface NameListCstNode extends CstNode {
  name: "nameList";
  children: NameListCstChildren;
}

export type NameListCstChildren = {
  LParen: IToken[];
  Name: (IToken)[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface NameCstNode extends CstNode {
  name: "name";
  children: NameCstChildren;
}

export type NameCstChildren = {
  Name: IToken[];
};
