import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateWindowsZonesSource, OUTPUT_FILE, readCldr } from "../scripts/generate-windows-zones.mjs";
import {
	CLDR_IDS_OF_IANA_NAMES,
	canonicalizeTimezone,
	getWindowsTimezone,
} from "../src/protocol/timezones.js";
import { CLDR_VERSION, WINDOWS_ZONES, ZONE_ALIASES } from "../src/protocol/windows-zones.generated.js";

describe("windows-zones.generated.ts", () => {
	it("is up to date with the installed cldr-core (run node scripts/generate-windows-zones.mjs)", () => {
		const expected = generateWindowsZonesSource(readCldr());
		expect(readFileSync(OUTPUT_FILE, "utf8")).toBe(expected);
	});

	it("comes from the CLDR release of the installed cldr-core", () => {
		const cldr = readCldr();
		expect(readFileSync(OUTPUT_FILE, "utf8")).toContain(`from cldr-core ${cldr.version} `);
		expect(CLDR_VERSION).toBe(
			(cldr.windowsZones as { supplemental: { version: { _cldrVersion: string } } }).supplemental.version
				._cldrVersion,
		);
	});

	it("maps every IANA id in CLDR's windowsZones, every territory included", () => {
		type MapZone = { mapZone: { _other: string; _type: string; _territory: string } };
		const data = readCldr().windowsZones as { supplemental: { windowsZones: { mapTimezones: MapZone[] } } };
		const entries = data.supplemental.windowsZones.mapTimezones;
		let count = 0;
		for (const { mapZone } of entries) {
			for (const iana of mapZone._type.split(" ").filter(Boolean)) {
				expect(getWindowsTimezone(iana), iana).toBe(mapZone._other);
				count++;
			}
			if (mapZone._territory === "001") {
				expect(WINDOWS_ZONES[mapZone._other]?.split(" ")[0]).toBe(mapZone._type);
			}
		}
		expect(count).toBeGreaterThan(400);
	});

	it("follows CLDR's deprecated zone aliases", () => {
		expect(ZONE_ALIASES["Europe/Uzhgorod"]).toBe("Europe/Kiev");
		for (const [alias, target] of Object.entries(ZONE_ALIASES)) {
			expect(getWindowsTimezone(alias), alias).toBe(getWindowsTimezone(target));
		}
	});

	it("agrees with Intl on every zone the runtime lists, except Antarctica/Troll which CLDR leaves unmapped", () => {
		const unmapped: string[] = [];
		for (const zone of Intl.supportedValuesOf("timeZone")) {
			try {
				getWindowsTimezone(zone);
			} catch {
				unmapped.push(zone);
			}
		}
		expect(unmapped.filter((zone) => zone !== "Antarctica/Troll")).toEqual([]);
	});

	it("lists IANA renames that agree with Intl's canonical ids and point at CLDR ids", () => {
		for (const [iana, cldrId] of Object.entries(CLDR_IDS_OF_IANA_NAMES)) {
			expect(WINDOWS_ZONES[getWindowsTimezone(cldrId)]?.split(" "), cldrId).toContain(cldrId);
			const canonical = canonicalizeTimezone(iana);
			// Node 20 maps renamed zones to CLDR's id; engines that keep the given name are covered by the table.
			if (canonical !== iana) {
				expect(getWindowsTimezone(canonical ?? ""), iana).toBe(getWindowsTimezone(cldrId));
			}
		}
	});
});
