// What the README says of compare-and-set on Bitwarden, proven both ways: exact between backends
// of one process, best-effort across processes (the API has no conditional write).
import { BitwardenClient } from "@bitwarden/sdk-napi";
import { describe, expect, it } from "vitest";
import { useFakeBitwarden } from "./fake-server-fixture.js";

const fake = useFakeBitwarden();

describe("compare-and-set on the revision date", () => {
	it("a version from before another write of this process is refused, even while that write is in flight", async () => {
		const first = fake.backend();
		await first.write("base");
		const base = await first.readVersioned();
		let held = 0;
		const release = fake.server.stall((request) => request.method === "PUT" && held++ === 0);
		const winning = first.writeIfVersion("first wins", base?.version ?? null);
		await fake.server.requestArrived(); // its GET
		await fake.server.requestArrived(); // its PUT, held
		const losing = fake.backend().writeIfVersion("second loses", base?.version ?? null);
		release();
		expect(await winning).toBeTypeOf("string");
		expect(await losing, "the second writer's stale version").toBeUndefined();
		expect(await fake.backend().read()).toBe("first wins");
	});

	it("documented limit: a write from another process landing between the read and the write is overwritten", async () => {
		const backend = fake.backend();
		await backend.write("base");
		const base = await backend.readVersioned();
		// Another process: its own SDK client, outside this process's queue.
		const other = new BitwardenClient(
			{ apiUrl: fake.server.apiUrl, identityUrl: fake.server.identityUrl },
			4,
		);
		await other.auth().loginAccessToken(fake.accessToken.token);

		let held = 0;
		const release = fake.server.stall((request) => request.method === "PUT" && held++ === 0);
		const ours = backend.writeIfVersion("ours", base?.version ?? null);
		await fake.server.requestArrived(); // our GET: the version still matched
		await fake.server.requestArrived(); // our PUT, held in the gap
		await other.secrets().update(fake.server.organizationId, fake.secretId, "o365-token", "theirs", "", []);
		release();
		expect(await ours, "our conditional write went through").toBeTypeOf("string");
		expect(await fake.backend().read(), "their write was lost: Bitwarden cannot refuse ours").toBe("ours");
	});
});
