// Cursor pages (`data`, `has_more`, `next_cursor`) as one async stream of items.

/** The shape every list of the API shares. */
export interface CursorPage<T> {
  data: T[];
  has_more: boolean;
  next_cursor?: string;
}

/**
 * Every item of a cursor-paginated list, fetching the next page only when the previous one is used up.
 *
 *     for await (const asset of paginate((cursor) =>
 *       unwrap(client.GET("/v1/assets", { params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } } })))) { … }
 */
export async function* paginate<T>(fetchPage: (cursor: string | undefined) => Promise<CursorPage<T>>): AsyncGenerator<T, void, undefined> {
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    yield* page.data;
    if (!page.has_more || page.next_cursor === undefined) return;
    cursor = page.next_cursor;
  }
}

/** The items of a cursor-paginated list, all of them (or at most `max`), in one array. */
export async function collect<T>(items: AsyncIterable<T>, max = Number.POSITIVE_INFINITY): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) {
    if (all.length >= max) break;
    all.push(item);
  }
  return all;
}
