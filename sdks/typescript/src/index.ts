// @darca/sdk: the typed client of the DARCA API, its problems, idempotency and pagination helpers, and event types.
export { createDarcaClient, type DarcaClient, type DarcaClientOptions } from "./client.js";
export {
  DarcaHttpError, DarcaProblemError, isKnownProblemCode, isProblem, PROBLEM_CODES, unwrap,
  type FetchResult, type KnownProblemCode, type SuccessData, type ProblemCode, type ProblemDocument,
} from "./problems.js";
export { idempotencyHeader, newIdempotencyKey, withIdempotencyKey, type RetryOptions } from "./idempotency.js";
export { collect, paginate, type CursorPage } from "./pagination.js";
export { API_VERSION } from "./generated/problem-codes.js";
export type { components, operations, paths } from "./generated/openapi.js";
export type * as schemas from "./generated/openapi.js";
export type * as events from "./generated/events.js";
export { EVENT_TYPES } from "./generated/events.js";
export type { DarcaEvent, DarcaEventTypes } from "./generated/events.js";
