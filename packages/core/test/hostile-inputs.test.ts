import util from "node:util";
import {
	Account,
	Connection,
	MemoryTokenBackend,
	MSBusinessCentral365Protocol,
	MSGraphProtocol,
	O365Error,
	Protocol,
} from "@o365/core";
import { beforeEach, describe, expect, it } from "vitest";
import { DAEMON, REDIRECT_URI, useFakePlatform, WEB_APP } from "./helpers/fake-platform.js";

// Every public entry point of Account and Connection, given values a caller should never pass
// (null, numbers, Symbols, Proxies whose traps throw, objects whose getters throw, signals that
// are not AbortSignals). Each must fail with a typed O365Error that names what was wrong, before
// any request is sent; never a bare TypeError, never an unhandled rejection.

const platform = useFakePlatform();

/** A Proxy whose every trap throws: reading, listing or type-checking it fails. */
function throwingProxy(): object {
	const trap = () => {
		throw new Error("hostile trap");
	};
	return new Proxy(
		{},
		{ get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap },
	);
}

/** An array (to Array.isArray) whose every read throws. */
function arrayProxy(): unknown[] {
	return new Proxy([], {
		get() {
			throw new Error("hostile trap");
		},
	});
}

/** A plain object whose listed properties throw when read. */
function throwingGetters(keys: readonly string[]): object {
	const object = {};
	for (const key of keys) {
		Object.defineProperty(object, key, {
			enumerable: true,
			get() {
				throw new Error(`hostile getter ${key}`);
			},
		});
	}
	return object;
}

/** A short name of a test value, for test titles (never touches a Proxy's traps). */
function label(value: unknown): string {
	if (typeof value === "symbol") return "Symbol";
	if (typeof value === "object" && value !== null && util.types.isProxy(value)) return "Proxy";
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return "a value holding a Proxy";
	}
}

/** Looks like an AbortSignal to a duck-typer, is not one. */
const FAKE_SIGNAL = { aborted: false, addEventListener() {}, removeEventListener() {} };

/** Values no options parameter accepts. */
function hostileOptions(keys: readonly string[]): [string, () => unknown][] {
	return [
		["null", () => null],
		["a number", () => 42],
		["a string", () => "options"],
		["a Symbol", () => Symbol("options")],
		["an array", () => []],
		["a Proxy with throwing traps", throwingProxy],
		["an object with throwing getters", () => throwingGetters(keys)],
	];
}

/** Values no single option accepts (numbers are fine for some, so they are listed per option). */
const HOSTILE_VALUES: [string, () => unknown][] = [
	["a Symbol", () => Symbol("value")],
	["a Proxy with throwing traps", throwingProxy],
];

const HOSTILE_SIGNALS: [string, () => unknown][] = [
	["a plain object shaped like a signal", () => FAKE_SIGNAL],
	["a string", () => "abort"],
	["a Symbol", () => Symbol("signal")],
	["a Proxy with throwing traps", throwingProxy],
	["an AbortController (not its signal)", () => new AbortController()],
];

const HOSTILE_REDIRECTS: [string, () => unknown][] = [
	["an array", () => [`${REDIRECT_URI}?code=c&state=s`]],
	["a Buffer", () => Buffer.from(`${REDIRECT_URI}?code=c&state=s`)],
	["a Set", () => new Set([`${REDIRECT_URI}?code=c&state=s`])],
	["a Map", () => new Map([["code", "c"]])],
	["a Proxy with throwing traps", throwingProxy],
	["a Symbol", () => Symbol("redirect")],
	["a number", () => 42],
	["a boolean", () => true],
	["a function", () => () => "code=c"],
	["an object with a non-string value", () => ({ code: 42, state: "s" })],
	["an object with throwing getters", () => throwingGetters(["code", "state"])],
	["a Proxy of a URL", () => new Proxy(new URL(`${REDIRECT_URI}?code=c&state=s`), {})],
];

