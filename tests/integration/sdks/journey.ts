// The customer journey through @darca/sdk and the public API alone, one function per step: run by
// test_journeys.py with node against a live SANDBOX server as `node journey.js BASE_URL`. One-time codes are
// read back from the sandbox's messages (`GET /v1/sandbox/messages`), as any automated client reads them.
// The last line printed is `RESULT {json}`, which the harness checks.
import {
  collect, createDarcaClient, DarcaProblemError, idempotencyHeader, paginate, unwrap, withIdempotencyKey,
  type DarcaClient, type KnownProblemCode, type schemas,
} from "@darca/sdk";

const baseUrl = process.argv[2] ?? "http://127.0.0.1:8000";

interface Person { email: string; phone: string; password: string; device: string }

/** The templates of the messages that carry a one-time code. */
type CodeTemplate = "identity.verification_code" | "identity.password_reset_code";

interface PendingVerification { userId: string; unverifiedChannels: schemas.VerificationChannel[] }

/** The `cursor` query member of a list call: absent on the first page. */
function from(cursor: string | undefined): { cursor?: string } {
  return cursor !== undefined ? { cursor } : {};
}

/** The problem `code` an awaited call must fail with, as the typed error; anything else is thrown on. */
async function refused<C extends KnownProblemCode>(code: C, call: Promise<unknown>): Promise<DarcaProblemError & { code: C }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof DarcaProblemError && error.is(code)) return error;
    throw error;
  }
  throw new Error(`expected the problem ${code}, the call succeeded`);
}

function isVerificationChannel(value: unknown): value is schemas.VerificationChannel {
  return value === "EMAIL" || value === "SMS";
}

function isVerificationChannelList(value: unknown): value is schemas.VerificationChannel[] {
  return Array.isArray(value) && (value as unknown[]).every(isVerificationChannel);
}

async function register(api: DarcaClient, person: Person): Promise<schemas.User> {
  const body: schemas.UserRegistration = {
    email: person.email, phone: person.phone, password: person.password, display_name: "Journey Person", country: "GB",
  };
  return withIdempotencyKey((key) => unwrap(api.POST("/v1/users", { body, params: { header: idempotencyHeader(key) } })));
}

async function logIn(api: DarcaClient, person: Person, password: string): Promise<schemas.TokenPair> {
  // always the same device: the first one a user logs in from is their enrolment device (no step-up for being new)
  const header = { "X-Device-Id": person.device, "X-Device-Name": "Journey laptop" };
  return unwrap(api.POST("/v1/sessions", { body: { identifier: person.email, password }, params: { header } }));
}

async function logInBeforeVerifying(api: DarcaClient, person: Person): Promise<PendingVerification> {
  const { problem } = await refused("VERIFICATION_PENDING", logIn(api, person, person.password));
  const userId = problem["user_id"];
  const unverifiedChannels = problem["unverified_channels"];
  if (typeof userId !== "string" || !isVerificationChannelList(unverifiedChannels)) {
    throw new Error(`VERIFICATION_PENDING without user_id and unverified_channels: ${JSON.stringify(problem)}`);
  }
  return { userId, unverifiedChannels };
}

async function sandboxCode(api: DarcaClient, channel: schemas.SandboxMessageChannel, recipient: string,
                           template: CodeTemplate): Promise<string> {
  // newest first: the first message of the template is the one just sent
  const messages = paginate((cursor) => unwrap(api.GET("/v1/sandbox/messages", {
    params: { query: { recipient, channel, limit: 5, ...from(cursor) } },
  })));
  for await (const message of messages) {
    if (message.event_type === template && message.code !== undefined) return message.code;
  }
  throw new Error(`no ${template} ${channel} to ${recipient} in the sandbox`);
}

