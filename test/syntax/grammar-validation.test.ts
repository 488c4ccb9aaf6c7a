import test from "ava";
import { makeRolesLexer, RolesParser } from "../../grammar/index.js";

// The parsers and the lexer rolec runs skip Chevrotain's checks of the grammar itself, which
// would cost every start most of the grammar's analysis time; these tests run them instead.
// Chevrotain throws from the constructor when a check fails (an ambiguous alternative, left
// recursion, a token pattern that can never match, ...).

test("the grammar passes Chevrotain's validations, with and without error recovery", (t) => {
  t.notThrows(() => new RolesParser(true, true));
  t.notThrows(() => new RolesParser(false, true));
});

test("the lexer's token patterns pass Chevrotain's validations and optimizations", (t) => {
  const lexer = makeRolesLexer(true);
  t.deepEqual(lexer.lexerDefinitionErrors, []);
  t.deepEqual(lexer.tokenize("schema s { table t (a) }").errors, []);
});
