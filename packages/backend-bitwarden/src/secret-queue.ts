/**
 * The store operations of this process on one secret, one at a time. Bitwarden offers no
 * conditional write, so a compare-and-set is a read then a write; queuing makes that pair exact
 * between the backends of one process (no other write of this process can land between the two).
 * Across processes nothing can make it exact: see the README. An operation leaves the queue only
 * when every SDK call it started has settled, even one it stopped waiting for, so an abandoned
 * write never lands after a later one of this process.
 */
const tails = new Map<string, Promise<void>>();

/**
 * Runs `operation` after every earlier one queued on `key`; `waitForTurn` bounds the wait for the
 * turn (the caller's time limit and signal) and `settled` says when the operation's SDK calls are
 * all over.
 */
export async function runQueued<T>(
	key: string,
	waitForTurn: (turn: Promise<void>) => Promise<void>,
	operation: () => Promise<T>,
	settled: () => Promise<void>,
): Promise<T> {
	const previous = tails.get(key) ?? Promise.resolve();
	let done!: () => void;
	const tail = new Promise<void>((resolve) => {
		done = resolve;
	});
	tails.set(key, tail);
	const release = () => {
		if (tails.get(key) === tail) tails.delete(key);
		done();
	};
	try {
		await waitForTurn(previous);
	} catch (error) {
		// Gave up waiting: the next operation still waits for the earlier ones.
		previous.then(release, release);
		throw error;
	}
	try {
		return await operation();
	} finally {
		settled().then(release, release);
	}
}
