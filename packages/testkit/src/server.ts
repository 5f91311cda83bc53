/**
 * `startFakeIdentityPlatform`: an in-process fake of the Microsoft identity platform v2.0 endpoints on
 * 127.0.0.1 with a free port.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createFakeBrowser } from "./browser.js";
import { TestkitError } from "./errors.js";
import {
	closeServer,
	json,
	listenOnLoopback,
	type Reply,
	type RouteRequest,
	readBody,
	toRecord,
} from "./http.js";
import { seededUuid } from "./registry.js";
import { authorize } from "./routes/authorize.js";
import { deviceCodeEndpoint, deviceLogin } from "./routes/device-code.js";
import { jwks, openidConfiguration } from "./routes/discovery.js";
import { token } from "./routes/token.js";
import { getSigningKey } from "./signing-key.js";
import { createState, type ServerState } from "./state.js";
import { verifyAccessToken } from "./tokens.js";
import type { FakeIdentityPlatform, FakeIdentityPlatformOptions, FakeSettings } from "./types.js";

type Handler = (state: ServerState, request: RouteRequest) => Reply;

/** Routes by path; the first segment is the tenant, matched in any case (msal lower-cases authorities). */
const ROUTES: Array<{ pattern: RegExp; handler: Handler }> = [
	{
		pattern: /^\/([^/]+)\/(?:v2\.0\/)?\.well-known\/openid-configuration$/i,
		handler: (s, r) => openidConfiguration(s, r.tenant),
	},
	{ pattern: /^\/([^/]+)\/discovery\/(?:v2\.0\/)?keys$/i, handler: (s) => jwks(s) },
	{ pattern: /^\/([^/]+)\/oauth2\/v2\.0\/authorize$/i, handler: authorize },
	{ pattern: /^\/([^/]+)\/oauth2\/v2\.0\/token$/i, handler: token },
	{ pattern: /^\/([^/]+)\/oauth2\/v2\.0\/devicecode$/i, handler: deviceCodeEndpoint },
	// Not under a tenant: the captured segment is just the page's name.
	{ pattern: /^\/(devicelogin)$/i, handler: deviceLogin },
	{ pattern: /^\/([^/]+)\/oauth2\/v2\.0\/logout$/i, handler: () => ({ ...json(200, { signedOut: true }) }) },
];

function settingsFrom(options: FakeIdentityPlatformOptions): FakeSettings {
	return {
		accessTokenLifetime: options.accessTokenLifetime ?? 3600,
		rotateRefreshTokens: options.rotateRefreshTokens ?? true,
		rejectRefreshTokenReuse: options.rejectRefreshTokenReuse ?? true,
		scopeEcho: options.scopeEcho ?? "asRequested",
		omit: [...(options.omit ?? [])],
		refreshIn: options.refreshIn,
		rejectAssertionReplay: options.rejectAssertionReplay ?? false,
		deviceCodeInterval: options.deviceCodeInterval ?? 1,
		deviceCodeLifetime: options.deviceCodeLifetime ?? 900,
	};
}

async function handle(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const at = Date.now();
	const url = new URL(req.url ?? "/", state.origin);
	const method = (req.method ?? "GET").toUpperCase();
	const body = await readBody(req);
	const isForm = (req.headers["content-type"] ?? "")
		.toLowerCase()
		.startsWith("application/x-www-form-urlencoded");
	const query = toRecord(url.searchParams);
	const form = isForm ? toRecord(new URLSearchParams(body)) : {};
	let reply: Reply = json(404, {
		error: "not_found",
		error_description: `No fake endpoint at ${url.pathname}.`,
	});
	for (const { pattern, handler } of ROUTES) {
		const tenant = pattern.exec(url.pathname)?.[1];
		if (tenant !== undefined) {
			reply = handler(state, {
				method,
				tenant: decodeURIComponent(tenant),
				query,
				form,
				accept: req.headers.accept,
			});
			break;
		}
	}
	state.recorder.record({
		method,
		path: url.pathname,
		query,
		form,
		...(reply.grantType !== undefined ? { grantType: reply.grantType } : {}),
		...(reply.clientId !== undefined ? { clientId: reply.clientId } : {}),
		status: reply.status,
		...(reply.error !== undefined ? { error: reply.error } : {}),
		at,
	});
	res.writeHead(reply.status, reply.headers);
	res.end(reply.body);
}

