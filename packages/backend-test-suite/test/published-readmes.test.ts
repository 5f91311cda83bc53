import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

// The README of every published package is read on npm, where only the package's `files` (and
// README.md, package.json, LICENSE) exist: it may link or cite nothing else.

const PACKAGES = fileURLToPath(new URL("../../", import.meta.url));
const ROOT = path.dirname(PACKAGES.replace(/\/$/, ""));
/** What npm always packs, whatever `files` says. */
const ALWAYS_SHIPPED = ["README.md", "package.json", "LICENSE"];

interface PublishedPackage {
	dir: string;
	name: string;
	shipped: string[];
	readme: string;
}

async function publishedPackages(): Promise<PublishedPackage[]> {
	const found: PublishedPackage[] = [];
	for (const entry of await readdir(PACKAGES, { withFileTypes: true })) {
		if (!entry.isDirectory()) continue;
		const dir = path.join(PACKAGES, entry.name);
		if (!existsSync(path.join(dir, "package.json"))) continue;
		const manifest = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8"));
		if (manifest.private === true) continue;
		const readme = await readFile(path.join(dir, "README.md"), "utf8");
		found.push({ dir, name: manifest.name, shipped: [...ALWAYS_SHIPPED, ...(manifest.files ?? [])], readme });
	}
	return found;
}

function isShipped(relative: string, shipped: readonly string[]): boolean {
	const clean = path.posix.normalize(relative.replace(/^\.\//, "")).replace(/\/$/, "");
	return shipped.some((entry) => clean === entry || clean.startsWith(`${entry}/`));
}

/** What `readme` links to or cites that a reader of the published package does not have. */
function unshippedReferences(pkg: PublishedPackage): string[] {
	const prose = pkg.readme.replace(/^```[\s\S]*?^```/gm, "");
	const problems: string[] = [];
	for (const link of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|href="([^"]+)"/g)) {
		const target = link[1] ?? link[2] ?? "";
		if (/^(https?:|mailto:|#)/.test(target)) continue;
		const file = target.split("#")[0] ?? "";
		if (file.startsWith("../") || file.startsWith("/")) problems.push(`links outside the package: ${target}`);
		else if (!isShipped(file, pkg.shipped)) problems.push(`links to a file that is not shipped: ${target}`);
	}
	for (const [, cited = ""] of prose.matchAll(/`([^`\s]+)`/g)) {
		if (!/^(\.\/)?[\w.-]+(\/[\w.*<>{},-]*)+$/.test(cited)) continue; // not a relative path
		const first = cited.replace(/^\.\//, "").split("/")[0] ?? "";
		if (first === "node_modules") continue; // where the reader's install puts it
		const exists = existsSync(path.join(pkg.dir, first)) || existsSync(path.join(ROOT, first));
		if (exists && !isShipped(cited, pkg.shipped)) problems.push(`cites a path that is not shipped: ${cited}`);
	}
	return problems;
}

it("published READMEs link and cite only what the package ships, never ../ paths", async () => {
	const packages = await publishedPackages();
	expect(packages.length, "published packages found under packages/").toBeGreaterThan(3);
	const problems = packages.flatMap((pkg) =>
		unshippedReferences(pkg).map((problem) => `${pkg.name} README ${problem}`),
	);
	expect(problems, "README references a reader of the published package cannot follow").toEqual([]);
});
