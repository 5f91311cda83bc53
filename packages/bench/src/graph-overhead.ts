import {
	Client,
	type Context,
	HTTPMessageHandler,
	type Middleware,
	RedirectHandler,
	RetryHandler,
	TelemetryHandler,
} from "@microsoft/microsoft-graph-client";
import { type Account, MSGraphProtocol } from "@o365/core";
import { startFakeGraph, startFakeIdentityPlatform } from "@o365/testkit";

/** What @o365/core sends as User-Agent (its value does not matter here, its presence does). */
const USER_AGENT = `o365-ts/0.1.0 (node ${process.versions.node})`;

import { median } from "./measure.js";
import { BENCH_APP, benchAccount, signIn } from "./signed-in-account.js";

export interface GraphOverhead {
	/** Median ms per `con.get("me")` + JSON, warm token. */
	oursMs: number;
	/** Median ms per plain `fetch` with a static Authorization header + JSON. */
	fetchMs: number;
	/** Median ms per `@microsoft/microsoft-graph-client` v3 `.api("/me").get()`. */
	graphClientMs: number;
	/** Median over rounds of ours ÷ fetch in the same round. */
	ratioVsFetch: number;
	/** Median over rounds of ours ÷ graph-client in the same round. */
	ratioVsGraphClient: number;
	/**
	 * Median over rounds of ours ÷ `fetch` sending the headers we send (client-request-id,
	 * User-Agent): what this library's own work costs, apart from what it puts on the wire.
	 */
	ratioVsFetchSameHeaders: number;
}

/**
 * Interleaves rounds of N calls of each kind against the fake Graph on loopback, so the three
 * sides see the same machine load. A ratio is taken within each round (paired, so drifts in
 * machine speed cancel) and the median of the rounds' ratios is reported.
 */
export async function measureGraphOverhead(rounds = 100, callsPerRound = 30): Promise<GraphOverhead> {
	const idp = await startFakeIdentityPlatform({
		clients: [{ ...BENCH_APP, redirectUris: [BENCH_APP.redirectUri] }],
		users: [{ username: "bench.user@contoso.test" }],
	});
	const graph = await startFakeGraph({ identityPlatform: idp });
	try {
		const account: Account = benchAccount(
			idp,
			undefined,
			new MSGraphProtocol({ protocolUrl: `${graph.origin}/` }),
		);
		await signIn(idp, account);
		const token = await account.con.getAccessToken();
		const meUrl = `${graph.serviceUrl}me`;
		const client = graphClient(`${graph.origin}/`, async () => token);
		const sides = {
			ours: async () => (await account.con.get("me")).json(),
			fetch: async () => (await fetch(meUrl, { headers: { authorization: `Bearer ${token}` } })).json(),
			fetchSameHeaders: async () =>
				(
					await fetch(meUrl, {
						headers: {
							authorization: `Bearer ${token}`,
							"client-request-id": crypto.randomUUID(),
							"user-agent": USER_AGENT,
						},
					})
				).json(),
			graphClient: () => client.api("/me").get(),
		};
		const samples: Record<keyof typeof sides, number[]> = {
			ours: [],
			fetch: [],
			fetchSameHeaders: [],
			graphClient: [],
		};
		const order = Object.keys(sides) as (keyof typeof sides)[];
		for (let round = -3; round < rounds; round += 1) {
			// rotate which side goes first; the first three rounds only warm up
			const first = ((round % order.length) + order.length) % order.length;
			for (const side of [...order.slice(first), ...order.slice(0, first)]) {
				const start = performance.now();
				for (let i = 0; i < callsPerRound; i += 1) await sides[side]();
				if (round >= 0) samples[side].push((performance.now() - start) / callsPerRound);
			}
		}
		const ratio = (a: number[], b: number[]) => median(a.map((value, index) => value / (b[index] as number)));
		return {
			oursMs: median(samples.ours),
			fetchMs: median(samples.fetch),
			graphClientMs: median(samples.graphClient),
			ratioVsFetch: ratio(samples.ours, samples.fetch),
			ratioVsGraphClient: ratio(samples.ours, samples.graphClient),
			ratioVsFetchSameHeaders: ratio(samples.ours, samples.fetchSameHeaders),
		};
	} finally {
		await graph.close();
		await idp.close();
	}
}

/**
 * graph-client v3 with its default middleware chain, except that its AuthenticationHandler only
 * attaches the bearer to https hosts: on the loopback fake an equivalent step stands in for it
 * (the same token provider call and header), so both sides do the same work.
 */
function graphClient(baseUrl: string, getAccessToken: () => Promise<string>): Client {
	let next: Middleware | undefined;
	const authentication: Middleware = {
		async execute(context: Context) {
			const token = await getAccessToken();
			context.options = {
				...context.options,
				headers: {
					...(context.options?.headers as Record<string, string>),
					Authorization: `Bearer ${token}`,
				},
			};
			await next?.execute(context);
		},
		setNext(middleware: Middleware) {
			next = middleware;
		},
	};
	return Client.initWithMiddleware({
		baseUrl,
		middleware: [
			authentication,
			new RetryHandler(),
			new RedirectHandler(),
			new TelemetryHandler(),
			new HTTPMessageHandler(),
		],
	});
}