const CONNECTION_KEYS = [
	"authFlowType",
	"tenantId",
	"tokenBackend",
	"username",
	"storeTokenAfterRefresh",
	"protocol",
	"cloud",
	"redirectUri",
	"authority",
	"knownAuthorities",
	"authorityMetadata",
	"cloudDiscoveryMetadata",
	"networkClient",
	"fetch",
	"defaultHeaders",
	"timeoutMs",
	"requestRetries",
	"retryBudgetMs",
	"retryBackoffMs",
	"requestsDelay",
	"raiseHttpErrors",
	"logger",
	"requestHook",
] as const;
const ACCOUNT_KEYS = [...CONNECTION_KEYS, "mainResource"];
const REQUEST_KEYS = [
	"headers",
	"params",
	"signal",
	"timeoutMs",
	"raiseHttpErrors",
	"requestRetries",
	"retryBudgetMs",
	"redirect",
];

/** Extra bad values per constructor option, beyond {@link HOSTILE_VALUES}. */
const BAD_OPTION_VALUES: Partial<Record<(typeof CONNECTION_KEYS)[number] | "mainResource", unknown[]>> = {
	username: [42],
	storeTokenAfterRefresh: ["yes"],
	protocol: [{}, 42],
	redirectUri: [42, "not a url"],
	authority: [42, "not a url"],
	knownAuthorities: ["login.idp.test", [42]],
	authorityMetadata: [{}],
	cloudDiscoveryMetadata: [{}],
	networkClient: [42, {}],
	defaultHeaders: [42, { prefer: 42 }],
	timeoutMs: ["1000", 3e9],
	raiseHttpErrors: ["no"],
	logger: [42, { info: "console.log" }],
	mainResource: [42],
};

let sentRequests = 0;
/** Counts what reaches the network instead of Graph; the hostile calls must send nothing. */
const countingFetch: typeof fetch = async () => {
	sentRequests++;
	return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
};

function webAccount(): Account {
	return new Account([WEB_APP.clientId, WEB_APP.clientSecret], {
		tenantId: platform().tenantId,
		tokenBackend: new MemoryTokenBackend(),
		redirectUri: REDIRECT_URI,
		...platform().msalConfig(),
	});
}

function daemonAccount(): Account {
	return new Account([DAEMON.clientId, DAEMON.clientSecret], {
		authFlowType: "credentials",
		tenantId: platform().tenantId,
		tokenBackend: new MemoryTokenBackend(),
		fetch: countingFetch,
		...platform().msalConfig(),
	});
}

interface Case {
	/** `entry point: what is hostile`. */
	name: string;
	call: () => unknown;
	code:
		| "invalid_option"
		| "invalid_request"
		| "invalid_redirect"
		| "invalid_scopes"
		| "invalid_credentials"
		| "backend_invalid_config";
	/** The message must name the bad input. */
	mentions: RegExp;
	/** Whether the entry point returns a promise (then it must reject, not throw). */
	async: boolean;
}

const cases: Case[] = [];
function add(name: string, code: Case["code"], mentions: RegExp, async: boolean, call: () => unknown) {
	cases.push({ name, call, code, mentions, async });
}

// ---- constructors ----
for (const [Class, keys] of [
	[Account, ACCOUNT_KEYS],
	[Connection, CONNECTION_KEYS],
] as const) {
	const credentials = [WEB_APP.clientId, WEB_APP.clientSecret] as const;
	for (const [what, value] of hostileOptions(keys)) {
		add(
			`new ${Class.name}(credentials, ${what})`,
			"invalid_option",
			/options/,
			false,
			() => new Class(credentials, value() as never),
		);
	}
	for (const key of keys) {
		const values: [string, () => unknown][] = [
			...HOSTILE_VALUES,
			...(BAD_OPTION_VALUES[key as keyof typeof BAD_OPTION_VALUES] ?? []).map(
				(bad) => [label(bad), () => bad] as [string, () => unknown],
			),
		];
		// A backend that is not one keeps its own, older code.
		const code = key === "tokenBackend" ? "backend_invalid_config" : "invalid_option";
		for (const [what, value] of values) {
			add(
				`new ${Class.name}(credentials, { ${key}: ${what} })`,
				code,
				new RegExp(key),
				false,
				() => new Class(credentials, { [key]: value() } as never),
			);
		}
	}
	for (const [what, value] of [
		["a Proxy with throwing traps", throwingProxy],
		["an array with a throwing getter", () => throwingGetters(["0", "1"])],
		["[clientId, Symbol]", () => [WEB_APP.clientId, Symbol("secret")]],
		["a Symbol", () => Symbol("credentials")],
	] as const) {
		add(
			`new ${Class.name}(${what})`,
			"invalid_credentials",
			/credentials|client/,
			false,
			() => new Class(value() as never),
		);
	}
}