/** The user's answer on `/devicelogin`, given directly. */
function answerDeviceCode(
	state: ServerState,
	userCode: string,
	answer: { username?: string; consent?: boolean } = {},
): void {
	const entry = state.deviceCodes.findPending(userCode);
	if (entry === undefined) {
		throw new TestkitError("invalid_options", `No pending device code has the user code '${userCode}'.`);
	}
	if (answer.consent === false) {
		entry.status = "declined";
		return;
	}
	const user =
		answer.username === undefined ? state.registry.users[0] : state.registry.findUser(answer.username);
	if (user === undefined) {
		throw new TestkitError(
			"invalid_options",
			`No user '${answer.username ?? ""}' is registered (pass users or call addUser).`,
		);
	}
	entry.user = user;
	entry.status = "approved";
}

/**
 * Starts a fake of the Microsoft identity platform v2.0 endpoints on `127.0.0.1:<free port>`.
 * The first start in a process also generates the token-signing key (about 100–400 ms).
 */
export async function startFakeIdentityPlatform(
	options: FakeIdentityPlatformOptions = {},
): Promise<FakeIdentityPlatform> {
	const seed = options.secretSeed;
	const tenantId = (options.tenantId ?? seededUuid(seed, "tenant")).toLowerCase();
	const authorityHost = (options.authorityHost ?? "login.idp.test").toLowerCase();
	const settings = settingsFrom(options);
	const state = createState({ tenantId, authorityHost, seed, settings, signingKey: await getSigningKey() });
	for (const client of options.clients ?? []) state.registry.addClient(client);
	for (const user of options.users ?? []) state.registry.addUser(user);

	const server = createServer((req, res) => {
		handle(state, req, res).catch((error: unknown) => {
			// A bug in the fake must be loud in the test, not a hung request.
			if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
			res.end(
				JSON.stringify({
					error: "server_error",
					error_description: `Fake identity platform failed: ${String(error)}`,
				}),
			);
		});
	});
	state.origin = await listenOnLoopback(server, "The fake identity platform");
	const browser = createFakeBrowser(state.origin);

	return {
		origin: state.origin,
		tenantId,
		authorityHost,
		msalConfig: () => {
			const base = `${state.origin}/${tenantId}`;
			return {
				authority: `https://${authorityHost}/${tenantId}`,
				knownAuthorities: [authorityHost],
				authorityMetadata: JSON.stringify({
					token_endpoint: `${base}/oauth2/v2.0/token`,
					authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
					end_session_endpoint: `${base}/oauth2/v2.0/logout`,
					jwks_uri: `${base}/discovery/v2.0/keys`,
					issuer: `https://${authorityHost}/${tenantId}/v2.0`,
				}),
			};
		},
		addClient: (client) => state.registry.addClient(client),
		addUser: (user) => state.registry.addUser(user),
		get users() {
			return state.registry.users;
		},
		get requests() {
			return state.recorder.requests;
		},
		tokenRequests: (grantType) => state.recorder.tokenRequests(grantType),
		clearRequests: () => state.recorder.clear(),
		settings,
		failNext: (fault) => state.faults.add(fault),
		revokeRefreshTokens: (filter) => state.refreshTokens.revoke(filter),
		verifyAccessToken: (accessToken) => verifyAccessToken(state, accessToken),
		approveDeviceCode: (userCode, answer) => answerDeviceCode(state, userCode, answer),
		declineDeviceCode: (userCode) => answerDeviceCode(state, userCode, { consent: false }),
		pendingDeviceCodes: () =>
			state.deviceCodes.pending().map((entry) => ({
				userCode: entry.userCode,
				clientId: entry.clientId,
				scopes: entry.scope.split(" ").filter((scope) => scope !== ""),
			})),
		browser,
		close: () => closeServer(server),
	};
}
