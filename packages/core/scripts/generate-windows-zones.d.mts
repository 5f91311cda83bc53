/** Types for generate-windows-zones.mjs, so tests can import it. */

/** The data read from the installed cldr-core. */
export interface CldrData {
	version: string;
	windowsZones: unknown;
	aliases: unknown;
}

/** Absolute path of src/protocol/windows-zones.generated.ts. */
export const OUTPUT_FILE: string;

/** Reads the installed cldr-core's package.json, windowsZones.json and aliases.json. */
export function readCldr(): CldrData;

/** The TypeScript source generated from `cldr`; deterministic. */
export function generateWindowsZonesSource(cldr: CldrData): string;
