import test from "ava";
import { splitSearchPath } from "../../src/proxy/search-path.js";
import { ResponseTracker } from "../../src/proxy/response-tracker.js";
import { checkStartup, StartupRefused } from "../../src/proxy/startup-parameters.js";
import { MessageReader, WireError, errorResponse, readErrorFields } from "../../src/proxy/wire.js";

// The proxy's parts that need no server: reading SHOW search_path, pairing answers with
// messages, the startup parameters let through, message framing.

test("SHOW search_path's value splits as the server splits it", (t) => {
  t.deepEqual(splitSearchPath('"$user", public'), ["$user", "public"]);
  t.deepEqual(splitSearchPath('"a b", "$user", public, "Ab"'), ["a b", "$user", "public", "Ab"]);
  t.deepEqual(splitSearchPath('""'), []);
  t.deepEqual(splitSearchPath(""), []);
  // An unquoted name is folded to lower case (ALTER ROLE ... SET search_path = 'Sales' keeps the text as written).
  t.deepEqual(splitSearchPath("Sales,Public"), ["sales", "public"]);
  t.deepEqual(splitSearchPath('"x""y", z'), ['x"y', "z"]);
  t.deepEqual(splitSearchPath('"a,b"'), ["a,b"]);
  t.is(splitSearchPath('"open'), undefined);
  t.is(splitSearchPath("a b"), undefined);
  t.is(splitSearchPath("a,,b"), undefined);
});

const Z = 0x5a, E = 0x45, C = 0x43, one = 0x31, two = 0x32, T = 0x54, n = 0x6e;

test("answers pair with messages: a simple query ends at ReadyForQuery, its errors and completions belong to it", (t) => {
  const tracker = new ResponseTracker();
  tracker.expect({ kind: "simple", denial: "no", completed: 0 });
  t.true(tracker.simpleQueryPending);
  t.like(tracker.onServerMessage(E), { kind: "simple", denial: "no" });
  t.like(tracker.onServerMessage(Z), { kind: "simple" });
  t.true(tracker.idle);
  t.false(tracker.simpleQueryPending);
});

test("after an error in an extended batch, the messages up to Sync get no answer, also those sent after the error arrived", (t) => {
  const tracker = new ResponseTracker();
  tracker.expect({ kind: "parse" });
  tracker.expect({ kind: "bind" });
  tracker.expect({ kind: "parse", denial: "denied" });
  tracker.expect({ kind: "bind" });
  t.like(tracker.onServerMessage(one), { kind: "parse" });
  t.like(tracker.onServerMessage(two), { kind: "bind" });
  t.like(tracker.onServerMessage(E), { kind: "parse", denial: "denied" });
  // Sent after the error: the server skips them.
  tracker.expect({ kind: "execute" });
  tracker.expect({ kind: "describe" });
  tracker.expect({ kind: "sync" });
  tracker.expect({ kind: "parse", denial: "second" });
  tracker.expect({ kind: "sync" });
  t.like(tracker.onServerMessage(Z), { kind: "sync" });
  t.like(tracker.onServerMessage(E), { kind: "parse", denial: "second" });
  t.like(tracker.onServerMessage(Z), { kind: "sync" });
  t.true(tracker.idle);
});

test("a Describe ends with its RowDescription or NoData, an Execute with CommandComplete; rows in between answer nothing", (t) => {
  const tracker = new ResponseTracker();
  tracker.expect({ kind: "describe" });
  tracker.expect({ kind: "execute" });
  tracker.expect({ kind: "describe" });
  tracker.expect({ kind: "sync" });
  t.is(tracker.onServerMessage(0x74), undefined); // ParameterDescription: the Describe goes on
  t.like(tracker.onServerMessage(T), { kind: "describe" });
  t.is(tracker.onServerMessage(0x44), undefined); // DataRow
  t.like(tracker.onServerMessage(C), { kind: "execute" });
  t.like(tracker.onServerMessage(n), { kind: "describe" });
  t.like(tracker.onServerMessage(Z), { kind: "sync" });
  t.true(tracker.idle);
});

test("startup: only the formatting parameters pass; options, settings and other encodings are refused", (t) => {
  const ok = checkStartup(new Map([["user", "app"], ["database", "shop"], ["application_name", "psql"], ["client_encoding", "UTF8"], ["DateStyle", "ISO"]]));
  t.is(ok.role, "app");
  t.is(ok.database, "shop");
  t.deepEqual([...ok.parameters.keys()], ["application_name", "DateStyle"]);
  t.is(checkStartup(new Map([["user", "app"]])).database, "app");
  const refused = (pairs: [string, string][]) => t.throws(() => checkStartup(new Map(pairs)), { instanceOf: StartupRefused });
  refused([["user", "app"], ["options", "-c role=postgres"]]);
  refused([["user", "app"], ["search_path", "evil"]]);
  refused([["user", "app"], ["Search_Path", "evil"]]);
  refused([["user", "app"], ["session_replication_role", "replica"]]);
  refused([["user", "app"], ["role", "postgres"]]);
  refused([["user", "app"], ["replication", "database"]]);
  refused([["user", "app"], ["client_encoding", "SJIS"]]);
  refused([["user", "app"], ["client_encoding", "LATIN1"]]);
  refused([["database", "x"]]);
  t.deepEqual(checkStartup(new Map([["user", "app"], ["_pq_.compression", "on"]])).protocolOptions, ["_pq_.compression"]);
});

test("framing: a message is handed out only whole, across chunks of any size; a bad length is a protocol error", (t) => {
  const reader = new MessageReader(1024);
  const bytes = Buffer.concat([errorResponse({ severity: "ERROR", code: "42501", message: "no\u0000t this" }), Buffer.from([0x5a, 0, 0, 0, 5, 0x49])]);
  const seen: number[] = [];
  for (const byte of bytes) {
    reader.push(Buffer.from([byte]));
    for (let m = reader.next(); m; m = reader.next()) {
      seen.push(m.type);
      if (m.type === E) t.deepEqual(Object.fromEntries(readErrorFields(m.body)), { S: "ERROR", V: "ERROR", C: "42501", M: "no\uFFFDt this" });
    }
  }
  t.deepEqual(seen, [E, Z]);
  const bad = new MessageReader(1024);
  bad.push(Buffer.from([0x51, 0, 0, 0, 2]));
  t.throws(() => bad.next(), { instanceOf: WireError });
  const big = new MessageReader(1024);
  big.push(Buffer.from([0x51, 0, 0, 0x10, 0]));
  t.throws(() => big.next(), { instanceOf: WireError, message: /longer than/ });
});