// ---- protocols ----
const PROTOCOL_BASE = { protocolUrl: "https://graph.microsoft.com/", apiVersion: "v1.0", timezone: "UTC" };
for (const [name, build, keys] of [
	[
		"MSGraphProtocol",
		(options: unknown) => new MSGraphProtocol(options as never),
		["apiVersion", "defaultResource", "cloud", "timezone", "protocolUrl", "protocolScopePrefix"],
	],
	[
		"MSBusinessCentral365Protocol",
		(options: unknown) => new MSBusinessCentral365Protocol(options as never),
		["apiVersion", "defaultResource", "environment", "timezone"],
	],
	[
		"Protocol",
		(options: unknown) =>
			new Protocol(
				(options !== null &&
				typeof options === "object" &&
				!util.types.isProxy(options) &&
				!Array.isArray(options)
					? { ...PROTOCOL_BASE, ...options }
					: options) as never,
			),
		["defaultResource", "casingFunction", "protocolScopePrefix", "scopeHelpers", "timezone", "cloud"],
	],
] as const) {
	for (const [what, value] of hostileOptions(keys)) {
		if (name === "Protocol" && what === "an object with throwing getters") continue; // spread above would run them
		add(`new ${name}(${what})`, "invalid_option", new RegExp(name), false, () => build(value()));
	}
	for (const key of keys) {
		for (const value of [Symbol("value"), throwingProxy()]) {
			add(`new ${name}({ ${key}: ${label(value)} })`, "invalid_option", new RegExp(key), false, () =>
				build({ [key]: value }),
			);
		}
	}
}

// ---- sign-in ----
for (const [what, value] of hostileOptions([
	"scopes",
	"redirectUri",
	"handleConsent",
	"signal",
	"consentTimeoutMs",
	"output",
])) {
	add(`account.authenticate(${what})`, "invalid_option", /authenticate/, true, () =>
		webAccount().authenticate(value() as never),
	);
}
const authenticateBase = { scopes: ["basic"], handleConsent: () => null };
for (const [key, bad] of [
	["redirectUri", [42, "not a url"]],
	["handleConsent", ["https://example.test", {}]],
	["consentTimeoutMs", ["300", -1, 1.5, Number.POSITIVE_INFINITY, 3e9]],
	["output", [42, {}]],
] as const) {
	for (const value of [...bad, Symbol("value"), throwingProxy()]) {
		add(`account.authenticate({ ${key}: ${label(value)} })`, "invalid_option", new RegExp(key), true, () =>
			webAccount().authenticate({ ...authenticateBase, [key]: value } as never),
		);
	}
}
for (const [what, value] of HOSTILE_SIGNALS) {
	add(`account.authenticate({ signal: ${what} })`, "invalid_option", /signal/, true, () =>
		webAccount().authenticate({ ...authenticateBase, signal: value() } as never),
	);
	add(`daemon.authenticate({ signal: ${what} })`, "invalid_option", /signal/, true, () =>
		daemonAccount().authenticate({ signal: value() } as never),
	);
}
for (const [what, value] of [
	["a Symbol", () => Symbol("scope")],
	["[Symbol]", () => [Symbol("scope")]],
	["[42]", () => [42]],
	["a Proxy with throwing traps", throwingProxy],
] as const) {
	add(`account.authenticate({ scopes: ${what} })`, "invalid_scopes", /scope/i, true, () =>
		webAccount().authenticate({ ...authenticateBase, scopes: value() } as never),
	);
	add(`account.getAuthorizationUrl(${what})`, "invalid_scopes", /scope/i, true, () =>
		webAccount().getAuthorizationUrl(value() as never),
	);
	add(`con.getAuthorizationUrl(${what})`, "invalid_scopes", /scope/i, true, () =>
		webAccount().con.getAuthorizationUrl(value() as never),
	);
}
const urlOptionKeys = ["redirectUri", "prompt", "loginHint", "domainHint", "responseMode"];
for (const [what, value] of hostileOptions(urlOptionKeys)) {
	add(`account.getAuthorizationUrl(scopes, ${what})`, "invalid_option", /getAuthorizationUrl/, true, () =>
		webAccount().getAuthorizationUrl(["basic"], value() as never),
	);
	add(`con.getAuthorizationUrl(scopes, ${what})`, "invalid_option", /getAuthorizationUrl/, true, () =>
		webAccount().con.getAuthorizationUrl(["https://graph.microsoft.com/User.Read"], value() as never),
	);
}
for (const key of urlOptionKeys) {
	for (const value of [Symbol("value"), 42, throwingProxy()]) {
		add(
			`account.getAuthorizationUrl(scopes, { ${key}: ${label(value)} })`,
			"invalid_option",
			new RegExp(key),
			true,
			() => webAccount().getAuthorizationUrl(["basic"], { [key]: value } as never),
		);
	}
}
add(
	"account.getAuthorizationUrl(scopes, { responseMode: 'fragment' })",
	"invalid_option",
	/responseMode/,
	true,
	() => webAccount().getAuthorizationUrl(["basic"], { responseMode: "fragment" } as never),
);

