import {
	Account,
	AuthenticationError,
	MemoryTokenBackend,
	MemoryTokenStore,
	MSGraphProtocol,
	type RefreshingConnection,
	type TokenBackend,
} from "@o365/core";
import { beforeEach, describe, expect, it } from "vitest";
import { useFakeGraph } from "./helpers/fake-graph.js";
import { DAEMON, REDIRECT_URI, WEB_APP } from "./helpers/fake-platform.js";

// python-o365's shouldRefreshToken hook: `true` refresh here, `false` another process refreshed
// (reload, use its token), `null` the backend refreshed itself. Each answer is proved by what the
// fake identity platform saw (refresh-token grants, and when) and by the token then in use.
const { platform, graph, signedInUser } = useFakeGraph();

type Answer = boolean | null;

const grants = () => platform().tokenRequests("refresh_token").length;

/** A memory backend whose hook gives a set answer, and records the grants seen by then. */
class HookedBackend extends MemoryTokenBackend {
	answer: Answer = true;
	/** Refresh through the asking connection before answering, as python-o365's lockable backends do. */
	refreshItself = false;
	readonly grantsWhenAnswered: number[] = [];

	override async shouldRefreshToken(con: RefreshingConnection): Promise<Answer> {
		if (this.refreshItself) await con.refreshToken();
		this.grantsWhenAnswered.push(grants());
		return this.answer;
	}
}

/** Another instance over the same store, as another process would open it. */
function otherInstance(store: MemoryTokenStore): Account {
	return new Account([WEB_APP.clientId, WEB_APP.clientSecret], {
		tenantId: platform().tenantId,
		tokenBackend: new MemoryTokenBackend({ store }),
		redirectUri: REDIRECT_URI,
		protocol: new MSGraphProtocol({ protocolUrl: `${graph().origin}/` }),
		...platform().msalConfig(),
	});
}

/** Rewrites the token, in memory and in the store, so that its access token expired a minute ago. */
async function expireAccessToken(backend: TokenBackend) {
	const cache = JSON.parse(backend.serialize());
	for (const entry of Object.values(cache.AccessToken) as { expires_on: string }[]) {
		entry.expires_on = String(Math.floor(Date.now() / 1000) - 60);
	}
	backend.deserialize(JSON.stringify(cache), { changed: true });
	await backend.saveToken({ force: true });
}

interface RefreshPath {
	/** Puts the account where this path refreshes. */
	prepare(account: Account, backend: HookedBackend): Promise<void>;
	/** Makes the account refresh along this path. */
	trigger(account: Account): Promise<unknown>;
}

const PATHS: Record<string, RefreshPath> = {
	"natural expiry": {
		prepare: async (account, backend) => {
			await expireAccessToken(backend);
			await account.con.loadTokenFromBackend(); // forgets the bearer it held
		},
		trigger: (account) => account.con.getAccessToken(),
	},
	"a 401 from Graph": {
		prepare: async () => {},
		trigger: async (account) => {
			graph().failNext({ status: 401, code: "InvalidAuthenticationToken", path: "/me" });
			const response = await account.con.get("/me");
			expect(response.status, "the request retried after the 401").toBe(200);
		},
	},
	"a forced refreshToken()": {
		prepare: async () => {},
		trigger: (account) => account.con.refreshToken(),
	},
};

async function signedInWithHook() {
	const store = new MemoryTokenStore();
	const backend = new HookedBackend({ store });
	const account = await signedInUser({ tokenBackend: backend });
	const before = await account.con.getAccessToken();
	return { store, backend, account, before };
}

