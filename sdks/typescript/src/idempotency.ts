// `Idempotency-Key`: one key per intended operation, sent again unchanged when the same operation is retried.
import { DarcaProblemError } from "./problems.js";

/** A fresh key for one operation (a random UUID). */
export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}

/** The header to pass as `params.header` of an operation that takes `Idempotency-Key`. */
export function idempotencyHeader(key: string = newIdempotencyKey()): { "Idempotency-Key": string } {
  return { "Idempotency-Key": key };
}

export interface RetryOptions {
  /** How many times to try in all (default 3). */
  attempts?: number;
  /** Wait before the second attempt in milliseconds, doubled each time (default 200); `Retry-After` wins. */
  backoffMs?: number;
}

/** Whether the same request, sent again with the same key, may succeed. */
function retriable(error: unknown): boolean {
  if (error instanceof DarcaProblemError) {
    // in flight elsewhere (409), rate-limited (429), or the platform could not answer (5xx): nothing was kept
    return error.code === "IDEMPOTENCY_KEY_IN_USE" || error.status === 429 || error.status >= 500;
  }
  return error instanceof TypeError; // fetch's network failure: the request may or may not have arrived
}

/**
 * Runs `send` with one key, and again with the same key while the failure is one a retry may cure, so
 * the operation happens at most once (the API answers a replay with the stored response).
 *
 *     const user = await withIdempotencyKey((key) =>
 *       unwrap(client.POST("/v1/users", { body, params: { header: idempotencyHeader(key) } })));
 */
export async function withIdempotencyKey<T>(send: (key: string) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const key = newIdempotencyKey();
  const attempts = options.attempts ?? 3;
  let wait = options.backoffMs ?? 200;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send(key);
    } catch (error) {
      if (attempt >= attempts || !retriable(error)) throw error;
      const hinted = error instanceof DarcaProblemError ? error.retryAfter : undefined;
      await new Promise((resolve) => setTimeout(resolve, hinted !== undefined ? hinted * 1000 : wait));
      wait *= 2;
    }
  }
}