// ---- redeeming the redirect ----
const FLOW = {
	state: "s",
	codeVerifier: "v".repeat(43),
	nonce: "n",
	redirectUri: REDIRECT_URI,
	scopes: ["https://graph.microsoft.com/User.Read"],
};
const REDIRECT = `${REDIRECT_URI}?code=c&state=s`;
for (const [what, value] of HOSTILE_REDIRECTS) {
	add(`account.requestToken(${what}, { flow })`, "invalid_redirect", /redirect/, true, () =>
		webAccount().requestToken(value() as never, { flow: FLOW }),
	);
	add(`con.requestToken(${what}, { flow })`, "invalid_redirect", /redirect/, true, () =>
		webAccount().con.requestToken(value() as never, { flow: FLOW }),
	);
}
for (const [what, value] of hostileOptions(["flow", "requestedScopes", "storeToken", "signal"])) {
	add(`account.requestToken(url, ${what})`, "invalid_option", /requestToken/, true, () =>
		webAccount().requestToken(REDIRECT, value() as never),
	);
	add(`daemon.requestToken(null, ${what})`, "invalid_option", /requestToken/, true, () =>
		daemonAccount().requestToken(null, value() as never),
	);
}
for (const [what, value] of [
	["a flow with throwing getters", () => throwingGetters(Object.keys(FLOW))],
	["a Proxy flow with throwing traps", throwingProxy],
	["a number", () => 42],
	["a flow with Symbol scopes", () => ({ ...FLOW, scopes: [Symbol("scope")] })],
	["a flow whose redirectUri is not a URL", () => ({ ...FLOW, redirectUri: "callback" })],
] as const) {
	add(`con.requestToken(url, { flow: ${what} })`, "invalid_redirect", /flow/, true, () =>
		webAccount().con.requestToken(REDIRECT, { flow: value() as never }),
	);
}
for (const [what, value] of HOSTILE_SIGNALS) {
	add(`account.requestToken(url, { flow, signal: ${what} })`, "invalid_option", /signal/, true, () =>
		webAccount().requestToken(REDIRECT, { flow: FLOW, signal: value() as never }),
	);
	add(`daemon.requestToken(null, { signal: ${what} })`, "invalid_option", /signal/, true, () =>
		daemonAccount().requestToken(null, { signal: value() as never }),
	);
}
for (const [key, value] of [
	["storeToken", "yes"],
	["requestedScopes", [Symbol("scope")]],
	["requestedScopes", throwingProxy()],
] as const) {
	add(
		`daemon.requestToken(null, { ${key}: hostile })`,
		key === "requestedScopes" ? "invalid_scopes" : "invalid_option",
		new RegExp(key === "requestedScopes" ? "scope" : key),
		true,
		() => daemonAccount().requestToken(null, { [key]: value } as never),
	);
	add(
		`daemon.con.requestToken(null, { ${key}: hostile })`,
		key === "requestedScopes" ? "invalid_scopes" : "invalid_option",
		new RegExp(key === "requestedScopes" ? "scope" : key),
		true,
		() => daemonAccount().con.requestToken(null, { [key]: value } as never),
	);
}