describe.each(Object.entries(PATHS))("the shouldRefreshToken hook on %s", (_name, path) => {
	beforeEach(() => platform().clearRequests());

	it("true: asked once, then one refresh-token grant here, after its answer", async () => {
		const { backend, account, before } = await signedInWithHook();
		await path.prepare(account, backend);
		platform().clearRequests();
		await path.trigger(account);
		const inUse = await account.con.getAccessToken();
		expect(backend.grantsWhenAnswered, "grants seen when the hook answered").toEqual([0]);
		expect(grants(), "refresh-token grants").toBe(1);
		expect(inUse).not.toBe(before);
		expect(platform().verifyAccessToken(inUse)).toBeDefined();
	});

	it("false: asked once, no grant here, the token another instance stored is used", async () => {
		const { store, backend, account } = await signedInWithHook();
		await path.prepare(account, backend);
		const other = otherInstance(store);
		await other.con.refreshToken();
		const theirs = await other.con.getAccessToken();
		backend.answer = false;
		platform().clearRequests();
		await path.trigger(account);
		expect(backend.grantsWhenAnswered, "grants seen when the hook answered").toEqual([0]);
		expect(grants(), "refresh-token grants").toBe(0);
		expect(await account.con.getAccessToken()).toBe(theirs);
	});

	it("null: asked once, the hook's own refresh is the only grant, and its token is used", async () => {
		const { backend, account, before } = await signedInWithHook();
		await path.prepare(account, backend);
		backend.answer = null;
		backend.refreshItself = true;
		platform().clearRequests();
		await path.trigger(account);
		const inUse = await account.con.getAccessToken();
		expect(backend.grantsWhenAnswered, "grants seen when the hook answered").toEqual([1]);
		expect(grants(), "refresh-token grants").toBe(1);
		expect(inUse).not.toBe(before);
		expect(platform().verifyAccessToken(inUse)).toBeDefined();
	});
});

describe("the shouldRefreshToken hook declines but nobody refreshed", () => {
	it.each([false, null])(
		"%s with a still-expired token: token_request_failed, no refresh outside the lease",
		async (answer) => {
			const { backend, account } = await signedInWithHook();
			await PATHS["natural expiry"]?.prepare(account, backend);
			backend.answer = answer;
			platform().clearRequests();
			const error = await account.con.getAccessToken().catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(AuthenticationError);
			expect(error).toMatchObject({ code: "token_request_failed" });
			expect((error as Error).message).toContain(`shouldRefreshToken() answered ${String(answer)}`);
			expect(grants(), "refresh-token grants").toBe(0);
		},
	);
});

describe("the shouldRefreshToken hook on the app's own token (credentials flow), as python-o365 asks it", () => {
	const appGrants = () => platform().tokenRequests("client_credentials").length;

	function appAccount(store: MemoryTokenStore, backend = new HookedBackend({ store })) {
		const account = new Account([DAEMON.clientId, DAEMON.clientSecret], {
			authFlowType: "credentials",
			tenantId: platform().tenantId,
			tokenBackend: backend,
			...platform().msalConfig(),
		});
		return { account, backend };
	}

	it("is not asked while the stored app token is fresh; true on a forced refresh gets a new token here", async () => {
		const store = new MemoryTokenStore();
		const { account, backend } = appAccount(store);
		const first = await account.con.getAccessToken();
		expect(backend.grantsWhenAnswered, "asked before the first app token").toHaveLength(1);
		expect(await account.con.getAccessToken(), "a fresh token is reused").toBe(first);
		platform().clearRequests();
		await account.con.refreshToken();
		expect(backend.grantsWhenAnswered, "asked again on the forced refresh").toHaveLength(2);
		expect(appGrants(), "client-credentials grants after the forced refresh").toBe(1);
		expect(await account.con.getAccessToken()).not.toBe(first);
	});

	it("false on a forced refresh: no grant here, the app token another instance stored is used", async () => {
		const store = new MemoryTokenStore();
		const { account, backend } = appAccount(store);
		await account.con.getAccessToken();
		const other = appAccount(store, new HookedBackend({ store })).account;
		await other.con.refreshToken();
		const theirs = await other.con.getAccessToken();
		backend.answer = false;
		platform().clearRequests();
		await account.con.refreshToken();
		expect(appGrants(), "client-credentials grants").toBe(0);
		expect(await account.con.getAccessToken()).toBe(theirs);
	});
});
