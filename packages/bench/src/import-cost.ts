import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { median } from "./measure.js";

const run = promisify(execFile);

/**
 * `await import('@o365/core')` timed inside fresh processes around the import itself (the built
 * package, as users get it), median of `processes` runs; an empty module gives the baseline.
 */
export async function measureImportCost(
	processes = 9,
): Promise<{ importCoreMs: number; importEmptyMs: number }> {
	const time = async (specifier: string) => {
		const script = `const t=performance.now();await import(${JSON.stringify(specifier)});console.log(performance.now()-t)`;
		const samples: number[] = [];
		for (let i = 0; i < processes; i += 1) {
			const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
				cwd: import.meta.dirname,
			});
			samples.push(Number(stdout.trim()));
		}
		return median(samples);
	};
	return {
		importCoreMs: await time("@o365/core"),
		importEmptyMs: await time("data:text/javascript,export default 1"),
	};
}