// ---- tokens ----
for (const [what, value] of hostileOptions(["signal", "forceRefresh", "claims"])) {
	add(`con.getAccessToken(${what})`, "invalid_option", /getAccessToken/, true, () =>
		daemonAccount().con.getAccessToken(value() as never),
	);
	add(`con.refreshToken(${what})`, "invalid_option", /refreshToken/, true, () =>
		daemonAccount().con.refreshToken(value() as never),
	);
}
for (const [what, value] of HOSTILE_SIGNALS) {
	add(`con.getAccessToken({ signal: ${what} })`, "invalid_option", /signal/, true, () =>
		daemonAccount().con.getAccessToken({ signal: value() as never }),
	);
	add(`con.getAccessToken({ forceRefresh: true, signal: ${what} })`, "invalid_option", /signal/, true, () =>
		daemonAccount().con.getAccessToken({ forceRefresh: true, signal: value() as never }),
	);
	add(`con.refreshToken({ signal: ${what} })`, "invalid_option", /signal/, true, () =>
		daemonAccount().con.refreshToken({ signal: value() as never }),
	);
}
for (const [key, value] of [
	["forceRefresh", "yes"],
	["claims", 42],
	["claims", Symbol("claims")],
] as const) {
	add(`con.getAccessToken({ ${key}: ${label(value)} })`, "invalid_option", new RegExp(key), true, () =>
		daemonAccount().con.getAccessToken({ [key]: value } as never),
	);
}
for (const value of [42, Symbol("username"), throwingProxy()]) {
	add(
		`account.username = ${label(value)}; isAuthenticated()`,
		"invalid_option",
		/username/,
		true,
		async () => {
			const account = webAccount();
			account.username = value as never;
			return account.isAuthenticated();
		},
	);
}

