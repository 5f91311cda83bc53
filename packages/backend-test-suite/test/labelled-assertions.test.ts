import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

/** Every `expect(actual)` call without a message in `file`, as `file:line`. */
async function unlabelled(file: string): Promise<string[]> {
	const source = ts.createSourceFile(file, await readFile(file, "utf8"), ts.ScriptTarget.Latest, true);
	const found: string[] = [];
	const visit = (node: ts.Node): void => {
		if (
			ts.isCallExpression(node) &&
			ts.isIdentifier(node.expression) &&
			node.expression.text === "expect" &&
			node.arguments.length < 2
		) {
			const { line } = source.getLineAndCharacterOfPosition(node.getStart());
			found.push(`${path.relative(SRC, file)}:${line + 1}`);
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

it("every assertion of the suite carries a message that says what failed", async () => {
	const files = (await readdir(SRC, { recursive: true }))
		.filter((name) => name.endsWith(".ts"))
		.map((name) => path.join(SRC, name));
	const missing = (await Promise.all(files.map(unlabelled))).flat();
	expect(files.length, "source files scanned").toBeGreaterThan(10);
	expect(missing, "expect() calls without a message (pass one: expect(x, 'what this proves'))").toEqual([]);
});