async function verify(api: DarcaClient, userId: string, channel: schemas.VerificationChannel, recipient: string): Promise<schemas.User> {
  const path = { user_id: userId };
  await unwrap(api.POST("/v1/users/{user_id}/verifications", { params: { path }, body: { channel } }));
  const code = await sandboxCode(api, channel, recipient, "identity.verification_code"); // the verification channel is the message channel
  return unwrap(api.POST("/v1/users/{user_id}/verifications/confirm", { params: { path }, body: { channel, code } }));
}

async function profile(api: DarcaClient): Promise<schemas.Profile> {
  return unwrap(api.GET("/v1/me"));
}

async function assets(api: DarcaClient): Promise<schemas.Asset[]> {
  // two a page, so the iterator follows cursors
  return collect(paginate((cursor) => unwrap(api.GET("/v1/assets", { params: { query: { limit: 2, ...from(cursor) } } }))));
}

async function wallets(api: DarcaClient): Promise<schemas.LedgerAccount[]> {
  return collect(paginate((cursor) => unwrap(api.GET("/v1/wallets", { params: { query: { limit: 50, ...from(cursor) } } }))));
}

function assetWithoutWallet(registry: schemas.Asset[], held: schemas.LedgerAccount[]): schemas.Asset {
  const codes = new Set(held.map((wallet) => wallet.asset));
  const asset = registry.find((candidate) => candidate.status === "ACTIVE" && !codes.has(candidate.code));
  if (asset === undefined) throw new Error("every active asset already has a wallet");
  return asset;
}

async function openWallet(api: DarcaClient, asset: schemas.Asset): Promise<schemas.LedgerAccount> {
  return withIdempotencyKey((key) =>
    unwrap(api.POST("/v1/wallets", { body: { asset: asset.code }, params: { header: idempotencyHeader(key) } })));
}

function wholeUnits(asset: schemas.Asset, units: number): string {
  return asset.scale === 0 ? `${units}` : `${units}.${"0".repeat(asset.scale)}`; // amounts carry exactly the asset's scale
}

async function topUp(api: DarcaClient, wallet: schemas.LedgerAccount, amount: string): Promise<schemas.LedgerTransaction> {
  const body: schemas.SandboxTopUpCreate = { account_id: wallet.id, amount: { amount, asset: wallet.asset } };
  return withIdempotencyKey((key) => unwrap(api.POST("/v1/sandbox/top-ups", { body, params: { header: idempotencyHeader(key) } })));
}

async function balance(api: DarcaClient, wallet: schemas.LedgerAccount): Promise<schemas.LedgerBalance> {
  return unwrap(api.GET("/v1/ledger/accounts/{account_id}/balance", { params: { path: { account_id: wallet.id } } }));
}

async function history(api: DarcaClient, wallet: schemas.LedgerAccount): Promise<schemas.LedgerEntry[]> {
  // one entry a page, so the iterator follows cursors
  return collect(paginate((cursor) => unwrap(api.GET("/v1/ledger/accounts/{account_id}/entries", {
    params: { path: { account_id: wallet.id }, query: { limit: 1, ...from(cursor) } },
  }))));
}

async function statement(api: DarcaClient, wallet: schemas.LedgerAccount, start: Date, end: Date): Promise<schemas.LedgerStatement> {
  return unwrap(api.GET("/v1/ledger/accounts/{account_id}/statement", {
    params: { path: { account_id: wallet.id }, query: { start: start.toISOString(), end: end.toISOString(), limit: 50 } },
  }));
}

async function changePassword(api: DarcaClient, current: string, next: string): Promise<void> {
  // from the enrolment device: no step-up (a new, untrusted device would get STEP_UP_REQUIRED)
  const body: schemas.PasswordChange = { current_password: current, new_password: next };
  await withIdempotencyKey((key) => unwrap(api.POST("/v1/me/password", { body, params: { header: idempotencyHeader(key) } })));
}

async function requestPasswordReset(api: DarcaClient, person: Person): Promise<schemas.PasswordResetAccepted> {
  const body: schemas.PasswordResetRequest = { email: person.email };
  return withIdempotencyKey((key) => unwrap(api.POST("/v1/password-resets", { body, params: { header: idempotencyHeader(key) } })));
}