// ---- Graph requests ----
type RequestCall = (con: Connection, url: unknown, options: unknown) => unknown;
const REQUEST_METHODS: [string, RequestCall][] = [
	["get", (con, url, options) => con.get(url as never, options as never)],
	["post", (con, url, options) => con.post(url as never, {}, options as never)],
	["put", (con, url, options) => con.put(url as never, {}, options as never)],
	["patch", (con, url, options) => con.patch(url as never, {}, options as never)],
	["delete", (con, url, options) => con.delete(url as never, options as never)],
	["oauthRequest", (con, url, options) => con.oauthRequest(url as never, "GET", options as never)],
	["naiveRequest", (con, url, options) => con.naiveRequest(url as never, "GET", options as never)],
	[
		"paginate",
		async (con, url, options) => {
			for await (const _ of con.paginate(url as never, options as never)) break;
		},
	],
];
for (const [name, call] of REQUEST_METHODS) {
	for (const [what, value] of hostileOptions(REQUEST_KEYS)) {
		add(`con.${name}(url, ${what})`, "invalid_request", /options/, true, () =>
			call(daemonAccount().con, "/users", value()),
		);
	}
	for (const [what, value] of HOSTILE_SIGNALS) {
		add(`con.${name}(url, { signal: ${what} })`, "invalid_request", /signal/, true, () =>
			call(daemonAccount().con, "/users", { signal: value() }),
		);
	}
	for (const [what, value] of [
		["a Symbol", () => Symbol("url")],
		["a number", () => 42],
		["null", () => null],
		["a plain object", () => ({})],
		["a Proxy with throwing traps", throwingProxy],
	] as const) {
		add(`con.${name}(${what})`, "invalid_request", /url/, true, () =>
			call(daemonAccount().con, value(), undefined),
		);
	}
	for (const [key, value] of [
		["headers", 42],
		["headers", { prefer: Symbol("prefer") }],
		["params", 42],
		["params", { $top: Symbol("top") }],
		["params", { $filter: {} }],
		["timeoutMs", "1000"],
		["timeoutMs", 3e9],
		["requestRetries", -1],
		["retryBudgetMs", Symbol("budget")],
		["raiseHttpErrors", "no"],
		["redirect", 42],
	] as const) {
		if (name === "paginate" && key === "raiseHttpErrors") continue; // paginate always raises
		add(`con.${name}(url, { ${key}: ${label(value)} })`, "invalid_request", new RegExp(key), true, () =>
			call(daemonAccount().con, "/users", { [key]: value }),
		);
	}
}
for (const [what, data] of [
	["a BigInt", () => ({ n: 1n })],
	[
		"a circular object",
		() => {
			const circular: Record<string, unknown> = {};
			circular.self = circular;
			return circular;
		},
	],
	["an object with a throwing getter", () => throwingGetters(["subject"])],
	["a Symbol", () => Symbol("data")],
] as const) {
	add(`con.post(url, ${what})`, "invalid_request", /data|body|JSON/, true, () =>
		daemonAccount().con.post("/users", data() as never),
	);
}
for (const [what, value] of hostileOptions(["signal", "timeoutMs"])) {
	add(`con.batch(requests, ${what})`, "invalid_request", /options/, true, () =>
		daemonAccount().con.batch([{ id: "1", method: "GET", url: "/me" }], value() as never),
	);
}
for (const [what, value] of HOSTILE_SIGNALS) {
	add(`con.batch(requests, { signal: ${what} })`, "invalid_request", /signal/, true, () =>
		daemonAccount().con.batch([{ id: "1", method: "GET", url: "/me" }], { signal: value() as never }),
	);
}
const ME = { id: "1", method: "GET", url: "/me" };
for (const [what, requests] of [
	["null", () => null],
	["a Symbol", () => Symbol("requests")],
	["a Proxy with throwing traps", throwingProxy],
	["an array Proxy with a throwing get trap", () => arrayProxy()],
	["[a Proxy]", () => [throwingProxy()]],
	["[{ id: Symbol }]", () => [{ ...ME, id: Symbol("id") }]],
	["[{ method: Symbol }]", () => [{ ...ME, method: Symbol("GET") }]],
	["[{ url: Symbol }]", () => [{ ...ME, url: Symbol("url") }]],
	["[{ url: 42 }]", () => [{ ...ME, url: 42 }]],
	["[{ headers: 42 }]", () => [{ ...ME, headers: 42 }]],
	["[{ headers: Proxy }]", () => [{ ...ME, headers: throwingProxy() }]],
	["[{ dependsOn: Proxy }]", () => [{ ...ME, dependsOn: throwingProxy() }]],
	["[{ body: a bigint }]", () => [{ ...ME, method: "POST", body: { n: 1n } }]],
	["[{ with throwing getters }]", () => [throwingGetters(["id", "method", "url"])]],
] as const) {
	add(`con.batch(${what})`, "invalid_request", /batch|method|dependsOn|data/, true, () =>
		daemonAccount().con.batch(requests() as never),
	);
}
for (const value of [throwingProxy(), Symbol("limit"), "10"]) {
	add(`con.paginate(url, { limit: ${label(value)} })`, "invalid_request", /limit/, true, async () => {
		for await (const _ of daemonAccount().con.paginate("/users", { limit: value as never })) break;
	});
}
for (const value of [arrayProxy(), [throwingProxy()]]) {
	add(`account.getAuthorizationUrl(${label(value)})`, "invalid_scopes", /scope/i, true, () =>
		webAccount().getAuthorizationUrl(value as never),
	);
	add(`con.getAuthorizationUrl(${label(value)})`, "invalid_scopes", /scope/i, true, () =>
		webAccount().con.getAuthorizationUrl(value as never),
	);
}
for (const [what, answer] of [...HOSTILE_REDIRECTS, ["an array Proxy", () => arrayProxy()]] as const) {
	add(`account.authenticate({ handleConsent: () => ${what} })`, "invalid_redirect", /redirect/, true, () =>
		webAccount().authenticate({ scopes: ["basic"], handleConsent: () => answer() as never }),
	);
}
add("con.oauthRequest(url, Symbol)", "invalid_request", /method/, true, () =>
	daemonAccount().con.oauthRequest("/users", Symbol("GET") as never),
);

