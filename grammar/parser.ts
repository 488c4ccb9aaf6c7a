import { CstParser, tokenMatcher, type CstNode, type IParserErrorMessageProvider, type IToken, type TokenType } from "chevrotain";
import * as T from "./tokens.js";

/** Words for what a rule expects, so syntax errors read as sentences rather than token type names. */
const ruleDescriptions: Record<string, string> = {
  file: "`schema`, `role`, `external role` or `public`",
  topLevel: "`schema`, `role`, `external role` or `public`",
  objectDecl: "`table`, `view`, `sequence`, `function`, `procedure`, `type`, `domain`, `append_only`, `sensitive` or `foreign key`",
  typeKind: "`type` or `domain`",
  routineKind: "`function` or `procedure`",
  foreignKeyAction: "`on delete` or `on update`",
  referentialAction: "cascade, restrict, set null, set default or no action",
  relationKind: "`table` or `view`",
  roleOption: "`login`, `connection_limit`, `valid_until`, `host`, a role attribute (createdb, createrole, bypassrls, replication, noinherit), an account option (require_ssl, max_queries_per_hour, password_lifetime, ...) or `{`",
  accountOption: "an account option (require_ssl, require_x509, require_issuer, require_subject, require_cipher, max_queries_per_hour, max_updates_per_hour, max_connections_per_hour or password_lifetime)",
  roleItem: "`member of`, `set` or a grant such as `select on schema.table`",
  settingValue: "a value: 'quoted', a whole number or a name",
  verb: "a verb (select, insert, update, delete, truncate, references, trigger, usage, execute, create, connect, temporary or all)",
  grantTarget: "`database`, `server`, `schema NAME`, `future tables ... created by ROLE` or an object such as `schema.table`, `schema.function(integer)` or `schema.*`",
  argType: "an argument type such as `integer`, `text[]` or `schema.type`",
  name: "a name",
  objectTarget: "a name or `*`",
};

function describeToken(token: IToken): string {
  if (token.tokenType.name === "EOF") return "the end of the file";
  return `"${token.image.length > 40 ? token.image.slice(0, 40) + "…" : token.image}"`;
}

function describeType(type: TokenType): string {
  if (type === T.Identifier || type === T.QuotedIdentifier) return "a name";
  if (type === T.Integer) return "a whole number";
  return type.LABEL ?? type.name;
}

const errorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    // Only a top-level block may follow the end of one: say which, rather than "EOF".
    if (expected.name === "EOF") return `expected ${ruleDescriptions.topLevel} but found ${describeToken(actual)}`;
    // `on databse`: a lone name after `on` is read as the start of `schema.object`; say what else a grant may name.
    if (ruleName === "objectRef" && expected === T.Dot) return `expected '.' but found ${describeToken(actual)}: a grant is on ${ruleDescriptions.grantTarget}`;
    // `varchar(10)`: PostgreSQL ignores lengths and precisions in a routine's identity, so the language has none.
    if (ruleName === "signature" && actual.tokenType === T.LParen) {
      return `expected ',' or ')' but found "(": argument types are written without a length or precision (\`varchar\`, not \`varchar(10)\`)`;
    }
    return `expected ${describeType(expected)} but found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${describeToken(firstRedundant)}: expected \`schema\`, \`role\`, \`external role\` or \`public\``;
  },
  buildNoViableAltMessage({ actual, ruleName }) {
    const first = actual[0]!;
    // `on databse`: a lone name after `on` can only start `schema.object`; say what else a grant may name.
    const startsNoOtherTarget = ![T.Schema, T.Future, T.Database, T.Server].includes(first.tokenType);
    if (ruleName === "grantTarget" && startsNoOtherTarget && tokenMatcher(first, T.NameToken) && actual[1] && actual[1].tokenType !== T.Dot) {
      return `expected '.' but found ${describeToken(actual[1])}: a grant is on ${ruleDescriptions.grantTarget}`;
    }
    // `on schema }` and `on future }`: the keyword alone fits two alternatives, so say what came after it too.
    const second = ruleName === "grantTarget" && (first.tokenType === T.Schema || first.tokenType === T.Future) ? actual[1] : undefined;
    return `expected ${ruleDescriptions[ruleName] ?? ruleName} but found ${describeToken(first)}${second ? ` followed by ${describeToken(second)}` : ""}`;
  },
  buildEarlyExitMessage({ actual, ruleName }) {
    const first = actual[0]!;
    return `expected ${ruleDescriptions[ruleName] ?? ruleName} but found ${describeToken(first)}`;
  },
};

