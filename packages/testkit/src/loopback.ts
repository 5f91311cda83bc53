/**
 * What counts as loopback, for the egress guard, the browser and redirect URI matching.
 */
import { isIP } from "node:net";

/**
 * True for `localhost` (and `*.localhost`, which resolvers must map to loopback, RFC 6761), 127.0.0.0/8,
 * `::1` and IPv4-mapped 127.x addresses. Brackets around IPv6 literals are accepted.
 */
export function isLoopbackHost(host: string): boolean {
	const name = host
		.replace(/^\[|\]$/g, "")
		.toLowerCase()
		.replace(/\.$/, "");
	if (name === "localhost" || name.endsWith(".localhost")) return true;
	if (isIP(name) === 4) return name.startsWith("127.");
	if (isIP(name) === 6) {
		if (name === "::1" || name === "0:0:0:0:0:0:0:1") return true;
		const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(name)?.[1];
		return mapped?.startsWith("127.") === true;
	}
	return false;
}

/**
 * Entra's redirect URI rule: exact string match, except that a registered `http` loopback URI matches any port
 * on `localhost` or `127.0.0.1` with the same path and query (native apps bind an ephemeral port).
 */
export function redirectUriMatches(registered: string, requested: string): boolean {
	if (registered === requested) return true;
	let a: URL;
	let b: URL;
	try {
		a = new URL(registered);
		b = new URL(requested);
	} catch {
		return false;
	}
	const loopbackHosts = new Set(["localhost", "127.0.0.1"]);
	return (
		a.protocol === "http:" &&
		b.protocol === "http:" &&
		loopbackHosts.has(a.hostname) &&
		loopbackHosts.has(b.hostname) &&
		a.pathname === b.pathname &&
		a.search === b.search &&
		b.hash === ""
	);
}
