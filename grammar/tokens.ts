import { createToken, Lexer, type ILexingResult, type IToken, type TokenType } from "chevrotain";

/**
 * What a name may be: an identifier, a quoted name, or any keyword (keywords are reserved only
 * where the grammar expects them). A token category, so that the parser matches a name with one
 * comparison instead of choosing among a hundred alternatives, 200,000 times in a large program.
 */
export const NameToken = createToken({ name: "Name", pattern: Lexer.NA, label: "a name" });
// Names come first so that keywords can name it as their longer alternative: `tables` is a name, `table` a keyword.
export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_$]*/, categories: [NameToken] });
// A double-quoted name; `""` inside stands for one quote. Any other character, newlines included, is kept.
export const QuotedIdentifier = createToken({ name: "QuotedIdentifier", pattern: /"(?:[^"]|"")*"/, line_breaks: true, categories: [NameToken] });
export const UnterminatedQuotedIdentifier = createToken({ name: "UnterminatedQuotedIdentifier", pattern: /"(?:[^"]|"")*/, line_breaks: true });
export const Integer = createToken({ name: "Integer", pattern: /-?[0-9]+/ });
/** A setting's value: single quotes, a quote inside doubled, as in SQL. */
export const StringLiteral = createToken({ name: "StringLiteral", pattern: /'(?:[^']|'')*'/, line_breaks: true, label: "a 'quoted value'" });
export const UnterminatedStringLiteral = createToken({ name: "UnterminatedStringLiteral", pattern: /'(?:[^']|'')*/, line_breaks: true });

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED, line_breaks: true });
// Comments are kept in their own groups: the formatter puts them back, and `///` documents the next role or object.
export const DocComment = createToken({ name: "DocComment", pattern: /\/\/\/[^\n\r]*/, group: "comments" });
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\n\r]*/, group: "comments" });
export const BlockComment = createToken({ name: "BlockComment", pattern: /\/\*[\s\S]*?\*\//, group: "comments", line_breaks: true });
export const UnterminatedBlockComment = createToken({ name: "UnterminatedBlockComment", pattern: /\/\*[\s\S]*/, line_breaks: true });

export const LBrace = createToken({ name: "LBrace", pattern: "{", label: "'{'" });
export const RBrace = createToken({ name: "RBrace", pattern: "}", label: "'}'" });
export const LParen = createToken({ name: "LParen", pattern: "(", label: "'('" });
export const RParen = createToken({ name: "RParen", pattern: ")", label: "')'" });
export const Comma = createToken({ name: "Comma", pattern: ",", label: "','" });
export const Dot = createToken({ name: "Dot", pattern: ".", label: "'.'" });
export const Star = createToken({ name: "Star", pattern: "*", label: "'*'" });
export const Equals = createToken({ name: "Equals", pattern: "=", label: "'='" });
/** After an argument type: `text[]` is an array of text (PostgreSQL keeps one array type whatever the dimensions). */
export const ArraySuffix = createToken({ name: "ArraySuffix", pattern: "[]", label: "'[]'" });

/** Each keyword's token type by its word (keywords are case-sensitive: `Table` is a name). */
const keywordByWord = new Map<string, TokenType>();

// A keyword has no pattern of its own: the lexer reads it as an Identifier and tokenizeRoles looks the word up.
function keyword(word: string): TokenType {
  const token = createToken({ name: `Kw_${word}`, pattern: Lexer.NA, label: `'${word}'`, categories: [NameToken] });
  keywordByWord.set(word, token);
  return token;
}

export const Schema = keyword("schema");
export const Database = keyword("database");
export const Table = keyword("table");
export const View = keyword("view");
export const Sequence = keyword("sequence");
export const FunctionKeyword = keyword("function");
export const Procedure = keyword("procedure");
export const TypeKeyword = keyword("type");
export const Domain = keyword("domain");
export const AppendOnly = keyword("append_only");
export const Sensitive = keyword("sensitive");
export const Role = keyword("role");
export const External = keyword("external");
export const Public = keyword("public");
export const Login = keyword("login");
export const ConnectionLimit = keyword("connection_limit");
export const ValidUntil = keyword("valid_until");
export const Host = keyword("host");
/** MySQL/MariaDB account options of a login role: what its connections and password must be. */
export const accountFlagNames = ["require_ssl", "require_x509"] as const;
export const accountTextNames = ["require_issuer", "require_subject", "require_cipher"] as const;
export const accountNumberNames = ["max_queries_per_hour", "max_updates_per_hour", "max_connections_per_hour", "password_lifetime"] as const;
export type AccountOptionName = (typeof accountFlagNames)[number] | (typeof accountTextNames)[number] | (typeof accountNumberNames)[number];
export const accountFlagTokens: readonly TokenType[] = accountFlagNames.map(keyword);
export const accountTextTokens: readonly TokenType[] = accountTextNames.map(keyword);
export const accountNumberTokens: readonly TokenType[] = accountNumberNames.map(keyword);
/** `process on server`: the whole MySQL/MariaDB server (`*.*`). */
export const Server = keyword("server");
/**
 * Role attributes PostgreSQL has; `superuser` is a keyword only so that the checker can refuse it
 * in words. `noinherit`: the role does not use what the roles it is a member of hold (only after SET ROLE).
 */
export const roleAttributeNames = ["createdb", "createrole", "bypassrls", "replication", "superuser", "noinherit"] as const;
export type RoleAttributeName = (typeof roleAttributeNames)[number];
export const roleAttributeTokens: readonly TokenType[] = roleAttributeNames.map(keyword);
export const Member = keyword("member");
export const Of = keyword("of");
export const On = keyword("on");
export const Except = keyword("except");
export const Partitions = keyword("partitions");
export const Foreign = keyword("foreign");
export const Key = keyword("key");
export const Cascade = keyword("cascade");
export const Restrict = keyword("restrict");
export const SetKeyword = keyword("set");
export const In = keyword("in");
export const Null = keyword("null");
export const Default = keyword("default");
export const No = keyword("no");
export const Action = keyword("action");
/** Default privileges: `select on future tables in schema app created by migrator`. */
export const Future = keyword("future");
export const Created = keyword("created");
export const By = keyword("by");
/** `member of ops with admin option`: the member may grant the role to others. */
export const With = keyword("with");
export const Admin = keyword("admin");
export const OptionKeyword = keyword("option");
/** `select on app.orders with grant option`: the grantee may grant the privilege to others. */
export const GrantKeyword = keyword("grant");

/**
 * Every verb the language parses: the object verbs, `execute` (functions and procedures), `create`
 * (schemas and the database), `connect` and `temporary` (the database), the MySQL/MariaDB server's
 * own (`process, replication_client on server`) and `all`.
 */
export const verbNames = [
  "select", "insert", "update", "delete", "truncate", "references", "trigger", "usage", "execute", "create", "connect", "temporary",
  "process", "replication_client", "replication_slave", "show_databases", "all",
] as const;
export type VerbName = (typeof verbNames)[number];
export const verbTokens: readonly TokenType[] = verbNames.map(keyword);
const verbToken = (verb: VerbName) => verbTokens[verbNames.indexOf(verb)]!;
export const Update = verbToken("update");
export const Delete = verbToken("delete");
export const References = verbToken("references");

/** Keywords are reserved only where the grammar expects them; anywhere a name is expected they are names. */
export const keywordTokens: readonly TokenType[] = [
  Schema, Database, Table, View, Sequence, FunctionKeyword, Procedure, TypeKeyword, Domain, AppendOnly, Sensitive, Role, External, Public, Login, ConnectionLimit, ValidUntil, Host, ...accountFlagTokens, ...accountTextTokens, ...accountNumberTokens, Server, ...roleAttributeTokens, Member, Of, On, Except, Partitions,
  Foreign, Key, Cascade, Restrict, SetKeyword, Null, Default, No, Action, Future, With, Admin, OptionKeyword, GrantKeyword, Created,
  ...verbTokens, In, By,
];

export const allTokens: TokenType[] = [
  NameToken,
  WhiteSpace,
  DocComment,
  LineComment,
  BlockComment,
  UnterminatedBlockComment,
  QuotedIdentifier,
  UnterminatedQuotedIdentifier,
  StringLiteral,
  UnterminatedStringLiteral,
  LBrace, RBrace, LParen, RParen, Comma, Dot, Star, Equals, ArraySuffix,
  Integer,
  ...keywordTokens,
  Identifier,
];

// Offsets only, which makes each of a large file's tokens smaller: the AST computes lines and
// columns (src/syntax/source.ts's LineIndex) from them.
// Keywords are not among the lexer's patterns: every word lexes as an Identifier, and
// tokenizeRoles then looks the whole word up among the keywords. That is what the keyword
// patterns with their longer alternative did (a keyword is a whole word: `tables` and `in_stock`
// are names), at one lookup per word instead of trying each keyword that shares its first letter.
// The patterns are validated by a test (makeRolesLexer(true)), not on every start.
const lexerTokens: TokenType[] = allTokens.filter((token) => token.PATTERN !== Lexer.NA);

export function makeRolesLexer(validate = false): Lexer {
  return new Lexer(lexerTokens, { ensureOptimizations: true, positionTracking: "onlyOffset", skipValidations: !validate });
}
export const rolesLexer = makeRolesLexer();

/**
 * Lexes a text: the lexer's tokens, each given its end offset (inclusive: the parser's node
 * locations are made from them) and each word that is a keyword given the keyword's type.
 */
export function tokenizeRoles(text: string, lexer: Lexer = rolesLexer): ILexingResult {
  const lexed = lexer.tokenize(text);
  for (const token of lexed.tokens) {
    token.endOffset = token.startOffset + token.image.length - 1;
    if (token.tokenType !== Identifier) continue;
    const keyword = keywordByWord.get(token.image);
    if (keyword === undefined) continue;
    token.tokenType = keyword;
    token.tokenTypeIdx = keyword.tokenTypeIdx!;
  }
  return lexed;
}

/** The offset just past a token's last character. */
export function tokenEnd(token: IToken): number {
  return token.startOffset + token.image.length;
}
