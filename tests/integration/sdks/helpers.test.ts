// The hand-written helpers of @darca/sdk, without a server: run by test_journeys.py with `node --test`.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  collect, DarcaHttpError, DarcaProblemError, isKnownProblemCode, paginate, unwrap, withIdempotencyKey,
  type ProblemDocument,
} from "@darca/sdk";

function problem(status: number, code: string): ProblemDocument {
  return { type: `http://127.0.0.1:8000/docs/errors#${code}`, title: code, status, code };
}

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  const response = new Response(JSON.stringify(body), { status, headers });
  return Promise.resolve(status < 400 ? { data: body, response } : { error: body, response });
}

test("paginate follows next_cursor until has_more is false", async () => {
  const pages = new Map<string | undefined, { data: number[]; has_more: boolean; next_cursor?: string }>([
    [undefined, { data: [1, 2], has_more: true, next_cursor: "c1" }],
    ["c1", { data: [3], has_more: true, next_cursor: "c2" }],
    ["c2", { data: [4], has_more: false }],
  ]);
  const asked: (string | undefined)[] = [];
  const items = await collect(paginate(async (cursor) => { asked.push(cursor); return pages.get(cursor)!; }));
  assert.deepEqual(items, [1, 2, 3, 4]);
  assert.deepEqual(asked, [undefined, "c1", "c2"]);
  assert.deepEqual(await collect(paginate(async (cursor) => pages.get(cursor)!), 3), [1, 2, 3]);
});

test("unwrap gives the data, or throws the problem typed", async () => {
  assert.deepEqual(await unwrap(answer(200, { ok: 1 })), { ok: 1 });
  const refused = await unwrap(answer(429, problem(429, "TOO_MANY_ATTEMPTS"), { "Retry-After": "7" })).catch((e) => e);
  assert.ok(refused instanceof DarcaProblemError);
  assert.equal(refused.code, "TOO_MANY_ATTEMPTS");
  assert.equal(refused.retryAfter, 7);
  assert.ok(refused.is("TOO_MANY_ATTEMPTS") && !refused.is("INVALID_CREDENTIALS"));
  const proxied = await unwrap(answer(502, "<html>bad gateway</html>")).catch((e) => e);
  assert.ok(proxied instanceof DarcaHttpError && proxied.status === 502);
  assert.ok(isKnownProblemCode("INVALID_CREDENTIALS") && !isKnownProblemCode("NO_SUCH_CODE"));
});

test("withIdempotencyKey retries with the same key only when a retry may cure the failure", async () => {
  const keys: string[] = [];
  const result = await withIdempotencyKey(async (key) => {
    keys.push(key);
    if (keys.length === 1) return unwrap(answer(409, problem(409, "IDEMPOTENCY_KEY_IN_USE")));
    if (keys.length === 2) throw new TypeError("fetch failed");
    return "created";
  }, { backoffMs: 1 });
  assert.equal(result, "created");
  assert.equal(keys.length, 3);
  assert.equal(new Set(keys).size, 1);

  let attempts = 0;
  const invalid = await withIdempotencyKey(async () => {
    attempts += 1;
    return unwrap(answer(422, problem(422, "VALIDATION_FAILED")));
  }, { backoffMs: 1 }).catch((e) => e);
  assert.ok(invalid instanceof DarcaProblemError && invalid.code === "VALIDATION_FAILED");
  assert.equal(attempts, 1);
});
