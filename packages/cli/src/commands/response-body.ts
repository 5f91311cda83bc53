/** A response's body as JSON when it says so, else as text; `null` for an empty body (204). */

export async function readResponseBody(response: Response): Promise<unknown> {
	const text = await response.text();
	if (text === "") return null;
	const type = response.headers.get("content-type") ?? "";
	if (/\bjson\b/i.test(type)) {
		try {
			return JSON.parse(text) as unknown;
		} catch {
			return text;
		}
	}
	return text;
}
