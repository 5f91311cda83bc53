/**
 * Splits JSON batch requests into `$batch` calls of at most 20 steps (Graph's limit), keeping each
 * request in the same call as everything it depends on (`dependsOn` only works within one batch).
 */

import { O365Error } from "../errors.js";

/** Graph's limit on the steps of one `$batch`. */
export const MAX_BATCH_STEPS = 20;

/** What {@link planBatches} needs of a request. */
export interface PlannedStep {
	id: string;
	dependsOn?: readonly string[] | undefined;
}

/**
 * Checks ids and dependencies and groups the requests into chunks of at most 20, in the caller's
 * order: requests linked by `dependsOn` (directly or not) always share a chunk.
 * @throws O365Error `invalid_request` naming every problem found
 */
export function planBatches<T extends PlannedStep>(requests: readonly T[]): T[][] {
	const problems: string[] = [];
	const index = new Map<string, number>();
	requests.forEach((request, position) => {
		if (typeof request?.id !== "string" || request.id === "") {
			problems.push(`request #${position + 1} has no id`);
		} else if (index.has(request.id)) {
			problems.push(`id '${request.id}' is used twice`);
		} else {
			index.set(request.id, position);
		}
	});
	// Union-find over dependsOn: each set must travel in one $batch.
	const parent = requests.map((_, position) => position);
	const find = (at: number): number => {
		let root = at;
		while (parent[root] !== root) root = parent[root] as number;
		parent[at] = root;
		return root;
	};
	requests.forEach((request, position) => {
		for (const dependency of request?.dependsOn ?? []) {
			const other = index.get(dependency);
			if (dependency === request.id) problems.push(`'${request.id}' depends on itself`);
			else if (other === undefined)
				problems.push(`'${request.id}' depends on '${dependency}', which is not in the batch`);
			else parent[find(position)] = find(other);
		}
	});
	if (problems.length === 0) problems.push(...findCycles(requests, index));
	const groups = new Map<number, T[]>();
	requests.forEach((request, position) => {
		const root = find(position);
		const group = groups.get(root);
		if (group === undefined) groups.set(root, [request]);
		else group.push(request);
	});
	for (const group of groups.values()) {
		if (group.length > MAX_BATCH_STEPS) {
			problems.push(
				`${group.length} requests are linked by dependsOn (from '${group[0]?.id}'), more than the ${MAX_BATCH_STEPS} one $batch can hold`,
			);
		}
	}
	if (problems.length > 0) {
		throw new O365Error("invalid_request", `invalid batch: ${problems.join("; ")}.`);
	}
	const chunks: T[][] = [];
	let current: T[] = [];
	// Groups come in the order of their first request (Map insertion order).
	for (const group of groups.values()) {
		if (current.length + group.length > MAX_BATCH_STEPS) {
			chunks.push(current);
			current = [];
		}
		current.push(...group);
	}
	if (current.length > 0) chunks.push(current);
	return chunks.map((chunk) =>
		chunk.sort((a, b) => (index.get(a.id) as number) - (index.get(b.id) as number)),
	);
}

function findCycles(requests: readonly PlannedStep[], index: Map<string, number>): string[] {
	const state = new Array<0 | 1 | 2>(requests.length).fill(0); // 0 new, 1 on the path, 2 done
	const cycles: string[] = [];
	const visit = (position: number): void => {
		state[position] = 1;
		for (const dependency of requests[position]?.dependsOn ?? []) {
			const next = index.get(dependency);
			if (next === undefined) continue;
			if (state[next] === 1)
				cycles.push(`'${requests[position]?.id}' and '${dependency}' depend on each other`);
			else if (state[next] === 0) visit(next);
		}
		state[position] = 2;
	};
	requests.forEach((_, position) => {
		if (state[position] === 0) visit(position);
	});
	return cycles;
}
