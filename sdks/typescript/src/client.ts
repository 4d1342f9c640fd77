// The typed client: openapi-fetch over the generated `paths`, with the caller's bearer token.
import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { paths } from "./generated/openapi.js";

export type DarcaClient = Client<paths>;

export interface DarcaClientOptions extends ClientOptions {
  /** Where the API is, such as `https://api.example.com` (no trailing `/v1`). */
  baseUrl: string;
  /** The access token to send as `Authorization: Bearer …`, or a function that returns the current one. */
  accessToken?: string | (() => string | undefined);
}

/** A client of the whole API; every path, parameter, body and response is typed from the OpenAPI document. */
export function createDarcaClient(options: DarcaClientOptions): DarcaClient {
  const { accessToken, ...rest } = options;
  const client = createClient<paths>(rest);
  if (accessToken !== undefined) {
    client.use({
      onRequest({ request }) {
        const token = typeof accessToken === "function" ? accessToken() : accessToken;
        if (token !== undefined && !request.headers.has("Authorization")) {
          request.headers.set("Authorization", `Bearer ${token}`);
        }
        return request;
      },
    });
  }
  return client;
}
