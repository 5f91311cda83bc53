import { O365Error, PageIterator } from "@o365/core";
import { beforeEach, describe, expect, it } from "vitest";
import { useFakeGraph } from "./helpers/fake-graph.js";

const { graph, daemon } = useFakeGraph({ users: 25, pageSize: 10 });

interface User {
	id: string;
	userPrincipalName: string;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
	const items: T[] = [];
	for await (const item of iterable) items.push(item);
	return items;
}

describe("pagination over @odata.nextLink", () => {
	beforeEach(() => graph().clearRequests());

	it("yields every item of every page, following nextLink", async () => {
		const pages = daemon().con.paginate<User>("/users");
		expect(pages).toBeInstanceOf(PageIterator);
		const users = await collect(pages);
		expect(users.map((user) => user.userPrincipalName)).toEqual(
			graph().users.map((user) => user.userPrincipalName),
		);
		expect(graph().requests).toHaveLength(3);
		expect(pages.nextLink).toBeUndefined();
		expect(pages.deltaLink).toBeUndefined();
	});

	it("stops at `limit`, cutting the last page, without fetching further pages", async () => {
		const pages = daemon().con.paginate<User>("/users", { limit: 15, params: { $top: 10 } });
		const users = await collect(pages);
		expect(users).toHaveLength(15);
		expect(graph().requests).toHaveLength(2);
		expect(graph().requests[0]?.query.$top).toBe("10");
		expect(pages.nextLink).toMatch(/\$skiptoken=/);
	});

	it("keeps the final deltaLink of a delta query, which then returns only changes", async () => {
		const con = daemon().con;
		const round = con.paginate<User>("/users/delta");
		expect(await collect(round)).toHaveLength(25);
		expect(round.deltaLink).toMatch(/\/users\/delta.*\$deltatoken=/);
		const next = con.paginate<User>(round.deltaLink as string);
		expect(await collect(next)).toEqual([]);
		expect(next.deltaLink).toMatch(/\$deltatoken=/);
	});

	it("throws the GraphError of a failed page instead of stopping silently", async () => {
		graph().failNext({ status: 403, path: "/users", method: "GET" });
		await expect(collect(daemon().con.paginate("/users"))).rejects.toMatchObject({
			name: "GraphError",
			status: 403,
		});
	});

	it("explains that paginate() is for collections, and can be iterated once", async () => {
		const pages = daemon().con.paginate("/echo");
		await expect(collect(pages)).rejects.toThrow(/no 'value' array/);
		await expect(collect(pages)).rejects.toThrow(/iterated once/);
		expect(() => daemon().con.paginate("/users", { limit: -1 })).toThrow(O365Error);
	});
});
