// The customer journey through @darca/sdk alone, one function per step: run by test_journeys.py with node
// against a live server as `node journey.js BASE_URL`. Verification codes come from the harness: the program
// prints `CODE? CHANNEL RECIPIENT` and reads the code from stdin (the sandbox has no message API yet; when
// it has, readCode becomes one SDK call). The last line printed is `RESULT {json}`.
import { createInterface } from "node:readline";
import {
  collect, createDarcaClient, DarcaProblemError, idempotencyHeader, paginate, unwrap, withIdempotencyKey,
  type DarcaClient, type schemas,
} from "@darca/sdk";

const baseUrl = process.argv[2] ?? "http://127.0.0.1:8000";
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

interface Person { email: string; phone: string; password: string }

async function readCode(channel: "EMAIL" | "SMS", recipient: string): Promise<string> {
  process.stdout.write(`CODE? ${channel} ${recipient}\n`);
  const answer = await lines.next();
  if (answer.done === true) throw new Error("no verification code from the harness");
  return answer.value.trim();
}

async function register(api: DarcaClient, person: Person): Promise<schemas.User> {
  const body: schemas.UserRegistration = {
    email: person.email, phone: person.phone, password: person.password, display_name: "Journey Person", country: "GB",
  };
  return withIdempotencyKey((key) => unwrap(api.POST("/v1/users", { body, params: { header: idempotencyHeader(key) } })));
}

async function verify(api: DarcaClient, user: schemas.User, channel: schemas.VerificationChannel, recipient: string): Promise<schemas.User> {
  const path = { user_id: user.id };
  await unwrap(api.POST("/v1/users/{user_id}/verifications", { params: { path }, body: { channel } }));
  const code = await readCode(channel, recipient); // the verification channel is the notification channel
  return unwrap(api.POST("/v1/users/{user_id}/verifications/confirm", { params: { path }, body: { channel, code } }));
}

async function refusedWithWrongPassword(api: DarcaClient, person: Person): Promise<string> {
  try {
    await unwrap(api.POST("/v1/sessions", { body: { identifier: person.email, password: `${person.password}-wrong` } }));
  } catch (error) {
    if (error instanceof DarcaProblemError && error.is("INVALID_CREDENTIALS")) return error.code;
    throw error;
  }
  throw new Error("a wrong password was accepted");
}

async function logIn(api: DarcaClient, person: Person): Promise<schemas.TokenPair> {
  return unwrap(api.POST("/v1/sessions", { body: { identifier: person.email, password: person.password } }));
}

async function loggedOut(api: DarcaClient): Promise<void> {
  await unwrap(api.DELETE("/v1/sessions")); // an answer without a body: unwrap gives undefined
}

async function assets(api: DarcaClient): Promise<schemas.Asset[]> {
  // two a page, so the iterator follows cursors
  return collect(paginate((cursor) =>
    unwrap(api.GET("/v1/assets", { params: { query: { limit: 2, ...(cursor !== undefined ? { cursor } : {}) } } }))));
}

async function accounts(api: DarcaClient): Promise<schemas.LedgerAccount[]> {
  return collect(paginate((cursor) =>
    unwrap(api.GET("/v1/ledger/accounts", { params: { query: { limit: 50, ...(cursor !== undefined ? { cursor } : {}) } } }))));
}

async function wholeUnits(api: DarcaClient, asset: string, units: number): Promise<string> {
  const { scale } = await unwrap(api.GET("/v1/assets/{code}", { params: { path: { code: asset } } }));
  return scale === 0 ? `${units}` : `${units}.${"0".repeat(scale)}`; // amounts carry exactly the asset's scale
}

async function topUp(api: DarcaClient, account: schemas.LedgerAccount, amount: string): Promise<schemas.LedgerTransaction> {
  const body = { account_id: account.id, amount: { amount, asset: account.asset } };
  return withIdempotencyKey((key) => unwrap(api.POST("/v1/sandbox/top-ups", { body, params: { header: idempotencyHeader(key) } })));
}

async function balance(api: DarcaClient, account: schemas.LedgerAccount): Promise<schemas.LedgerBalance> {
  return unwrap(api.GET("/v1/ledger/accounts/{account_id}/balance", { params: { path: { account_id: account.id } } }));
}

async function history(api: DarcaClient, account: schemas.LedgerAccount): Promise<schemas.LedgerEntry[]> {
  return collect(paginate((cursor) => unwrap(api.GET("/v1/ledger/accounts/{account_id}/entries", {
    params: { path: { account_id: account.id }, query: { limit: 50, ...(cursor !== undefined ? { cursor } : {}) } },
  }))));
}

async function main(): Promise<void> {
  const tag = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
  const person: Person = {
    email: `ts-journey-${tag}@example.com`, phone: `+4420794610${tag.slice(-2)}`, password: "amber-quarry-lantern-71",
  };
  const anonymous = createDarcaClient({ baseUrl });
  const registered = await register(anonymous, person);
  await verify(anonymous, registered, "EMAIL", person.email);
  const active = await verify(anonymous, registered, "SMS", registered.phone);
  const refusal = await refusedWithWrongPassword(anonymous, person);
  const tokens = await logIn(anonymous, person);
  const api = createDarcaClient({ baseUrl, accessToken: tokens.access_token });
  const assetCodes = (await assets(api)).map((asset) => asset.code);
  const wallets = await accounts(api);
  const wallet = wallets.find((account) => account.asset === "EUR") ?? wallets[0];
  let funded: { amount: string; balance: string; entries: number } | null = null;
  if (wallet !== undefined) { // a customer has wallets once the API opens them; until then there is nothing to top up
    const amount = await wholeUnits(api, wallet.asset, 25);
    await topUp(api, wallet, amount);
    funded = { amount, balance: (await balance(api, wallet)).available.amount, entries: (await history(api, wallet)).length };
  }
  await loggedOut(api);
  const result = {
    user_id: registered.id, registered_status: registered.status, status: active.status, refusal,
    token_type: tokens.token_type, assets: assetCodes, accounts: wallets.length, funded, logged_out: true,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
