/** Median of a list of numbers. */
export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1
		? (sorted[middle] as number)
		: ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Runs `task` `times` times in a row and returns each duration in milliseconds. */
export async function timeEach(times: number, task: () => Promise<unknown>): Promise<number[]> {
	const durations: number[] = [];
	for (let i = 0; i < times; i += 1) {
		const start = performance.now();
		await task();
		durations.push(performance.now() - start);
	}
	return durations;
}

export function round(value: number, digits = 2): number {
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}
