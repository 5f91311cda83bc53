/**
 * Collections over `@odata.nextLink` (python-o365's `Pagination`), as an async iterator that also
 * keeps the final `@odata.deltaLink` of a delta query:
 *
 * ```ts
 * const users = con.paginate("/users/delta", { params: { $select: "displayName" } });
 * for await (const user of users) console.log(user.displayName);
 * saveForNextSync(users.deltaLink);
 * ```
 */

import { O365Error } from "../errors.js";
import type { RequestOptions } from "./options.js";

export interface PaginateOptions extends Omit<RequestOptions, "raiseHttpErrors"> {
	/** Stop after this many items (the last page is cut). @default no limit */
	limit?: number;
}

/** A page of an OData collection. */
interface CollectionPage {
	value?: unknown;
	"@odata.nextLink"?: unknown;
	"@odata.deltaLink"?: unknown;
}

/** GETs one page (authenticated, error statuses thrown) and parses it. */
export type PageFetcher = (url: string, options: RequestOptions) => Promise<unknown>;

/**
 * The items of a collection, page by page. Iterate it once; afterwards `deltaLink` holds the
 * delta link of the last page (delta queries), and `nextLink` the link where iteration stopped
 * (a `limit` or a `break`), if any.
 */
export class PageIterator<T = Record<string, unknown>> implements AsyncIterable<T> {
	readonly #fetchPage: PageFetcher;
	readonly #options: RequestOptions;
	readonly #limit: number;
	#next: string | undefined;
	#deltaLink: string | undefined;
	#started = false;

	constructor(fetchPage: PageFetcher, url: string, options: PaginateOptions = {}) {
		const { limit, ...requestOptions } = options;
		if (limit !== undefined && (typeof limit !== "number" || Number.isNaN(limit) || limit < 0)) {
			throw new O365Error("invalid_request", `limit must be a number of 0 or more; got ${String(limit)}.`);
		}
		this.#fetchPage = fetchPage;
		this.#options = requestOptions;
		this.#limit = limit ?? Number.POSITIVE_INFINITY;
		this.#next = url;
	}

	/** `@odata.deltaLink` of the last page, once iteration has reached it: pass it to the next sync. */
	get deltaLink(): string | undefined {
		return this.#deltaLink;
	}

	/** The next page's URL while pages remain (e.g. after `limit` was reached). */
	get nextLink(): string | undefined {
		return this.#started ? this.#next : undefined;
	}

	async *[Symbol.asyncIterator](): AsyncIterator<T> {
		if (this.#started) {
			throw new O365Error("invalid_request", "a PageIterator can be iterated once; call paginate() again.");
		}
		this.#started = true;
		let count = 0;
		// Query options belong to the first URL; next links already carry them.
		let options = this.#options;
		const { params: _params, ...nextOptions } = options;
		while (this.#next !== undefined && count < this.#limit) {
			const page = (await this.#fetchPage(this.#next, options)) as CollectionPage | null;
			options = nextOptions;
			if (page === null || typeof page !== "object" || !Array.isArray(page.value)) {
				throw new O365Error(
					"invalid_request",
					"the response has no 'value' array: paginate() is for collections (e.g. /users, /me/messages).",
				);
			}
			const nextLink = page["@odata.nextLink"];
			const deltaLink = page["@odata.deltaLink"];
			this.#next = typeof nextLink === "string" ? nextLink : undefined;
			if (typeof deltaLink === "string") this.#deltaLink = deltaLink;
			for (const item of page.value as T[]) {
				if (count >= this.#limit) return;
				count++;
				yield item;
			}
		}
	}
}
