import { describe, expect, it } from "vitest";
import {
	canonicalizeTimezone,
	getIanaTimezone,
	getLocalTimezone,
	getWindowsTimezone,
	isValidTimezone,
	listWindowsTimezones,
} from "../src/protocol/timezones.js";
import { errorOf } from "./helpers/errors.js";

describe("getWindowsTimezone", () => {
	it.each([
		// verified against python-o365 (spec P-2)
		["Europe/Madrid", "Romance Standard Time"],
		["America/New_York", "Eastern Standard Time"],
		["UTC", "UTC"],
		// others
		["Etc/UTC", "UTC"],
		["Etc/GMT", "UTC"],
		["GMT", "UTC"],
		["Europe/London", "GMT Standard Time"],
		["Europe/Paris", "Romance Standard Time"],
		["Europe/Berlin", "W. Europe Standard Time"],
		["America/Los_Angeles", "Pacific Standard Time"],
		["Asia/Tokyo", "Tokyo Standard Time"],
		["Australia/Sydney", "AUS Eastern Standard Time"],
		["Asia/Calcutta", "India Standard Time"],
		["Asia/Kolkata", "India Standard Time"],
		["Europe/Kiev", "FLE Standard Time"],
		["Europe/Kyiv", "FLE Standard Time"],
		["Asia/Ho_Chi_Minh", "SE Asia Standard Time"],
		["America/Argentina/Buenos_Aires", "Argentina Standard Time"],
		["Europe/Zaporozhye", "FLE Standard Time"],
		["US/Eastern", "Eastern Standard Time"],
		["Etc/GMT-4", "Arabian Standard Time"],
	])("maps %s to %s", (iana, windows) => {
		expect(getWindowsTimezone(iana)).toBe(windows);
	});

	it("maps per-territory zones, not only CLDR's territory-001 ones", () => {
		expect(getWindowsTimezone("America/Detroit")).toBe("Eastern Standard Time");
		expect(getWindowsTimezone("Europe/Brussels")).toBe("Romance Standard Time");
		expect(getWindowsTimezone("Asia/Kuwait")).toBe("Arab Standard Time");
	});

	it("ignores letter case and surrounding whitespace", () => {
		expect(getWindowsTimezone("europe/madrid")).toBe("Romance Standard Time");
		expect(getWindowsTimezone(" America/New_York ")).toBe("Eastern Standard Time");
		expect(getWindowsTimezone("utc")).toBe("UTC");
	});

	it("rejects a name that is not a time zone with unknown_timezone and an example", () => {
		const error = errorOf(() => getWindowsTimezone("Mars/Olympus_Mons"));
		expect(error.code).toBe("unknown_timezone");
		expect(error.message).toMatch(
			/"Mars\/Olympus_Mons" is not an IANA time zone name; use one such as "Europe\/Madrid"/,
		);
		expect(errorOf(() => getWindowsTimezone("")).code).toBe("unknown_timezone");
	});

	it("rejects a Windows name, which is not an IANA zone", () => {
		expect(errorOf(() => getWindowsTimezone("Romance Standard Time")).code).toBe("unknown_timezone");
	});

	it("explains when a real zone has no Windows equivalent", () => {
		const error = errorOf(() => getWindowsTimezone("Antarctica/Troll"));
		expect(error.code).toBe("unknown_timezone");
		expect(error.message).toMatch(/has no Windows equivalent in CLDR 48/);
	});
});

describe("getIanaTimezone", () => {
	it.each([
		["Romance Standard Time", "Europe/Paris"],
		["Eastern Standard Time", "America/New_York"],
		["Pacific Standard Time", "America/Los_Angeles"],
		["GMT Standard Time", "Europe/London"],
		["W. Europe Standard Time", "Europe/Berlin"],
		["India Standard Time", "Asia/Calcutta"],
		["UTC", "Etc/UTC"],
		["UTC+12", "Etc/GMT-12"],
	])("maps %s to CLDR's territory-001 zone %s", (windows, iana) => {
		expect(getIanaTimezone(windows)).toBe(iana);
	});

	it("ignores letter case and retries with ' Standard Time', as python-o365 does", () => {
		expect(getIanaTimezone("romance standard time")).toBe("Europe/Paris");
		expect(getIanaTimezone("Romance")).toBe("Europe/Paris");
		expect(getIanaTimezone("Pacific")).toBe("America/Los_Angeles");
	});

	it("returns an IANA zone it is given, since Graph sometimes sends those", () => {
		expect(getIanaTimezone("Europe/Madrid")).toBe("Europe/Madrid");
	});

	it("rejects an unknown name with unknown_timezone and an example", () => {
		const error = errorOf(() => getIanaTimezone("Customized Time Zone"));
		expect(error.code).toBe("unknown_timezone");
		expect(error.message).toMatch(
			/"Customized Time Zone" is not a Windows time zone name known to CLDR 48; expected a name such as "Romance Standard Time"/,
		);
	});

	it("round-trips every Windows zone", () => {
		const names = listWindowsTimezones();
		expect(names.length).toBeGreaterThan(130);
		for (const windows of names) {
			expect(getWindowsTimezone(getIanaTimezone(windows))).toBe(windows);
		}
	});
});

describe("Intl helpers", () => {
	it("canonicalizeTimezone returns undefined for an unknown zone", () => {
		expect(canonicalizeTimezone("Nowhere/Land")).toBeUndefined();
		expect(canonicalizeTimezone("Europe/Madrid")).toBe("Europe/Madrid");
	});

	it("isValidTimezone accepts IANA ids and UTC only", () => {
		expect(isValidTimezone("Europe/Madrid")).toBe(true);
		expect(isValidTimezone("UTC")).toBe(true);
		expect(isValidTimezone("Romance Standard Time")).toBe(false);
		expect(isValidTimezone("")).toBe(false);
	});

	it("getLocalTimezone returns a zone with a Windows name", () => {
		expect(isValidTimezone(getLocalTimezone())).toBe(true);
	});
});
