// Typed RFC 9457 problems: every error of the API is `application/problem+json` with a stable `code`.
import type { Problem } from "./generated/openapi.js";
import { PROBLEM_CODES, type KnownProblemCode, type ProblemCode } from "./generated/problem-codes.js";

export type { KnownProblemCode, ProblemCode };
export { PROBLEM_CODES };

/** A problem document as the API sends it, its `code` typed. */
export type ProblemDocument = Problem & { code: ProblemCode };

/** Whether a value is a problem document (has the members every DARCA problem has). */
export function isProblem(value: unknown): value is ProblemDocument {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate["code"] === "string" && typeof candidate["status"] === "number"
    && typeof candidate["type"] === "string" && typeof candidate["title"] === "string";
}

/** Whether a code is one this SDK was generated with (a newer server may send others). */
export function isKnownProblemCode(code: string): code is KnownProblemCode {
  return (PROBLEM_CODES as readonly string[]).includes(code);
}

/** The API refused a request: the problem it answered with, as an exception. */
export class DarcaProblemError extends Error {
  override readonly name = "DarcaProblemError";
  readonly status: number;
  readonly code: ProblemCode;
  readonly problem: ProblemDocument;
  /** `Retry-After` in seconds, when the API said when to try again (429, 503). */
  readonly retryAfter: number | undefined;

  constructor(problem: ProblemDocument, response?: Response) {
    super(`${problem.status} ${problem.code}: ${problem.detail ?? problem.title}`);
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
    const retryAfter = response?.headers.get("Retry-After");
    this.retryAfter = retryAfter != null && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  }

  /** Whether this is the problem with the given code (narrows `code`). */
  is<C extends KnownProblemCode>(code: C): this is DarcaProblemError & { code: C } {
    return this.code === code;
  }
}

/** The API answered with an error that is not a problem document (a proxy's page, say). */
export class DarcaHttpError extends Error {
  override readonly name = "DarcaHttpError";
  constructor(readonly status: number, readonly body: unknown) {
    super(`HTTP ${status} without a problem document`);
  }
}

/** What an openapi-fetch call resolves to: its data, or its error, and the response. */
export interface FetchResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** The data of a call's success branch (`undefined` for an answer without a body). */
export type SuccessData<R> = R extends { data: infer D; error?: never } ? D : never;

/**
 * The data of a call, or a thrown `DarcaProblemError` (or `DarcaHttpError`).
 *
 *     const user = await unwrap(client.POST("/v1/users", { body, params: { header: idempotencyHeader() } }));
 */
export async function unwrap<R extends FetchResult>(pending: Promise<R>): Promise<SuccessData<R>> {
  const result = await pending;
  if (result.error !== undefined || !result.response.ok) {
    if (isProblem(result.error)) throw new DarcaProblemError(result.error, result.response);
    throw new DarcaHttpError(result.response.status, result.error);
  }
  return result.data as SuccessData<R>;
}