/** What an entry point did: threw synchronously, rejected, or succeeded. */
async function outcomeOf(call: () => unknown): Promise<{ error: unknown; sync: boolean }> {
	let result: unknown;
	try {
		result = call();
	} catch (error) {
		return { error, sync: true };
	}
	try {
		await result;
	} catch (error) {
		return { error, sync: false };
	}
	return { error: undefined, sync: false };
}

describe("hostile inputs to every public entry point", () => {
	beforeEach(() => {
		platform().clearRequests();
		sentRequests = 0;
	});

	it.each(cases)("$name → $code", async ({ call, code, mentions, async }) => {
		const { error, sync } = await outcomeOf(call);
		expect(error, "a typed error, not a bare TypeError or success").toBeInstanceOf(O365Error);
		expect((error as O365Error).code, (error as Error).message).toBe(code);
		expect((error as O365Error).message, "the message names the bad input").toMatch(mentions);
		if (async) expect(sync, "a promise-returning entry point rejects rather than throws").toBe(false);
		expect(platform().requests, "nothing reached the identity platform").toHaveLength(0);
		expect(sentRequests, "nothing reached Graph").toBe(0);
	});
});

describe("a redirect is redeemed only when it comes back to the flow's redirect URI", () => {
	beforeEach(() => platform().clearRequests());

	async function startSignIn() {
		const account = webAccount();
		const { url, flow } = await account.getAuthorizationUrl(["basic"]);
		const redirected = await platform().browser.signIn(url, { username: "adele@contoso.test" });
		return { account, flow, redirected: new URL(redirected) };
	}

	it.each([
		["another scheme (javascript:)", (r: URL) => `javascript:alert(1)//${r.search}`],
		["another scheme (https)", (r: URL) => `https://${r.host}${r.pathname}${r.search}`],
		["another host", (r: URL) => `http://evil.example${r.pathname}${r.search}`],
		["another port", (r: URL) => `http://${r.hostname}:1${r.pathname}${r.search}`],
		["another path", (r: URL) => `${r.origin}/elsewhere${r.search}`],
	] as const)("refuses %s without spending the code", async (_what, forge) => {
		const { account, flow, redirected } = await startSignIn();
		const forged = forge(redirected);
		const error = await account.requestToken(forged, { flow }).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(O365Error);
		expect((error as O365Error).code).toBe("invalid_redirect");
		expect((error as O365Error).message).toContain(REDIRECT_URI);
		expect(platform().tokenRequests("authorization_code"), "the code was not sent").toHaveLength(0);
		// the code is still good: the genuine redirect signs in
		await expect(account.requestToken(redirected.href, { flow })).resolves.toBe(true);
		expect(account.username).toBe("adele@contoso.test");
	});

	it.each([
		["path and query (req.originalUrl)", (r: URL) => `${r.pathname}${r.search}`],
		["query only", (r: URL) => r.search],
	] as const)(
		"resolves a relative redirect, %s, against the flow's redirect URI",
		async (_what, relative) => {
			const { account, flow, redirected } = await startSignIn();
			await expect(account.requestToken(relative(redirected), { flow })).resolves.toBe(true);
			expect(account.username).toBe("adele@contoso.test");
			expect(platform().tokenRequests("authorization_code")).toHaveLength(1);
		},
	);

	it("refuses a relative redirect to another path", async () => {
		const { account, flow, redirected } = await startSignIn();
		const error = await account
			.requestToken(`/elsewhere${redirected.search}`, { flow })
			.catch((caught: unknown) => caught);
		expect((error as O365Error).code).toBe("invalid_redirect");
		expect(platform().tokenRequests("authorization_code")).toHaveLength(0);
	});
});