async function confirmPasswordReset(api: DarcaClient, person: Person, next: string): Promise<void> {
  const code = await sandboxCode(api, "EMAIL", person.email, "identity.password_reset_code");
  const body: schemas.PasswordResetConfirmation = { email: person.email, code, new_password: next };
  await withIdempotencyKey((key) =>
    unwrap(api.POST("/v1/password-resets/confirm", { body, params: { header: idempotencyHeader(key) } })));
}

async function logOut(api: DarcaClient): Promise<void> {
  await unwrap(api.DELETE("/v1/sessions")); // an answer without a body: unwrap gives undefined
}

async function main(): Promise<void> {
  const tag = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
  const person: Person = { // a sandbox phone number: 555-0100 to 555-0199 reach nobody
    email: `ts-journey-${tag}@example.com`, phone: `+1202555${(100 + Math.floor(Math.random() * 100)).toString().padStart(4, "0")}`,
    password: "amber-quarry-lantern-71", device: `ts-journey-${tag}`,
  };
  const changedPassword = "copper-meadow-sailing-77";
  const resetPassword = "violet-harbour-orchard-19";
  const anonymous = createDarcaClient({ baseUrl });

  const registered = await register(anonymous, person);
  const pending = await logInBeforeVerifying(anonymous, person);
  await verify(anonymous, pending.userId, "EMAIL", person.email);
  const active = await verify(anonymous, pending.userId, "SMS", registered.phone);

  const tokens = await logIn(anonymous, person, person.password);
  const api = createDarcaClient({ baseUrl, accessToken: tokens.access_token });
  const me = await profile(api);
  const registry = await assets(api);
  const defaults = await wallets(api);
  const asset = assetWithoutWallet(registry, defaults);
  const opened = await openWallet(api, asset);
  const held = await wallets(api);

  const start = new Date(Date.now() - 60_000);
  const amounts = [wholeUnits(asset, 25), wholeUnits(asset, 15)];
  for (const amount of amounts) await topUp(api, opened, amount);
  const end = new Date(Date.now() + 60_000);
  const funded = await balance(api, opened);
  const entries = await history(api, opened);
  const period = await statement(api, opened, start, end);

  await changePassword(api, person.password, changedPassword);
  const oldPassword = await refused("INVALID_CREDENTIALS", logIn(anonymous, person, person.password));
  const reset = await requestPasswordReset(anonymous, person);
  await confirmPasswordReset(anonymous, person, resetPassword);
  const revoked = await refused("UNAUTHENTICATED", profile(api)); // the reset ended every session
  const again = await logIn(anonymous, person, resetPassword);
  const session = createDarcaClient({ baseUrl, accessToken: again.access_token });
  const reprofiled = await profile(session);
  await logOut(session);
  const loggedOut = await refused("UNAUTHENTICATED", profile(session));

  const result = {
    user_id: registered.id, registered_status: registered.status,
    pending: { user_id: pending.userId, unverified_channels: pending.unverifiedChannels },
    status: active.status,
    profile: { id: me.id, email: me.email, phone: me.phone, status: me.status, email_verified: me.email_verified,
               phone_verified: me.phone_verified },
    assets: registry.map((item) => item.code),
    default_wallets: defaults.map((wallet) => wallet.asset),
    opened: { asset: opened.asset, type: opened.type, id: opened.id },
    wallets: held.map((wallet) => wallet.asset),
    funded: {
      amounts, balance: funded.available.amount,
      history: entries.map((entry) => ({ type: entry.type, direction: entry.direction, amount: entry.amount.amount })),
      statement: { opening: period.opening_balance.amount, closing: period.closing_balance.amount,
                   credits: period.total_credits.amount, entries: period.entries.length },
    },
    old_password: oldPassword.code, reset_channel: reset.channel, revoked_by_reset: revoked.code,
    relogin: { token_type: again.token_type, user_id: reprofiled.id }, logged_out: loggedOut.code,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
