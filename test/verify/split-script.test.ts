import test from "ava";
import { splitMysqlScript } from "../../src/engine/mysql/index.js";

// The MySQL script is run statement by statement as the mysql client would split it; these are
// the cases where a naive split on ";" goes wrong.

test("semicolons inside quotes, backticks and comments do not end a statement", (t) => {
  const statements = splitMysqlScript(
    "SELECT 'a;b', \"c;d\", `e;f``g`; -- a comment; still a comment\nSELECT 'it''s; fine', 'back\\\\'; /* x; y */ SELECT 1 # z;\n;",
  );
  t.deepEqual(
    statements.map((s) => s.sql),
    ["SELECT 'a;b', \"c;d\", `e;f``g`", "-- a comment; still a comment\nSELECT 'it''s; fine', 'back\\\\'", "/* x; y */ SELECT 1 # z;"],
  );
});

test("DELIMITER changes the terminator, also after comment lines, and statements keep their line numbers", (t) => {
  const script = [
    "SET @a = 1;",
    "-- procedures follow",
    "DELIMITER //",
    "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END //",
    "",
    "DELIMITER ;",
    "CALL p();",
  ].join("\n");
  const statements = splitMysqlScript(script);
  t.deepEqual(
    statements.map((s) => [s.line, s.sql]),
    [
      [1, "SET @a = 1"],
      [4, "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END"],
      [7, "CALL p()"],
    ],
  );
});

test("a file of comments only has no statements, and DELIMITER without a value is an error", (t) => {
  t.deepEqual(splitMysqlScript("-- nothing\n/* at all */\n# here\n"), []);
  t.throws(() => splitMysqlScript("DELIMITER \n"), { message: /DELIMITER needs a value/ });
});
