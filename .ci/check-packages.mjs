// Checks every published package as a user would receive it: packs each non-private workspace
// package with `pnpm pack` (so workspace: and catalog: ranges are rewritten as on publish), then
// runs publint (strict: warnings fail) and @arethetypeswrong/cli with the ESM-only profile on the
// tarball, and checks that the tarball ships the root LICENSE, declares "license": "MIT" and has a
// README. Needs `pnpm build` first (`pnpm check:packages` does both). Exits non-zero on any finding.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const packDir = mkdtempSync(path.join(tmpdir(), "o365-packed-"));
const rootLicense = readFileSync(path.join(root, "LICENSE"), "utf8");
const failures = [];

function run(label, command, args) {
	const result = spawnSync(command, args, { cwd: packDir, stdio: "inherit" });
	if (result.status !== 0) failures.push(`${label}: exited ${result.status ?? result.signal}`);
}

function tarEntry(tarball, entry) {
	const listed = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n");
	if (!listed.includes(entry)) return undefined;
	return execFileSync("tar", ["-xzOf", tarball, entry], { encoding: "utf8" });
}

/** Subpaths exported as plain files that are not modules (a schema, SQL): nothing to import or type. */
function assetEntryPoints(manifest) {
	return Object.entries(manifest.exports ?? {})
		.filter(([subpath, target]) => typeof target === "string" && !subpath.includes("*"))
		.filter(([, target]) => !/\.(c|m)?js$|\.json$/.test(target))
		.map(([subpath]) => subpath);
}

try {
	const published = [];
	for (const group of ["packages", "examples"]) {
		for (const name of readdirSync(path.join(root, group))) {
			const dir = path.join(root, group, name);
			let manifest;
			try {
				manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
			} catch {
				continue; // not a package (a README)
			}
			if (!manifest.private) published.push({ name: manifest.name, dir });
		}
	}
	if (published.length === 0) failures.push("no published package found");

	for (const { name, dir } of published) {
		console.log(`\n::: ${name}`);
		const before = new Set(readdirSync(packDir));
		execFileSync("pnpm", ["pack", "--pack-destination", packDir], { cwd: dir, stdio: "pipe" });
		const tarball = readdirSync(packDir).find((file) => file.endsWith(".tgz") && !before.has(file));
		if (!tarball) {
			failures.push(`${name}: pnpm pack wrote no tarball`);
			continue;
		}
		const tarPath = path.join(packDir, tarball);

		const manifest = tarEntry(tarPath, "package/package.json") ?? "";
		for (const protocol of ["workspace:", "catalog:"]) {
			if (manifest.includes(`"${protocol}`))
				failures.push(`${name}: packed package.json keeps a ${protocol} range`);
		}
		if (tarEntry(tarPath, "package/LICENSE") !== rootLicense) {
			failures.push(`${name}: the tarball's LICENSE is missing or differs from the root LICENSE`);
		}
		if (tarEntry(tarPath, "package/README.md") === undefined)
			failures.push(`${name}: the tarball has no README.md`);

		run(`${name}: publint`, bin("publint"), ["run", tarPath, "--strict", "--level", "suggestion"]);
		const packed = JSON.parse(manifest || "{}");
		if (packed.license !== "MIT") failures.push(`${name}: package.json's license is not "MIT"`);
		const assets = assetEntryPoints(packed);
		if (assets.length > 0) console.log(`attw skips data files exported as-is: ${assets.join(", ")}`);
		const exclude = assets.length > 0 ? ["--exclude-entrypoints", ...assets] : [];
		run(`${name}: attw`, bin("attw"), [
			tarPath,
			"--profile",
			"esm-only",
			"--format",
			"table-flipped",
			...exclude,
		]);
	}
} finally {
	rmSync(packDir, { recursive: true, force: true });
}

if (failures.length > 0) {
	console.error(`\ncheck-packages: ${failures.length} problem(s):\n- ${failures.join("\n- ")}`);
	process.exit(1);
}
console.log("\ncheck-packages: every published package passes publint and attw (ESM only).");