/**
 * The `.roles` grammar. Each method implements the EBNF rule in the comment above it; the railroad
 * diagram page (docs/grammar.html) is generated from this class, so the two cannot drift apart.
 */
export class RolesParser extends CstParser {
  /**
   * `recovery`: resume after a syntax error, so one run reports every error (see strictRolesParser
   * for why not always). `validate`: check the grammar itself while analysing it (ambiguities,
   * left recursion, ...); that takes most of the analysis's time on every start, so the parsers
   * rolec runs skip it and a test builds one that checks, as Chevrotain advises.
   */
  constructor(recovery = true, validate = false) {
    // Each node's start and end offsets, kept as it is built: the AST's spans come from them.
    super(T.allTokens, { recoveryEnabled: recovery, errorMessageProvider: errorMessages, maxLookahead: 3, skipValidations: !validate, nodeLocationTracking: "onlyOffset" });
    this.performSelfAnalysis();
  }

  // file = { schemaBlock | roleBlock | externalRoleBlock | publicBlock } ;
  public file = this.RULE("file", () => {
    this.MANY(() => this.SUBRULE(this.topLevel));
  });

  private topLevel = this.RULE("topLevel", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.schemaBlock) },
      { ALT: () => this.SUBRULE(this.roleBlock) },
      { ALT: () => this.SUBRULE(this.externalRoleBlock) },
      { ALT: () => this.SUBRULE(this.publicBlock) },
    ]);
  });

  // publicBlock = "public" "{" { roleItem } "}" ; what every role holds, as PostgreSQL's PUBLIC.
  // Memberships and settings parse, so that the checker can say in words why they do not belong.
  private publicBlock = this.RULE("publicBlock", () => {
    this.CONSUME(T.Public);
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.roleItem));
    this.CONSUME(T.RBrace);
  });

  // schemaBlock = "schema" name "{" { objectDecl } "}" ;
  private schemaBlock = this.RULE("schemaBlock", () => {
    this.CONSUME(T.Schema);
    this.SUBRULE(this.name);
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.objectDecl));
    this.CONSUME(T.RBrace);
  });

  // objectDecl = { "append_only" | "sensitive" } ( "table" | "view" ) name "(" columnDecl { "," columnDecl } ")"
  //              [ "partitions" "(" name { "," name } ")" ] | "sequence" name | routineDecl | typeDecl | foreignKeyDecl ;
  // columnDecl = name [ "sensitive" ] ;
  private objectDecl = this.RULE("objectDecl", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.relationDecl) },
      { ALT: () => this.SUBRULE(this.sequenceDecl) },
      { ALT: () => this.SUBRULE(this.routineDecl) },
      { ALT: () => this.SUBRULE(this.typeDecl) },
      { ALT: () => this.SUBRULE(this.foreignKeyDecl) },
    ]);
  });

  // foreignKeyDecl = "foreign" "key" name "(" name { "," name } ")"
  //                  "references" name [ "." name ] "(" name { "," name } ")" { foreignKeyAction } ;
  private foreignKeyDecl = this.RULE("foreignKeyDecl", () => {
    this.CONSUME(T.Foreign);
    this.CONSUME(T.Key);
    this.SUBRULE(this.name);
    this.SUBRULE(this.nameList);
    this.CONSUME(T.References);
    this.SUBRULE2(this.name);
    this.OPTION(() => {
      this.CONSUME(T.Dot);
      this.SUBRULE3(this.name);
    });
    this.SUBRULE2(this.nameList);
    this.MANY(() => this.SUBRULE(this.foreignKeyAction));
  });

  // foreignKeyAction = "on" ( "delete" | "update" ) referentialAction ;
  private foreignKeyAction = this.RULE("foreignKeyAction", () => {
    this.CONSUME(T.On);
    this.OR([{ ALT: () => this.CONSUME(T.Delete) }, { ALT: () => this.CONSUME(T.Update) }]);
    this.SUBRULE(this.referentialAction);
  });

  // referentialAction = "cascade" | "restrict" | "set" ( "null" | "default" ) | "no" "action" ;
  private referentialAction = this.RULE("referentialAction", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Cascade) },
      { ALT: () => this.CONSUME(T.Restrict) },
      {
        ALT: () => {
          this.CONSUME(T.SetKeyword);
          this.OR2([{ ALT: () => this.CONSUME(T.Null) }, { ALT: () => this.CONSUME(T.Default) }]);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.No);
          this.CONSUME(T.Action);
        },
      },
    ]);
  });

  // The modifiers come in any order; the checker reports one written twice.
  private relationDecl = this.RULE("relationDecl", () => {
    this.MANY(() => this.OR([{ ALT: () => this.CONSUME(T.AppendOnly) }, { ALT: () => this.CONSUME(T.Sensitive) }]));
    this.SUBRULE(this.relationKind);
    this.SUBRULE(this.name);
    this.SUBRULE(this.columnList);
    this.OPTION2(() => {
      this.CONSUME(T.Partitions);
      this.SUBRULE(this.nameList);
    });
  });

  private columnList = this.RULE("columnList", () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.columnDecl);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.columnDecl);
    });
    this.CONSUME(T.RParen);
  });

  private columnDecl = this.RULE("columnDecl", () => {
    this.CONSUME(T.NameToken);
    this.OPTION(() => this.CONSUME(T.Sensitive));
  });

  private relationKind = this.RULE("relationKind", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Table) }, { ALT: () => this.CONSUME(T.View) }]);
  });

  private sequenceDecl = this.RULE("sequenceDecl", () => {
    this.CONSUME(T.Sequence);
    this.SUBRULE(this.name);
  });

  // routineDecl = ( "function" | "procedure" ) name signature ;
  // A function or procedure is known by its name and its argument types: overloads are distinct.
  private routineDecl = this.RULE("routineDecl", () => {
    this.SUBRULE(this.routineKind);
    this.SUBRULE(this.name);
    this.SUBRULE(this.signature);
  });

  private routineKind = this.RULE("routineKind", () => {
    this.OR([{ ALT: () => this.CONSUME(T.FunctionKeyword) }, { ALT: () => this.CONSUME(T.Procedure) }]);
  });

  // typeDecl = ( "type" | "domain" ) name ; a type or domain roles may be granted USAGE on.
  private typeDecl = this.RULE("typeDecl", () => {
    this.SUBRULE(this.typeKind);
    this.SUBRULE(this.name);
  });

  private typeKind = this.RULE("typeKind", () => {
    this.OR([{ ALT: () => this.CONSUME(T.TypeKeyword) }, { ALT: () => this.CONSUME(T.Domain) }]);
  });

  // signature = "(" [ argType { "," argType } ] ")" ;
  private signature = this.RULE("signature", () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.argType);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.argType);
      });
    });
    this.CONSUME(T.RParen);
  });

  // argType = name [ "." name ] { name } { "[]" } ; `integer`, `double precision`, `app.money`, `text[]`:
  // the checker decides which spellings name a type.
  private argType = this.RULE("argType", () => {
    this.SUBRULE(this.name);
    this.OPTION(() => {
      this.CONSUME(T.Dot);
      this.SUBRULE2(this.name);
    });
    this.MANY(() => this.SUBRULE3(this.name));
    this.MANY2(() => this.CONSUME(T.ArraySuffix));
  });

  // roleBlock = "role" name { roleOption } "{" { roleItem } "}" ;
  private roleBlock = this.RULE("roleBlock", () => {
    this.CONSUME(T.Role);
    this.SUBRULE(this.name);
    this.MANY(() => this.SUBRULE(this.roleOption));
    this.CONSUME(T.LBrace);
    this.MANY2(() => this.SUBRULE(this.roleItem));
    this.CONSUME(T.RBrace);
  });

  // externalRoleBlock = "external" "role" name { roleOption } [ "{" { roleItem } "}" ] ;
  // A role this program references but another program (or a person) manages. Its options are
  // parsed as a role's so that the checker can say which ones it takes (login and host, which
  // identify a MySQL account) rather than report a syntax error.
  private externalRoleBlock = this.RULE("externalRoleBlock", () => {
    this.CONSUME(T.External);
    this.CONSUME(T.Role);
    this.SUBRULE(this.name);
    this.MANY(() => this.SUBRULE(this.roleOption));
    this.OPTION(() => {
      this.CONSUME(T.LBrace);
      this.MANY2(() => this.SUBRULE(this.roleItem));
      this.CONSUME(T.RBrace);
    });
  });

  // roleOption = "login" | "connection_limit" INT | "valid_until" STRING | "host" name | roleAttribute | accountOption ;
  private roleOption = this.RULE("roleOption", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Login) },
      { ALT: () => this.SUBRULE(this.roleAttribute) },
      { ALT: () => this.SUBRULE(this.accountOption) },
      {
        ALT: () => {
          this.CONSUME(T.ConnectionLimit);
          this.CONSUME(T.Integer);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Host);
          this.SUBRULE(this.name);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.ValidUntil);
          this.CONSUME(T.StringLiteral);
        },
      },
    ]);
  });

  // accountOption = "require_ssl" | "require_x509"
  //               | ( "require_issuer" | "require_subject" | "require_cipher" ) STRING
  //               | ( "max_queries_per_hour" | "max_updates_per_hour" | "max_connections_per_hour" | "password_lifetime" ) INT ;
  private accountFlagAlternatives?: { ALT: () => unknown }[];
  private accountTextAlternatives?: { ALT: () => unknown }[];
  private accountNumberAlternatives?: { ALT: () => unknown }[];
  private accountOption = this.RULE("accountOption", () => {
    this.OR([
      { ALT: () => this.OR1((this.accountFlagAlternatives ??= T.accountFlagTokens.map((token) => ({ ALT: () => this.CONSUME(token) })))) },
      {
        ALT: () => {
          this.OR2((this.accountTextAlternatives ??= T.accountTextTokens.map((token) => ({ ALT: () => this.CONSUME1(token) }))));
          this.CONSUME(T.StringLiteral);
        },
      },
      {
        ALT: () => {
          this.OR3((this.accountNumberAlternatives ??= T.accountNumberTokens.map((token) => ({ ALT: () => this.CONSUME2(token) }))));
          this.CONSUME(T.Integer);
        },
      },
    ]);
  });

  // roleAttribute = "createdb" | "createrole" | "bypassrls" | "replication" | "superuser" ;
  private roleAttributeAlternatives?: { ALT: () => unknown }[];
  private roleAttribute = this.RULE("roleAttribute", () => {
    this.OR((this.roleAttributeAlternatives ??= T.roleAttributeTokens.map((token) => ({ ALT: () => this.CONSUME(token) }))));
  });

  // roleItem = "member" "of" name { "," name } | setting | grant ;
  private roleItem = this.RULE("roleItem", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.membership) },
      { ALT: () => this.SUBRULE(this.setting) },
      { ALT: () => this.SUBRULE(this.grant) },
    ]);
  });

  // membership = "member" "of" name { "," name } [ "with" "admin" "option" ] ;
  private membership = this.RULE("membership", () => {
    this.CONSUME(T.Member);
    this.CONSUME(T.Of);
    this.SUBRULE(this.name);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.name);
    });
    this.OPTION(() => {
      this.CONSUME(T.With);
      this.CONSUME(T.Admin);
      this.CONSUME(T.OptionKeyword);
    });
  });

  // setting = "set" name [ "." name ] "=" settingValue { "," settingValue } [ "in" "database" ] ;
  private setting = this.RULE("setting", () => {
    this.CONSUME(T.SetKeyword);
    this.SUBRULE(this.name);
    this.OPTION(() => {
      this.CONSUME(T.Dot);
      this.SUBRULE2(this.name);
    });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.settingValue);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.settingValue);
    });
    // `in database`: for the database the program is applied to only (ALTER ROLE ... IN DATABASE).
    this.OPTION2(() => {
      this.CONSUME(T.In);
      this.CONSUME(T.Database);
    });
  });

  // settingValue = STRING | INT | name ;
  private settingValue = this.RULE("settingValue", () => {
    this.OR([{ ALT: () => this.CONSUME(T.StringLiteral) }, { ALT: () => this.CONSUME(T.Integer) }, { ALT: () => this.SUBRULE(this.name) }]);
  });

  // grant = privilege { "," privilege } "on"
  //         ( "database" | "server" | schemaTarget | futureTarget | objectRef [ signature ] [ "except" exclusion { "," exclusion } ] )
  //         [ "with" "grant" "option" ] ;
  private grant = this.RULE("grant", () => {
    this.SUBRULE(this.privilege);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.privilege);
    });
    this.CONSUME(T.On);
    this.SUBRULE(this.grantTarget);
    // Parsed after any target; the checker says where a grant option may be declared.
    this.OPTION(() => {
      this.CONSUME(T.With);
      this.CONSUME(T.GrantKeyword);
      this.CONSUME(T.OptionKeyword);
    });
  });

  // `schema sales` (the schema itself) against `schema.orders` (an object in a schema named
  // "schema"), `database` (the database the program is applied to) against `database.t`, and
  // `server` (the whole MySQL/MariaDB server) against `server.t`: the token after the keyword
  // tells them apart.
  private grantTarget = this.RULE("grantTarget", () => {
    this.OR([
      { GATE: () => this.LA(2).tokenType !== T.Dot, ALT: () => this.CONSUME(T.Database) },
      { GATE: () => this.LA(2).tokenType !== T.Dot, ALT: () => this.CONSUME(T.Server) },
      { ALT: () => this.SUBRULE(this.schemaTarget) },
      // `future tables ...` against `future.t` (an object in a schema named "future").
      { GATE: () => this.LA(2).tokenType !== T.Dot, ALT: () => this.SUBRULE(this.futureTarget) },
      {
        ALT: () => {
          this.SUBRULE(this.objectRef);
          // `schema.function(integer, text)`: the overload, by its argument types.
          this.OPTION2(() => this.SUBRULE(this.signature));
          this.OPTION(() => {
            this.CONSUME(T.Except);
            this.SUBRULE(this.exclusion);
            this.MANY(() => {
              this.CONSUME(T.Comma);
              this.SUBRULE2(this.exclusion);
            });
          });
        },
      },
    ]);
  });

  // futureTarget = "future" name [ "in" "schema" name ] "created" "by" name ;
  // Default privileges: what objects of a kind (a name the checker judges: tables, sequences,
  // functions, types, schemas) get when a role creates them, in one schema or in any.
  private futureTarget = this.RULE("futureTarget", () => {
    this.CONSUME(T.Future);
    this.SUBRULE(this.name);
    this.OPTION(() => {
      this.CONSUME(T.In);
      this.CONSUME(T.Schema);
      this.SUBRULE2(this.name);
    });
    this.CONSUME(T.Created);
    this.CONSUME(T.By);
    this.SUBRULE3(this.name);
  });

  // schemaTarget = "schema" name ;
  private schemaTarget = this.RULE("schemaTarget", () => {
    this.CONSUME(T.Schema);
    this.SUBRULE(this.name);
  });

  // privilege = verb [ "(" name { "," name } ")" ] ;
  private privilege = this.RULE("privilege", () => {
    this.SUBRULE(this.verb);
    this.OPTION(() => this.SUBRULE(this.nameList));
  });

  // The alternatives of the widest choice are built once: building 20-odd closures on every
  // call made parsing several times slower.
  private verbAlternatives?: { ALT: () => unknown }[];

  private verb = this.RULE("verb", () => {
    this.OR((this.verbAlternatives ??= T.verbTokens.map((token) => ({ ALT: () => this.CONSUME(token) }))));
  });

  // objectRef = name "." ( name | "*" ) ;
  private objectRef = this.RULE("objectRef", () => {
    this.SUBRULE(this.name);
    this.CONSUME(T.Dot);
    this.SUBRULE(this.objectTarget);
  });

  private objectTarget = this.RULE("objectTarget", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Star) }, { ALT: () => this.SUBRULE(this.name) }]);
  });

  // exclusion = name "." name [ "(" name { "," name } ")" ] ;
  private exclusion = this.RULE("exclusion", () => {
    this.SUBRULE(this.name);
    this.CONSUME(T.Dot);
    this.SUBRULE2(this.name);
    this.OPTION(() => this.SUBRULE(this.nameList));
  });

  // "(" name { "," name } ")" ; each name consumed here rather than through the name rule: a large
  // program's column lists hold most of its names, and a rule call costs more than the token.
  private nameList = this.RULE("nameList", () => {
    this.CONSUME(T.LParen);
    this.CONSUME(T.NameToken);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.CONSUME2(T.NameToken);
    });
    this.CONSUME(T.RParen);
  });

  // name = identifier | double-quoted identifier ; keywords are names wherever a name is expected.
  private name = this.RULE("name", () => {
    this.CONSUME(T.NameToken);
  });
}

/** One parser instance, reused for every file (`parser.input = tokens`), as Chevrotain recommends. */
export const rolesParser = new RolesParser();
/**
 * The same grammar without error recovery: it stops at the first error. Chevrotain's recovery
 * recurses once per error it resumes from, so a file with tens of thousands of errors (a
 * megabyte of garbage) would overflow the stack; such a file is read again with this parser.
 */
let strict: RolesParser | undefined;
export function strictRolesParser(): RolesParser {
  // Made when first needed: analysing a grammar costs each start some tens of milliseconds.
  return (strict ??= new RolesParser(false));
}
export type { CstNode };
