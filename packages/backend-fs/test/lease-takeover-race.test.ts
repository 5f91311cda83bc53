import { describe, expect, it } from "vitest";
import { startFixture } from "./child-process.js";
import { tempDir } from "./helpers.js";

/** Trials, each on its own token folder, all left locked by one holder killed with SIGKILL. */
const TRIALS = 50;
/** Processes racing for each trial's lease. */
const RACERS = 16;
/** How long each racer keeps the lease, in milliseconds: long enough for two holders to meet. */
const HOLD_MS = 20;
/** Trials run at once (on different folders, so they do not interact): keeps the test short. */
const TRIALS_AT_ONCE = 5;

interface Hold {
	start: bigint;
	end: bigint;
}

/** Pairs of holds of one lease that overlapped in time, with the overlap in milliseconds. */
function overlaps(holds: Hold[]): number[] {
	const sorted = [...holds].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
	const found: number[] = [];
	let latestEnd = sorted[0]?.end ?? 0n;
	for (const hold of sorted.slice(1)) {
		if (hold.start < latestEnd) found.push(Number(latestEnd - hold.start) / 1e6);
		if (hold.end > latestEnd) latestEnd = hold.end;
	}
	return found;
}

describe("taking over the lease of a holder killed with SIGKILL", () => {
	it(`lets ${RACERS} racing processes in one at a time, in each of ${TRIALS} trials`, {
		timeout: 180_000,
	}, async () => {
		const folders = await Promise.all(Array.from({ length: TRIALS }, () => tempDir()));
		const [holder, ...racers] = await Promise.all(
			Array.from({ length: RACERS + 1 }, () => startFixture("lease-racer.ts")),
		);
		if (holder === undefined) throw new TypeError("no holder started");
		expect(await holder.request(`take ${folders.join(" ")}`)).toBe("taken");
		await holder.kill("SIGKILL");

		const failures: string[] = [];
		for (let first = 0; first < TRIALS; first += TRIALS_AT_ONCE) {
			const batch = folders.slice(first, first + TRIALS_AT_ONCE);
			for (const racer of racers) for (const folder of batch) racer.send(`hold ${HOLD_MS} ${folder}`);
			await Promise.all(
				batch.map(async (folder, index) => {
					const answers = await Promise.all(
						racers.map((racer) => racer.waitForLine((line) => line.split(" ")[1] === folder)),
					);
					const holds: Hold[] = [];
					for (const answer of answers) {
						const [word, , start, end] = answer.split(" ");
						if (word !== "held") failures.push(`trial ${first + index}: ${answer}`);
						else holds.push({ start: BigInt(start ?? 0), end: BigInt(end ?? 0) });
					}
					for (const ms of overlaps(holds))
						failures.push(`trial ${first + index}: two holders at once for ${ms.toFixed(1)} ms`);
				}),
			);
		}
		expect(failures).toEqual([]);
	});
});
