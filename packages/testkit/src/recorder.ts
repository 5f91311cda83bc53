/**
 * The request log, with secrets redacted before anything is stored.
 */
import { decodeJwt } from "./jwt.js";
import type { RecordedRequest } from "./types.js";

/** Parameters whose values are credentials or grants: never stored in clear. */
const SECRET_PARAMETERS: ReadonlySet<string> = new Set([
	"client_secret",
	"client_assertion",
	"assertion",
	"code",
	"code_verifier",
	"device_code",
	"refresh_token",
	"password",
	"fake_password",
	"signin_password", // the sign-in page's password field
]);

export const REDACTED = "[redacted]";

export function redact(params: Record<string, string>): Record<string, string> {
	const copy: Record<string, string> = {};
	for (const [name, value] of Object.entries(params)) {
		copy[name] = SECRET_PARAMETERS.has(name.toLowerCase()) ? REDACTED : value;
	}
	return copy;
}

export class Recorder {
	readonly requests: RecordedRequest[] = [];

	record(entry: RecordedRequest): void {
		// The assertion's header is public (algorithm, thumbprints, certificate chain): kept so tests can see how a client signed.
		const header = decodeJwt(entry.form.client_assertion ?? "")?.header;
		this.requests.push({
			...entry,
			query: redact(entry.query),
			form: redact(entry.form),
			...(header !== undefined ? { clientAssertionHeader: header } : {}),
		});
	}

	tokenRequests(grantType?: string): RecordedRequest[] {
		return this.requests.filter(
			(request) =>
				/\/oauth2\/v2\.0\/token$/i.test(request.path) &&
				(grantType === undefined || request.grantType === grantType),
		);
	}

	clear(): void {
		this.requests.length = 0;
	}
}
