/**
 * IANA ↔ Windows time zone names. Outlook's `Prefer: outlook.timezone="…"` header and
 * `dateTimeTimeZone` values use Windows names ("Romance Standard Time"); Node and users speak
 * IANA ("Europe/Madrid"). The table is CLDR's `windowsZones.json`, generated into
 * `windows-zones.generated.ts` by `scripts/generate-windows-zones.mjs`.
 */

import { ConfigurationError } from "../errors.js";
import { CLDR_VERSION, WINDOWS_ZONES, ZONE_ALIASES } from "./windows-zones.generated.js";

/**
 * Current IANA names that CLDR still files under its older, stable ids. Node 20's Intl maps
 * them to the CLDR id by itself, but engines following TC39's canonical-tz proposal report the
 * name as given, so they are listed rather than left to Intl. `UTC` is what Intl reports for
 * every UTC spelling, while CLDR files it as `Etc/UTC`. A test checks each entry against Intl.
 */
export const CLDR_IDS_OF_IANA_NAMES: Readonly<Record<string, string>> = {
	"Africa/Asmara": "Africa/Asmera",
	"America/Argentina/Buenos_Aires": "America/Buenos_Aires",
	"America/Argentina/Catamarca": "America/Catamarca",
	"America/Argentina/Cordoba": "America/Cordoba",
	"America/Argentina/Jujuy": "America/Jujuy",
	"America/Argentina/Mendoza": "America/Mendoza",
	"America/Atikokan": "America/Coral_Harbour",
	"America/Indiana/Indianapolis": "America/Indianapolis",
	"America/Kentucky/Louisville": "America/Louisville",
	"America/Nuuk": "America/Godthab",
	"Asia/Ho_Chi_Minh": "Asia/Saigon",
	"Asia/Kathmandu": "Asia/Katmandu",
	"Asia/Kolkata": "Asia/Calcutta",
	"Asia/Yangon": "Asia/Rangoon",
	"Atlantic/Faroe": "Atlantic/Faeroe",
	"Europe/Kyiv": "Europe/Kiev",
	"Pacific/Chuuk": "Pacific/Truk",
	"Pacific/Kanton": "Pacific/Enderbury",
	"Pacific/Pohnpei": "Pacific/Ponape",
	UTC: "Etc/UTC",
};

/** Lower-cased IANA id (CLDR ids, their aliases and the renames above) → Windows name. */
const windowsByIana = new Map<string, string>();
/** Lower-cased Windows name → [Windows name as spelled by CLDR, IANA id for territory 001]. */
const ianaByWindows = new Map<string, readonly [string, string]>();

for (const [windows, ianaList] of Object.entries(WINDOWS_ZONES)) {
	const ianaIds = ianaList.split(" ");
	ianaByWindows.set(windows.toLowerCase(), [windows, ianaIds[0] ?? ""]);
	for (const iana of ianaIds) {
		windowsByIana.set(iana.toLowerCase(), windows);
	}
}
for (const table of [ZONE_ALIASES, CLDR_IDS_OF_IANA_NAMES]) {
	for (const [alias, target] of Object.entries(table)) {
		const windows = windowsByIana.get(target.toLowerCase());
		if (windows !== undefined && !windowsByIana.has(alias.toLowerCase())) {
			windowsByIana.set(alias.toLowerCase(), windows);
		}
	}
}

/**
 * The zone id Intl resolves `timeZone` to (fixing letter case and, on most engines, following
 * links such as `US/Eastern` → `America/New_York`), or `undefined` when Intl does not know it.
 */
export function canonicalizeTimezone(timeZone: string): string | undefined {
	try {
		return new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone;
	} catch {
		return undefined;
	}
}

/** True when `timeZone` is a time zone the JavaScript runtime knows (an IANA id or `UTC`). */
export function isValidTimezone(timeZone: string): boolean {
	return timeZone.trim() !== "" && canonicalizeTimezone(timeZone.trim()) !== undefined;
}

/** The machine's IANA time zone, or `UTC` when the runtime cannot tell. */
export function getLocalTimezone(): string {
	return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/**
 * The Windows name of IANA zone `iana`: `Europe/Madrid` → `Romance Standard Time`,
 * `America/New_York` → `Eastern Standard Time`, `UTC` → `UTC`. Letter case is ignored and
 * aliases are followed (`Etc/UTC`, `GMT`, `Europe/Kyiv` and `Europe/Kiev`, `US/Eastern`).
 *
 * @throws ConfigurationError `unknown_timezone` when `iana` is not a time zone, or CLDR maps no
 * Windows zone to it.
 */
export function getWindowsTimezone(iana: string): string {
	const name = typeof iana === "string" ? iana.trim() : "";
	const direct = windowsByIana.get(name.toLowerCase());
	if (direct !== undefined) {
		return direct;
	}
	const canonical = name === "" ? undefined : canonicalizeTimezone(name);
	const viaIntl = canonical === undefined ? undefined : windowsByIana.get(canonical.toLowerCase());
	if (viaIntl !== undefined) {
		return viaIntl;
	}
	throw new ConfigurationError(
		"unknown_timezone",
		canonical === undefined
			? `${JSON.stringify(iana)} is not an IANA time zone name; use one such as "Europe/Madrid", ` +
					'"America/New_York" or "UTC".'
			: `The time zone ${JSON.stringify(iana)} has no Windows equivalent in CLDR ${CLDR_VERSION}, which ` +
					"Outlook needs for its Prefer header; pass the IANA zone of a nearby place with the same offset.",
	);
}

/**
 * The IANA zone for Windows zone name `windowsName` (CLDR's territory "001" choice):
 * `Romance Standard Time` → `Europe/Paris`, `UTC` → `Etc/UTC`. Letter case is ignored; as in
 * python-o365, `"<name> Standard Time"` is tried when `<name>` alone is unknown (`Romance` →
 * `Europe/Paris`), and an IANA id CLDR knows is returned as given, since Graph sometimes sends
 * those.
 *
 * @throws ConfigurationError `unknown_timezone` when no zone matches.
 */
export function getIanaTimezone(windowsName: string): string {
	const name = typeof windowsName === "string" ? windowsName.trim() : "";
	const key = name.toLowerCase();
	const entry = ianaByWindows.get(key) ?? ianaByWindows.get(`${key} standard time`);
	if (entry !== undefined) {
		return entry[1];
	}
	if (name !== "" && windowsByIana.has(key)) {
		return name;
	}
	throw new ConfigurationError(
		"unknown_timezone",
		`${JSON.stringify(windowsName)} is not a Windows time zone name known to CLDR ${CLDR_VERSION}; ` +
			'expected a name such as "Romance Standard Time" or "Pacific Standard Time".',
	);
}

/** Every Windows time zone name CLDR knows, as CLDR spells them. */
export function listWindowsTimezones(): string[] {
	return [...ianaByWindows.values()].map(([windows]) => windows);
}
